/** A labelled progress bar with its figures; fixed height so updates never move the layout. */
export function Progress(props: { label: string; done: number; total: number; detail?: string }) {
  const pct = props.total > 0 ? Math.min(100, (props.done / props.total) * 100) : 0;
  return (
    <div className="progress">
      <div className="progress-label">
        <span>{props.label}</span>
        <span className="num">
          {props.done.toLocaleString('en-US')} / {props.total.toLocaleString('en-US')}
          {props.detail ? ` · ${props.detail}` : ''}
        </span>
      </div>
      <div className="bar" role="progressbar" aria-label={props.label} aria-valuemin={0} aria-valuemax={props.total} aria-valuenow={props.done}>
        <div className="fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
