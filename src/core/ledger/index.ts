export { appendEvent, type LedgerEvent } from './append-event.js';
export {
  EVENT_CATALOGUE,
  ONCE_PER_SUBJECT,
  type EventType,
  type EventInfo,
  type LedgerPayloads,
  type ResourceFigures,
  type ReviewDecisionFacts,
} from './events.js';
export { verifyChain, tailLedger, entriesAfter } from './verify-chain.js';
export { GENESIS_HASH, canonicalJson, entryHash, type HashedFields } from './entry-hash.js';
