// The engine-side entry of sensitive/. Thread-side code (extract/) imports `./detect.js` instead: the
// detectors are pure, while this entry also brings the stores (findings, lanes, terms) and their ledger.
export { LANE_RANK, laneFor, suggestedExemption, detectInText, findingsOfPage, type WordBox, type Finding, type Lane } from './detect.js';
export { highestLane, raiseLane } from './lanes.js';
export { agencyTerms, findTerms, type AgencyTerm } from './terms.js';
export { findingKey, forgetStoredFindingKey } from './finding-key.js';
export { luhnValid, abaValid } from './checksums.js';
export { listFindings, setLane, exportRedaction, listTerms, addTerm, removeTerm, type RedactionExport } from './redaction.js';
export type { TextMatch, FindingType } from './identifiers.js';
