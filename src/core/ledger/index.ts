export { appendEvent, type LedgerEvent } from './append-event.js';
export { verifyChain, tailLedger } from './verify-chain.js';
export { GENESIS_HASH, canonicalJson, entryHash, type HashedFields } from './entry-hash.js';
