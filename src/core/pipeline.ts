/**
 * Version of the processing pipeline. With the SHA-256 it forms the idempotency key of a record:
 * the same bytes are processed once per pipeline version. Bump it when processing changes so much that
 * earlier results must be redone.
 */
export const PIPELINE_VERSION = 1;
