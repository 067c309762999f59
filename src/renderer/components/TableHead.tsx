/** A data table's caption (for screen readers) and column headers. */
export function TableHead(props: { caption?: string; columns: string[] }) {
  return (
    <>
      {props.caption && <caption className="sr-only">{props.caption}</caption>}
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
    </>
  );
}
