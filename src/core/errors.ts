/** Stable codes for errors the engine raises to its callers (CLI, app). */
export type EngineErrorCode =
  | 'data-dir-unusable'
  | 'database-unusable'
  | 'path-not-found'
  | 'not-found'
  | 'invalid-argument'
  | 'invalid-state'
  | 'invalid-jurisdiction'
  | 'refused'
  | 'io-error';

/** An engine error with a stable `code`; the message is written for the operator. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** The `code` of a Node system error (`ENOENT`, `EACCES`, …), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
