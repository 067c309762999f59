import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/fixtures.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate, type Migration } from './migrations.js';
import { openDatabase } from './db.js';

const tables = (db: Database.Database): string[] => db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];

describe('migrations', () => {
  it('are numbered densely from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('migration 1 creates the intake, queue, quarantine and ledger tables on a real file database', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    expect(migrate(db, MIGRATIONS.slice(0, 1))).toEqual([1]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(expect.arrayContaining(['batches', 'documents', 'intake_entries', 'jobs', 'quarantine', 'ledger']));
    expect(migrate(db, MIGRATIONS.slice(0, 1))).toEqual([]);
    // Content addressing is enforced by the schema, not only by code.
    db.prepare(`INSERT INTO batches (id, trace_id, roots, state, created_at) VALUES ('b', 't', '[]', 'walking', 'now')`).run();
    const doc = db.prepare(
      `INSERT INTO documents (sha256, pipeline_version, size, media_type, first_batch_id, first_path, created_at) VALUES ('h', 1, 1, 'image/png', 'b', '/p', 'now')`,
    );
    doc.run();
    expect(() => doc.run()).toThrow(/UNIQUE/);
  });

  it('migration 2 adds page work units keyed by document and page, and the page count', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toEqual([2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toEqual([]);
    expect(tables(db)).toContain('pages');
    const columns = db.prepare(`SELECT name FROM pragma_table_info('documents')`).pluck().all();
    expect(columns).toContain('page_count');
    db.prepare(`INSERT INTO batches (id, trace_id, roots, state, created_at) VALUES ('b', 't', '[]', 'walking', 'now')`).run();
    db.prepare(
      `INSERT INTO documents (sha256, pipeline_version, size, media_type, first_batch_id, first_path, created_at) VALUES ('h', 1, 1, 'image/png', 'b', '/p', 'now')`,
    ).run();
    const page = db.prepare(`INSERT INTO pages (document_id, page_no, state) VALUES (1, 1, 'pending')`);
    page.run();
    expect(() => page.run()).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare(`INSERT INTO pages (document_id, page_no, state) VALUES (1, 2, 'bogus')`).run()).toThrow(/CHECK/);
  });

  it('migration 3 adds requests, their clock events and documents, closure days, and the request of a job', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(migrate(db, MIGRATIONS.slice(0, 3))).toEqual([3]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['requests', 'request_events', 'request_documents', 'closure_days']));
    expect(db.prepare(`SELECT name FROM pragma_table_info('jobs')`).pluck().all()).toContain('request_id');
    const add = db.prepare(`INSERT INTO requests (id, jurisdiction, received, created_at) VALUES (?, 'us-federal', ?, 'now')`);
    add.run('R-1', '2026-03-06');
    expect(() => add.run('R-2', '6 March 2026')).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO request_events (request_id, type, detail, created_at) VALUES ('R-1', 'pause', '{}', 'now')`).run()).toThrow(/CHECK/);
  });

  it('migration 4 adds document lanes, findings, agency terms and settings', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 3));
    expect(migrate(db, MIGRATIONS.slice(0, 4))).toEqual([4]);
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(tables(db)).toEqual(expect.arrayContaining(['findings', 'agency_terms', 'settings']));
    db.prepare(`INSERT INTO batches (id, trace_id, roots, state, created_at) VALUES ('b', 't', '[]', 'walking', 'now')`).run();
    db.prepare(
      `INSERT INTO documents (sha256, pipeline_version, size, media_type, first_batch_id, first_path, created_at) VALUES ('h', 1, 1, 'image/png', 'b', '/p', 'now')`,
    ).run();
    expect(db.prepare('SELECT lane FROM documents').pluck().get()).toBe('public');
    expect(() => db.prepare(`UPDATE documents SET lane = 'secret'`).run()).toThrow(/CHECK/);
  });

  it('migration 5 adds signed checkpoints', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 4));
    expect(migrate(db, MIGRATIONS.slice(0, 5))).toEqual([5]);
    expect(tables(db)).toContain('checkpoints');
  });

  it('migration 6 adds operator holds to batches, refusing unknown holds', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 5));
    db.prepare(`INSERT INTO batches (id, trace_id, roots, state, created_at) VALUES ('b1', 't1', '[]', 'processing', '2026-12-01T00:00:00Z')`).run();
    expect(migrate(db, MIGRATIONS.slice(0, 6))).toEqual([6]);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(db.prepare(`SELECT hold FROM batches WHERE id = 'b1'`).pluck().get()).toBeNull();
    db.prepare(`UPDATE batches SET hold = 'paused' WHERE id = 'b1'`).run();
    expect(() => db.prepare(`UPDATE batches SET hold = 'frozen' WHERE id = 'b1'`).run()).toThrow(/CHECK/);
  });

  it('migration 7 gives requests a supervisor and an acknowledged escalation, refusing unknown levels', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 6));
    db.prepare(`INSERT INTO requests (id, jurisdiction, received, created_at) VALUES ('R1', 'us-federal', '2026-11-02', '2026-11-02T09:00:00Z')`).run();
    expect(migrate(db, MIGRATIONS.slice(0, 7))).toEqual([7]);
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    expect(db.prepare(`SELECT supervisor, acknowledged, escalation FROM requests WHERE id = 'R1'`).get()).toEqual({
      supervisor: null,
      acknowledged: null,
      escalation: 'on-track',
    });
    db.prepare(`UPDATE requests SET acknowledged = 'overdue', supervisor = 'J. Doe' WHERE id = 'R1'`).run();
    expect(() => db.prepare(`UPDATE requests SET acknowledged = 'on-track' WHERE id = 'R1'`).run()).toThrow(/CHECK/);
  });

  it('leaves the schema at the last whole version when a migration fails', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    const broken: Migration[] = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM no_such_table;' }];
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tables(db)).not.toContain('half');
  });

  it('refuses a database from a newer Custodian', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/newer/);
  });

  it('opens with WAL, foreign keys and synchronous=FULL', () => {
    const db = openDatabase(tempDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('migration 8 makes checkpoint rows append-only', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 7));
    db.prepare(`INSERT INTO checkpoints (seq, hash, ts, reason, fingerprint, signature) VALUES (1, 'h', 't', 'batch', 'f', 's')`).run();
    expect(migrate(db, MIGRATIONS.slice(0, 8))).toEqual([8]);
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(() => db.prepare('DELETE FROM checkpoints').run()).toThrow(/append-only/);
    expect(() => db.prepare(`UPDATE checkpoints SET seq = 2`).run()).toThrow(/append-only/);
    expect(db.prepare('SELECT COUNT(*) FROM checkpoints').pluck().get()).toBe(1);
    // The row signed before checkpoints were ledger events is listed for the engine to adopt.
    expect(db.prepare('SELECT id FROM checkpoints_to_adopt').pluck().all()).toEqual([1]);
  });

  it('migration 9 indexes the text of existing pages, and its triggers keep the index in step with every write', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 8));
    db.prepare(`INSERT INTO batches (id, trace_id, roots, state, created_at) VALUES ('b', 't', '[]', 'done', 'now')`).run();
    db.prepare(
      `INSERT INTO documents (id, sha256, pipeline_version, size, media_type, first_batch_id, first_path, created_at) VALUES (7, 'h', 1, 1, 'application/pdf', 'b', '/p', 'now')`,
    ).run();
    const page = db.prepare(`INSERT INTO pages (document_id, page_no, state, text) VALUES (7, ?, 'done', ?)`);
    page.run(1, 'Le Café de la Gare');
    page.run(2, null);
    expect(migrate(db, MIGRATIONS.slice(0, 9))).toEqual([9]);
    const hits = (q: string): number[] => db.prepare('SELECT page_no FROM pages_fts WHERE pages_fts MATCH ? ORDER BY page_no').pluck().all(q) as number[];
    expect(hits('cafe')).toEqual([1]);
    db.prepare(`UPDATE pages SET text = 'cafe again' WHERE page_no = 2`).run();
    expect(hits('cafe')).toEqual([1, 2]);
    db.prepare(`UPDATE pages SET text = NULL WHERE page_no = 1`).run();
    expect(hits('cafe')).toEqual([2]);
    db.prepare('DELETE FROM pages WHERE page_no = 2').run();
    expect(hits('cafe')).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM pages_fts').pluck().get()).toBe(0);
  });

  it('migration 10 starts existing documents unreviewed and keeps review decisions append-only and well-formed', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 9));
    db.prepare(`INSERT INTO batches (id, trace_id, roots, state, created_at) VALUES ('b', 't', '[]', 'done', 'now')`).run();
    db.prepare(
      `INSERT INTO documents (id, sha256, pipeline_version, size, media_type, first_batch_id, first_path, created_at) VALUES (7, 'h', 1, 1, 'application/pdf', 'b', '/p', 'now')`,
    ).run();
    expect(migrate(db, MIGRATIONS.slice(0, 10))).toEqual([10]);
    expect(db.prepare('SELECT review FROM documents WHERE id = 7').pluck().get()).toBe('unreviewed');
    const insert = db.prepare(
      'INSERT INTO review_decisions (document_id, action, finding_id, page_no, box, code, reason, operator, created_at) VALUES (7, ?, ?, 1, NULL, ?, ?, ?, ?)',
    );
    insert.run('redact', 3, '(b)(6)', null, 'clerk', 'now');
    // A decision on a finding names it; a release has no code; a box or a withheld page names no finding.
    expect(() => insert.run('redact', null, '(b)(6)', null, 'clerk', 'now')).toThrow(/CHECK/);
    expect(() => insert.run('release', 3, '(b)(6)', 'why', 'clerk', 'now')).toThrow(/CHECK/);
    expect(() => insert.run('withhold-page', 3, '(b)(5)', 'why', 'clerk', 'now')).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE review_decisions SET code = '(b)(2)'`).run()).toThrow(/append-only: UPDATE refused/);
    expect(() => db.prepare('DELETE FROM review_decisions').run()).toThrow(/append-only: DELETE refused/);
    expect(() => db.prepare(`UPDATE documents SET review = 'done' WHERE id = 7`).run()).toThrow(/CHECK/);
  });

  it('migration 11 keeps every review decision, accepts release-page, and stays append-only', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    migrate(db, MIGRATIONS.slice(0, 10));
    db.prepare(`INSERT INTO batches (id, trace_id, roots, state, created_at) VALUES ('b', 't', '[]', 'done', 'now')`).run();
    db.prepare(
      `INSERT INTO documents (id, sha256, pipeline_version, size, media_type, first_batch_id, first_path, created_at) VALUES (7, 'h', 1, 1, 'application/pdf', 'b', '/p', 'now')`,
    ).run();
    db.prepare(
      `INSERT INTO review_decisions (document_id, action, finding_id, page_no, box, code, reason, operator, created_at) VALUES (7, 'redact', 3, 1, '[1,2,3,4]', '(b)(6)', NULL, 'clerk', 'then')`,
    ).run();
    expect(() =>
      db.prepare(`INSERT INTO review_decisions (document_id, action, page_no, operator, created_at) VALUES (7, 'release-page', 1, 'clerk', 'now')`).run(),
    ).toThrow(/CHECK/);
    expect(migrate(db, MIGRATIONS.slice(0, 11))).toEqual([11]);
    expect(db.prepare('SELECT action, finding_id, box, code, operator FROM review_decisions').all()).toEqual([
      { action: 'redact', finding_id: 3, box: '[1,2,3,4]', code: '(b)(6)', operator: 'clerk' },
    ]);
    db.prepare(
      `INSERT INTO review_decisions (document_id, action, page_no, reason, operator, created_at) VALUES (7, 'release-page', 1, 'why', 'clerk', 'now')`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO review_decisions (document_id, action, page_no, code, operator, created_at) VALUES (7, 'release-page', 1, '(b)(5)', 'clerk', 'now')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare('DELETE FROM review_decisions').run()).toThrow(/append-only: DELETE refused/);
    expect(() => db.prepare(`UPDATE review_decisions SET code = NULL`).run()).toThrow(/append-only: UPDATE refused/);
  });
});
