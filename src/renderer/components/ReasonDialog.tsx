import { useEffect, useId, useRef, useState } from 'react';

/**
 * A modal that asks the operator for a reason (required, at least 3 characters) before an action that goes
 * into the ledger. Escape or Cancel closes it without acting.
 */
export function ReasonDialog(props: {
  title: string;
  label: string;
  confirm: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
  extra?: React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const id = useId();
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const ok = reason.trim().length >= 3;
  return (
    <dialog ref={ref} aria-labelledby={`${id}-t`} onCancel={props.onCancel} className="reason-dialog">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) props.onConfirm(reason.trim());
        }}
      >
        <h3 id={`${id}-t`}>{props.title}</h3>
        {props.extra}
        <label htmlFor={`${id}-r`}>{props.label}</label>
        <textarea id={`${id}-r`} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} autoFocus required minLength={3} />
        <p className="hint">Required. It is recorded with the action.</p>
        <div className="actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!ok}>
            {props.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}
