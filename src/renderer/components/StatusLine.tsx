/** The outcome of an operator action: a sentence for the clerk; on failure, the stable code for support. */
export type ActionMessage = { ok: boolean; text: string; code?: string };

/** The outcome of the last operator action, announced politely; keeps its height when empty so nothing jumps. */
export function StatusLine(props: { message: ActionMessage | null }) {
  const m = props.message;
  return (
    <p className={`status-line ${m ? (m.ok ? 'ok' : 'bad') : ''}`} role="status" aria-live="polite">
      {m?.text ?? '\u00a0'}
      {m && !m.ok && m.code ? <span className="support-code"> (for support: {m.code})</span> : null}
    </p>
  );
}
