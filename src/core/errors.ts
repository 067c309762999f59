/** Stable codes for errors the engine raises to its callers (CLI, app). */
export type EngineErrorCode =
  | 'data-dir-unusable'
  | 'database-unusable'
  | 'path-not-found'
  | 'not-found'
  | 'invalid-argument'
  /** A search query that cannot be read; the message says where and gives the syntax. */
  | 'invalid-query'
  | 'invalid-state'
  /** A document's file is gone or is no longer the content taken in: it cannot be shown or read again. */
  | 'file-unavailable'
  /** A page could not be drawn for display (the file parses no further); the message gives the reason code. */
  | 'render-failed'
  | 'invalid-jurisdiction'
  | 'refused'
  | 'io-error'
  | 'disk-full'
  /** The ledger or the state it binds failed verification: nothing is signed (the CLI exits 2). */
  | 'ledger-unverified';

/** An engine error with a stable `code`; the message is written for the operator. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** An operator's reason, trimmed. @throws EngineError `invalid-argument` when there is none. */
export function requireReason(reason: string | undefined): string {
  const why = reason?.trim();
  if (!why) throw new EngineError('invalid-argument', 'A reason is required: it goes into the audit ledger.');
  return why;
}

/** The `code` of a Node system error (`ENOENT`, `EACCES`, …), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/**
 * The engine error a failure from below means, when it has one: a full disk (SQLite's SQLITE_FULL, ENOSPC)
 * becomes `disk-full` with what to do, a read-only or failing disk `io-error`; anything else, null.
 */
export function storageError(err: unknown): EngineError | null {
  if (err instanceof EngineError) return err;
  const code = errnoCode(err);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT')
    return new EngineError(
      'disk-full',
      "The disk holding Custodian's data is full. Nothing recorded so far is lost: free some space, then run `custodian resume` (or press Resume) to finish.",
      { cause: err },
    );
  if (code === 'SQLITE_READONLY' || code === 'EROFS' || code?.startsWith('SQLITE_IOERR') || code === 'EIO')
    return new EngineError('io-error', `Custodian's data cannot be written (${code}): check the disk, then run \`custodian resume\`.`, { cause: err });
  return null;
}
