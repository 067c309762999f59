export { toFtsQuery } from './query.js';
export { searchPages, snippetParts, type SearchOptions } from './search-pages.js';
