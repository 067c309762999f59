/** The outcome of the last operator action, announced politely; keeps its height when empty so nothing jumps. */
export function StatusLine(props: { message: { ok: boolean; text: string } | null }) {
  const m = props.message;
  return (
    <p className={`status-line ${m ? (m.ok ? 'ok' : 'bad') : ''}`} role="status" aria-live="polite">
      {m?.text ?? '\u00a0'}
    </p>
  );
}
