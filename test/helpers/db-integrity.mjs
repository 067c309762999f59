// Prints `integrity=<result>` of a data folder's database, opened with its key (for tests that must check
// the file from inside a mount namespace, where only a child process sees it). Usage: node db-integrity.mjs <dataDir>
import Database from 'better-sqlite3';
import path from 'node:path';
import { applyKey, keyFileStore } from '../../dist/src/core/store/index.js';

const dataDir = process.argv[2];
const db = new Database(path.join(dataDir, 'custodian.db'), { readonly: true });
const key = keyFileStore(dataDir).read();
if (key) applyKey(db, key);
console.log(`integrity=${db.pragma('integrity_check', { simple: true })}`);
