export { DEFAULT_REVIEW_JURISDICTION, reviewCodes, type ReviewCodes } from './exemptions.js';
export { reviewItems, type FindingRow } from './review-items.js';
export {
  documentReview,
  drawBox,
  finishReview,
  redactFindings,
  releaseFindings,
  releasePage,
  reopenReview,
  withholdPage,
  type ReviewDeps,
} from './review-decisions.js';
