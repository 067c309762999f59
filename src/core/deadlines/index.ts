export { DeadlineBook, NO_REQUEST_AGING_DAYS, type RequestRecord } from './deadline-book.js';
export { computeDeadline, AT_RISK_SHARE, type ClockEvent, type DeadlineFigures } from './due-date.js';
export {
  addRequest,
  tollRequest,
  resumeRequest,
  extendRequest,
  closeRequest,
  addClosureDay,
  requestSummary,
  listRequests,
  listClosureDays,
} from './requests.js';
export { deadlineReport, sweepDeadlines, measuredPagesPerMinute, type DeadlineRow, type SweepResult } from './deadline-status.js';
export {
  acknowledgeEscalation,
  openEscalations,
  officeSupervisor,
  setOfficeSupervisor,
  setRequestSupervisor,
  type OpenEscalation,
  type EscalationLevel,
} from './escalations.js';
export { loadJurisdictions, type Jurisdiction } from './jurisdictions.js';
export { parseCivilDate, localDateOf, type CivilDate } from './civil-date.js';
export { overdueBeforeExtension } from './overdue-history.js';
export { addResponsive, removeResponsive, responsiveDocuments, requireRequest, type ResponsiveVia } from './responsive-set.js';
