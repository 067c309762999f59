/**
 * pdf.js reports some losses only as warnings on the console: notably an image over `maxImageSize`, which
 * it removes from the page without a trace in the operator list. A pool thread runs one task at a time,
 * so capturing this thread's console for the whole task is safe and exact; nothing of pdf.js reaches the
 * terminal, and `fn` reads the live list.
 */
export async function withPdfWarnings<T>(fn: (warnings: readonly string[]) => Promise<T>): Promise<T> {
  const warnings: string[] = [];
  const original = { log: console.log, warn: console.warn };
  const capture = (...args: unknown[]): void => {
    const line = args.map(String).join(' ');
    if (line.startsWith('Warning:')) warnings.push(line.slice('Warning:'.length).trim());
    else original.log(...args);
  };
  console.log = capture;
  console.warn = capture;
  try {
    return await fn(warnings);
  } finally {
    console.log = original.log;
    console.warn = original.warn;
  }
}

/** True when pdf.js dropped an image for exceeding `maxImageSize`. */
export function imageWasRemoved(warnings: readonly string[]): boolean {
  return warnings.some((w) => w.includes('exceeded maximum allowed size'));
}
