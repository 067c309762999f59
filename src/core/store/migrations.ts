import type { Database } from 'better-sqlite3';

/** One schema step. `version` numbers are dense from 1; a released migration is never edited. */
export type Migration = { version: number; name: string; sql: string };

/** All migrations, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'intake, queue, quarantine, ledger',
    sql: `
CREATE TABLE batches (
  id TEXT PRIMARY KEY,
  trace_id TEXT NOT NULL,
  request_id TEXT,
  roots TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('walking', 'processing', 'done')),
  owner TEXT,
  created_at TEXT NOT NULL,
  walked_at TEXT,
  completed_at TEXT
);

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL,
  pipeline_version INTEGER NOT NULL,
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  first_batch_id TEXT NOT NULL REFERENCES batches(id),
  first_path TEXT NOT NULL,
  legal_hold INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (sha256, pipeline_version)
);

CREATE TABLE intake_entries (
  id INTEGER PRIMARY KEY,
  batch_id TEXT NOT NULL REFERENCES batches(id),
  path TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('registered', 'duplicate', 'quarantined', 'unsupported', 'custody-file', 'released')),
  reason_code TEXT,
  sha256 TEXT,
  size INTEGER,
  media_type TEXT,
  document_id INTEGER REFERENCES documents(id),
  retention TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (batch_id, path)
);
CREATE INDEX intake_entries_by_sha256 ON intake_entries(sha256);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  batch_id TEXT NOT NULL REFERENCES batches(id),
  trace_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'leased', 'done', 'failed', 'quarantined')),
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (document_id, kind)
);
CREATE INDEX jobs_by_state ON jobs(state, id);
CREATE INDEX jobs_by_batch ON jobs(batch_id, state);

CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  batch_id TEXT NOT NULL REFERENCES batches(id),
  trace_id TEXT NOT NULL,
  intake_entry_id INTEGER REFERENCES intake_entries(id),
  job_id INTEGER REFERENCES jobs(id),
  path TEXT NOT NULL,
  sha256 TEXT,
  document_id INTEGER REFERENCES documents(id),
  reason_code TEXT NOT NULL,
  message TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL CHECK (state IN ('held', 'released', 'resolved')),
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  resolution TEXT
);
CREATE INDEX quarantine_by_state ON quarantine(state, id);

CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY,
  ts TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  type TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE TRIGGER ledger_refuse_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: UPDATE refused'); END;
CREATE TRIGGER ledger_refuse_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: DELETE refused'); END;
`,
  },
  {
    version: 2,
    name: 'pages: page-sized work units and their extracted text',
    sql: `
ALTER TABLE documents ADD COLUMN page_count INTEGER;

CREATE TABLE pages (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  page_no INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'fallback')),
  method TEXT CHECK (method IN ('text-layer', 'ocr', 'fallback')),
  text TEXT,
  confidence REAL,
  words TEXT,
  width INTEGER,
  height INTEGER,
  dpi INTEGER,
  duration_ms INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT,
  PRIMARY KEY (document_id, page_no)
) WITHOUT ROWID;
CREATE INDEX pages_by_state ON pages(state, document_id, page_no);
`,
  },
  {
    version: 3,
    name: 'records requests: clock events, attached documents, agency closure days, deadline-first queue',
    sql: `
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  jurisdiction TEXT NOT NULL,
  received TEXT NOT NULL CHECK (received GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  title TEXT,
  created_at TEXT NOT NULL,
  -- The last escalation written to the ledger, so crossing into at-risk or overdue is recorded once.
  -- Not the status: that is always computed from the events.
  escalation TEXT NOT NULL DEFAULT 'on-track' CHECK (escalation IN ('on-track', 'at-risk', 'overdue'))
);

CREATE TABLE request_events (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests(id),
  type TEXT NOT NULL CHECK (type IN ('toll', 'resume', 'extend', 'close')),
  detail TEXT NOT NULL,
  reason TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX request_events_by_request ON request_events(request_id, id);

CREATE TABLE request_documents (
  request_id TEXT NOT NULL REFERENCES requests(id),
  document_id INTEGER NOT NULL REFERENCES documents(id),
  PRIMARY KEY (request_id, document_id)
) WITHOUT ROWID;

CREATE TABLE closure_days (
  jurisdiction TEXT NOT NULL,
  date TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (jurisdiction, date)
) WITHOUT ROWID;

ALTER TABLE jobs ADD COLUMN request_id TEXT REFERENCES requests(id);
CREATE INDEX jobs_by_request ON jobs(state, request_id, id);
`,
  },
  {
    version: 4,
    name: 'sensitive content: document lanes, findings (hashes and boxes only), agency terms, settings',
    sql: `
ALTER TABLE documents ADD COLUMN lane TEXT NOT NULL DEFAULT 'public' CHECK (lane IN ('public', 'pii', 'classified'));
ALTER TABLE batches ADD COLUMN lane TEXT CHECK (lane IN ('public', 'pii', 'classified'));

CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  page_no INTEGER NOT NULL,
  type TEXT NOT NULL,
  bbox TEXT,
  confidence REAL NOT NULL,
  text_hash TEXT NOT NULL,
  exemption TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX findings_by_document ON findings(document_id, page_no);

CREATE TABLE agency_terms (
  term TEXT PRIMARY KEY COLLATE NOCASE,
  statute TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 5,
    name: 'signed ledger checkpoints',
    sql: `
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  ts TEXT NOT NULL,
  reason TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  signature TEXT NOT NULL
);
`,
  },
  {
    version: 6,
    name: 'operator holds on batches (pause, cancel)',
    sql: `
ALTER TABLE batches ADD COLUMN hold TEXT CHECK (hold IN ('paused', 'cancelled'));
`,
  },
  {
    version: 7,
    name: 'deadline escalations reach a person: a supervisor per request, and what was acknowledged',
    sql: `
ALTER TABLE requests ADD COLUMN supervisor TEXT;
-- The highest escalation a person acknowledged; an escalation above it is still waiting for someone.
ALTER TABLE requests ADD COLUMN acknowledged TEXT CHECK (acknowledged IN ('at-risk', 'overdue'));
`,
  },
  {
    version: 8,
    name: 'checkpoint rows are append-only, like the ledger that now also records them',
    sql: `
CREATE TRIGGER checkpoints_refuse_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only: UPDATE refused'); END;
CREATE TRIGGER checkpoints_refuse_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only: DELETE refused'); END;
-- Rows signed before checkpoints were also ledger events: the engine gives each its event once, then
-- empties this list. Rows signed later are never adopted (a cut-off event must be reported, not re-added).
CREATE TABLE checkpoints_to_adopt (id INTEGER PRIMARY KEY);
INSERT INTO checkpoints_to_adopt (id) SELECT id FROM checkpoints;
`,
  },
  {
    version: 9,
    name: 'full-text search over every page, kept in step with the page store by triggers',
    // A regular FTS5 table (it keeps its own copy of the text, for snippets) inside the same encrypted
    // file as the pages, so restricted text is indexed only where it is protected the same way. rowid is
    // document_id * 2^20 + page_no (pages has no rowid of its own). Triggers, not engine code, keep it in
    // step: every write to pages, by any path, changes the index in the same transaction.
    sql: `
CREATE VIRTUAL TABLE pages_fts USING fts5(text, document_id UNINDEXED, page_no UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE TRIGGER pages_fts_insert AFTER INSERT ON pages WHEN NEW.text IS NOT NULL AND NEW.text <> ''
BEGIN INSERT INTO pages_fts (rowid, text, document_id, page_no) VALUES (NEW.document_id * 1048576 + NEW.page_no, NEW.text, NEW.document_id, NEW.page_no); END;
CREATE TRIGGER pages_fts_update AFTER UPDATE OF text, document_id, page_no ON pages
BEGIN
  DELETE FROM pages_fts WHERE rowid = OLD.document_id * 1048576 + OLD.page_no;
  INSERT INTO pages_fts (rowid, text, document_id, page_no)
    SELECT NEW.document_id * 1048576 + NEW.page_no, NEW.text, NEW.document_id, NEW.page_no WHERE NEW.text IS NOT NULL AND NEW.text <> '';
END;
CREATE TRIGGER pages_fts_delete AFTER DELETE ON pages
BEGIN DELETE FROM pages_fts WHERE rowid = OLD.document_id * 1048576 + OLD.page_no; END;
INSERT INTO pages_fts (rowid, text, document_id, page_no)
  SELECT document_id * 1048576 + page_no, text, document_id, page_no FROM pages WHERE text IS NOT NULL AND text <> '';
`,
  },
  {
    version: 10,
    name: "review: a document's review state and the officer's decisions, append-only",
    // One row per decision on one finding (redact, release), per box drawn by hand, per page withheld in
    // full. A later decision on a finding supersedes an earlier one; none is ever changed or deleted, so the
    // rows are the history the ledger's review.decided events record one for one.
    sql: `
ALTER TABLE documents ADD COLUMN review TEXT NOT NULL DEFAULT 'unreviewed' CHECK (review IN ('unreviewed', 'in-review', 'reviewed'));
CREATE TABLE review_decisions (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  action TEXT NOT NULL CHECK (action IN ('redact', 'release', 'box', 'withhold-page')),
  finding_id INTEGER,
  page_no INTEGER NOT NULL CHECK (page_no >= 1),
  box TEXT,
  code TEXT,
  reason TEXT,
  operator TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK ((action IN ('redact', 'release')) = (finding_id IS NOT NULL)),
  CHECK ((action = 'release') = (code IS NULL))
);
CREATE INDEX review_decisions_by_document ON review_decisions(document_id, id);
CREATE TRIGGER review_decisions_refuse_update BEFORE UPDATE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only: UPDATE refused'); END;
CREATE TRIGGER review_decisions_refuse_delete BEFORE DELETE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only: DELETE refused'); END;
`,
  },
  {
    version: 11,
    name: 'review: a page released as reviewed (release-page), the explicit page decision a classified record needs',
    // SQLite cannot change a CHECK in place: the table is rebuilt with the same rows, index and triggers.
    // (DROP TABLE drops its triggers before its implicit delete, so the append-only trigger does not fire.)
    sql: `
CREATE TABLE review_decisions_v11 (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  action TEXT NOT NULL CHECK (action IN ('redact', 'release', 'box', 'withhold-page', 'release-page')),
  finding_id INTEGER,
  page_no INTEGER NOT NULL CHECK (page_no >= 1),
  box TEXT,
  code TEXT,
  reason TEXT,
  operator TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK ((action IN ('redact', 'release')) = (finding_id IS NOT NULL)),
  CHECK ((action IN ('release', 'release-page')) = (code IS NULL))
);
INSERT INTO review_decisions_v11 SELECT id, document_id, action, finding_id, page_no, box, code, reason, operator, created_at FROM review_decisions;
DROP TABLE review_decisions;
ALTER TABLE review_decisions_v11 RENAME TO review_decisions;
CREATE INDEX review_decisions_by_document ON review_decisions(document_id, id);
CREATE TRIGGER review_decisions_refuse_update BEFORE UPDATE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only: UPDATE refused'); END;
CREATE TRIGGER review_decisions_refuse_delete BEFORE DELETE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only: DELETE refused'); END;
`,
  },
  {
    version: 12,
    name: 'pages: blank, a page with no ink (the back of a sheet) that OCR was not run on',
    sql: `ALTER TABLE pages ADD COLUMN blank INTEGER NOT NULL DEFAULT 0 CHECK (blank IN (0, 1));`,
  },
  {
    version: 13,
    name: 'pages: ocr_languages, the OCR languages a page was read with (eng, eng+spa)',
    sql: `ALTER TABLE pages ADD COLUMN ocr_languages TEXT;`,
  },
  {
    version: 14,
    name: 'pages: rotation, 180 for a page read turned half round (it lay upside down)',
    sql: `ALTER TABLE pages ADD COLUMN rotation INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 180));`,
  },
];

/** The schema version the code expects. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to {@link SCHEMA_VERSION}. Each migration runs in its own immediate transaction
 * together with the `user_version` bump, so a crash leaves the schema at a whole version. The version is
 * read again under that transaction's write lock: two processes opening one new database at once would
 * otherwise both apply the same migration (`duplicate column name`).
 * @returns the versions applied.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`database schema version ${current} is newer than this Custodian (${newest}); use a newer Custodian`);
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    const ran = db
      .transaction(() => {
        if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return false;
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(m.version);
  }
  return applied;
}
