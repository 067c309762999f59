export { ExtractDispatcher, type ExtractProgress, type DispatchContext } from './extract-dispatcher.js';
export { DEFAULT_RESILIENCE, type ResilienceOptions } from './page-policy.js';
export { authorizeView, documentText, readDocumentText } from './document-text.js';
export { pageSummary } from './page-store.js';
export { ocrLanguages, setOcrLanguages } from './ocr-languages-setting.js';
