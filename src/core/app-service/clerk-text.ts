/**
 * The engine's error messages are written for the command line ("--received 2027-03-01 is in the future.").
 * The app shows a sentence a clerk can act on instead; the stable code stays in the reply for support.
 */
const FLAG_WORDS: Record<string, string> = {
  received: 'the received date',
  from: 'the start date',
  to: 'the end date',
  on: 'the date',
  'as-of': 'the date',
  days: 'the number of days',
  lane: 'the lane',
  reason: 'a reason',
  batch: 'a batch',
  request: 'a request',
};

const COMMAND_WORDS: Record<string, string> = {
  'request add': 'the New request form on the Deadlines view',
  ingest: 'Take in records',
  resume: 'Resume on the batch card',
};

/** A sentence starting with a capital letter and ending with a full stop. */
function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const capital = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/u.test(capital) ? capital : `${capital}.`;
}

/** Rewrites command-line wording (flags, commands) in an engine message into the words of the app. */
export function clerkMessage(message: string): string {
  const text = message
    // `--reason "<text>"` examples make no sense in a form.
    .replace(/\s*\(--reason "<text>"\)/gu, '')
    .replace(/`custodian ([^`]+)`/gu, (_m, cmd: string) => COMMAND_WORDS[cmd.trim()] ?? 'the app')
    .replace(/--([a-z][a-z-]*)(?:\/--([a-z][a-z-]*))?/gu, (_m, a: string, b?: string) =>
      [a, b]
        .filter((f): f is string => Boolean(f))
        .map((f) => FLAG_WORDS[f] ?? `the ${f.replace(/-/gu, ' ')}`)
        .join(' and '),
    );
  return sentence(text);
}

/** A contract validation failure (zod's prettified list) as one sentence naming what to fix. */
export function invalidArgumentMessage(pretty: string): string {
  const problems = pretty
    .split('\n')
    .filter((l) => l.startsWith('✖'))
    .map((l) => l.replace(/^✖\s*/u, '').trim());
  const list = problems.length ? problems : [pretty.trim()];
  return sentence(`Please check what was entered: ${list.join('; ')}`);
}
