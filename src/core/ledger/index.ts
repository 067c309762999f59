export { appendEvent, type LedgerEvent } from './append-event.js';
export { verifyChain, tailLedger, entriesAfter } from './verify-chain.js';
export { GENESIS_HASH, canonicalJson, entryHash, type HashedFields } from './entry-hash.js';
