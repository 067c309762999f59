/**
 * A labelled progress bar with its figures; fixed height so updates never move the layout. With
 * `approximate`, the total is an estimate and is shown as one ("about 240").
 */
export function Progress(props: { label: string; done: number; total: number; detail?: string; approximate?: boolean }) {
  const pct = props.total > 0 ? Math.min(100, (props.done / props.total) * 100) : 0;
  const total = `${props.approximate ? 'about ' : ''}${props.total.toLocaleString('en-US')}`;
  return (
    <div className="progress">
      <div className="progress-label">
        <span>{props.label}</span>
        <span className="num">
          {props.done.toLocaleString('en-US')} of {total}
        </span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={props.total}
        aria-valuenow={props.done}
        aria-valuetext={`${props.done.toLocaleString('en-US')} of ${total}`}
      >
        <div className="fill" style={{ width: `${pct}%` }} />
      </div>
      {props.detail && <p className="progress-detail">{props.detail}</p>}
    </div>
  );
}
