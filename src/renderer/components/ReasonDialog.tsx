import { useEffect, useId, useRef, useState } from 'react';

/**
 * Focus for a modal: on open, the first empty required field (the reason, when the date or number beside
 * it is already filled in), else the first field; on close (confirm, Cancel or Escape), back to the
 * element that opened it, so a keyboard user carries on where they were.
 */
export function useDialogFocus(ref: React.RefObject<HTMLDialogElement | null>): void {
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const fields = [...dialog.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select')];
    const target = fields.find((f) => f.required && !f.value.trim()) ?? fields[0];
    target?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, [ref]);
}

/**
 * A modal that asks the operator for a reason (required, at least 3 characters) before an action that goes
 * into the ledger. Escape or Cancel closes it without acting. `extra` may hold more fields (a date, a number);
 * the cursor starts in the first required field still empty.
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
  useDialogFocus(ref);
  const ok = reason.trim().length >= 3;
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-t`}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
      className="reason-dialog"
    >
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
        <textarea id={`${id}-r`} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} required minLength={3} />
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
