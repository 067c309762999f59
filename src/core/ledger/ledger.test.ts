import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/index.js';
import { tempDir } from '../../../test/helpers/fixtures.js';
import { GENESIS_HASH, appendEvent, canonicalJson, entryHash, tailLedger, verifyChain, type LedgerEvent } from './index.js';

const clock = { now: () => new Date('2026-11-29T12:00:00.000Z') };
const TRACE = '00000000-0000-4000-8000-000000000001';

/** The chain does not care what an event means: these tests use a type outside the catalogue. */
const testEvent = (payload: Record<string, unknown>): LedgerEvent => ({ traceId: TRACE, type: 'test.event', payload }) as unknown as LedgerEvent;

function ledgerWith(n: number): Db {
  const db = openDatabase(tempDir());
  for (let i = 1; i <= n; i++) appendEvent(db, clock, testEvent({ i, sha256: 'ab'.repeat(32) }));
  return db;
}

/** Tampering that an attacker with file access could do: the append-only triggers go first. */
function dropGuards(db: Db): void {
  db.exec('DROP TRIGGER ledger_refuse_update; DROP TRIGGER ledger_refuse_delete;');
}

describe('ledger hash chain', () => {
  it('chains each entry to the previous one with SHA-256(prev_hash || JCS(entry))', () => {
    const db = ledgerWith(3);
    const [first, second] = tailLedger(db, 3);
    expect(first!.prevHash).toBe(GENESIS_HASH);
    expect(second!.prevHash).toBe(first!.hash);
    const expected = createHash('sha256')
      .update(
        first!.prevHash +
          `{"payload":{"i":1,"sha256":"${'ab'.repeat(32)}"},"prev_hash":"${GENESIS_HASH}","seq":1,"trace_id":"${TRACE}","ts":"2026-11-29T12:00:00.000Z","type":"test.event"}`,
      )
      .digest('hex');
    expect(first!.hash).toBe(expected);
  });

  it('canonicalizes per RFC 8785: sorted keys, no spaces, shortest numbers', () => {
    expect(canonicalJson({ b: 1, a: [1e21, 0.1, 'é'], c: { z: null, y: true } })).toBe('{"a":[1e+21,0.1,"é"],"b":1,"c":{"y":true,"z":null}}');
    expect(entryHash({ seq: 1, ts: 't', trace_id: 'x', type: 'y', prev_hash: GENESIS_HASH, payload: { b: 1, a: 2 } })).toBe(
      entryHash({ seq: 1, ts: 't', trace_id: 'x', type: 'y', prev_hash: GENESIS_HASH, payload: { a: 2, b: 1 } }),
    );
  });

  it('verifies an intact chain and reports its head', () => {
    const db = ledgerWith(50);
    const result = verifyChain(db);
    expect(result).toEqual({ ok: true, entries: 50, head: tailLedger(db, 1)[0]!.hash });
  });

  it('verifies an empty ledger', () => {
    expect(verifyChain(ledgerWith(0))).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
  });

  it('refuses UPDATE and DELETE through triggers', () => {
    const db = ledgerWith(2);
    expect(() => db.prepare(`UPDATE ledger SET payload = '{}' WHERE seq = 1`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger WHERE seq = 2').run()).toThrow(/append-only/);
    expect(verifyChain(db).ok).toBe(true);
  });

  it('detects a changed payload at its seq', () => {
    const db = ledgerWith(10);
    dropGuards(db);
    db.prepare(`UPDATE ledger SET payload = '{"i":6,"sha256":"${'cd'.repeat(32)}"}' WHERE seq = 6`).run();
    expect(verifyChain(db)).toMatchObject({ ok: false, firstBadSeq: 6, reason: expect.stringMatching(/^hash-mismatch/) });
  });

  it('detects a changed timestamp or type at its seq', () => {
    const db = ledgerWith(10);
    dropGuards(db);
    db.prepare(`UPDATE ledger SET ts = '2020-01-01T00:00:00.000Z' WHERE seq = 3`).run();
    expect(verifyChain(db)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('detects a deleted row at the missing seq', () => {
    const db = ledgerWith(10);
    dropGuards(db);
    db.prepare('DELETE FROM ledger WHERE seq = 4').run();
    expect(verifyChain(db)).toMatchObject({ ok: false, firstBadSeq: 4, reason: expect.stringMatching(/^sequence-gap/) });
  });

  it('detects a deleted row even when later seqs are renumbered to close the gap', () => {
    const db = ledgerWith(10);
    dropGuards(db);
    db.prepare('DELETE FROM ledger WHERE seq = 4').run();
    db.prepare('UPDATE ledger SET seq = -(seq - 1) WHERE seq > 4').run();
    db.prepare('UPDATE ledger SET seq = -seq WHERE seq < 0').run();
    expect(verifyChain(db)).toMatchObject({ ok: false, firstBadSeq: 4, reason: expect.stringMatching(/^prev-hash-mismatch/) });
  });

  it('detects two swapped rows at the first of them', () => {
    const db = ledgerWith(10);
    dropGuards(db);
    const cols = 'ts, trace_id, type, prev_hash, hash, payload';
    const r5 = db.prepare(`SELECT ${cols} FROM ledger WHERE seq = 5`).get() as Record<string, string>;
    const r6 = db.prepare(`SELECT ${cols} FROM ledger WHERE seq = 6`).get() as Record<string, string>;
    const put = db.prepare(
      'UPDATE ledger SET ts = @ts, trace_id = @trace_id, type = @type, prev_hash = @prev_hash, hash = @hash, payload = @payload WHERE seq = @seq',
    );
    put.run({ ...r6, seq: 5 });
    put.run({ ...r5, seq: 6 });
    expect(verifyChain(db)).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  it('detects a forged row inserted in the middle, even one whose own hash is correct', () => {
    const db = ledgerWith(10);
    dropGuards(db);
    db.prepare('UPDATE ledger SET seq = -(seq + 1) WHERE seq >= 7').run();
    db.prepare('UPDATE ledger SET seq = -seq WHERE seq < 0').run();
    const prev = (db.prepare('SELECT hash FROM ledger WHERE seq = 6').get() as { hash: string }).hash;
    const forged = { seq: 7, ts: clock.now().toISOString(), trace_id: TRACE, type: 'quarantine.released', prev_hash: prev, payload: { quarantineId: 1 } };
    db.prepare('INSERT INTO ledger (seq, ts, trace_id, type, prev_hash, hash, payload) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      7,
      forged.ts,
      TRACE,
      forged.type,
      prev,
      entryHash(forged),
      canonicalJson(forged.payload),
    );
    // The forgery is self-consistent; the entry after it no longer follows it.
    expect(verifyChain(db)).toMatchObject({ ok: false, firstBadSeq: 8, reason: expect.stringMatching(/^prev-hash-mismatch/) });
  });

  it('detects a forged row appended with a made-up hash', () => {
    const db = ledgerWith(5);
    db.prepare('INSERT INTO ledger (seq, ts, trace_id, type, prev_hash, hash, payload) VALUES (6, ?, ?, ?, ?, ?, ?)').run(
      clock.now().toISOString(),
      TRACE,
      'file.registered',
      tailLedger(db, 1)[0]!.hash,
      'f'.repeat(64),
      '{}',
    );
    expect(verifyChain(db)).toMatchObject({ ok: false, firstBadSeq: 6, reason: expect.stringMatching(/^hash-mismatch/) });
  });

  it('appends inside a caller transaction and rolls back with it', () => {
    const db = ledgerWith(1);
    expect(() =>
      db
        .transaction(() => {
          appendEvent(db, clock, testEvent({}));
          throw new Error('abort');
        })
        .immediate(),
    ).toThrow('abort');
    expect(verifyChain(db)).toMatchObject({ ok: true, entries: 1 });
  });
});
