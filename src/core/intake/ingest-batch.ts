import { randomUUID } from 'node:crypto';
import type { Lane } from '../sensitive/index.js';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import type { IngestSummary, PageCounts } from '../../shared/types.js';
import { appendEvent } from '../ledger/index.js';
import { batchJobCounts, completeBatchIfFinished, holdBatch, isOwnerGone } from '../queue/index.js';
import { failpoint } from '../failpoints.js';
import { errnoCode } from '../errors.js';
import { performance } from 'node:perf_hooks';
import { evaluateItem, type Evaluation } from './evaluate-item.js';
import type { Backpressure } from '../pool/index.js';
import { recordIntake, type BatchRef } from './record-intake.js';
import { missingFromPayload, walkRoot, type WalkItem } from './walk.js';
import type { HashingFigures } from '../../shared/types.js';

/** Files hashed concurrently during intake. */
const HASH_AHEAD = 4;
/** Most intake entries recorded in one transaction. */
const GROUP_SIZE = 64;
/** Longest a hashed entry waits for its group's commit, ms: a slow walk still commits steadily. */
const GROUP_MS = 250;

/** A batch row as the engine uses it. */
export type Batch = BatchRef & { requestId: string | null; roots: string[]; state: 'walking' | 'processing' | 'done'; createdAt: string };

/** Progress of intake, for a progress bar. */
export type IntakeProgress = HashingFigures;

/** Creates a batch in state `walking` with its trace id, and writes `batch.started`. */
export function createBatch(db: Db, clock: Clock, roots: string[], requestId: string | null, owner: string, lane: Lane | null = null): Batch {
  const batch: Batch = { id: randomUUID(), traceId: randomUUID(), requestId, roots, state: 'walking', createdAt: clock.now().toISOString() };
  db.transaction(() => {
    db.prepare(`INSERT INTO batches (id, trace_id, request_id, roots, state, owner, lane, created_at) VALUES (?, ?, ?, ?, 'walking', ?, ?, ?)`).run(
      batch.id,
      batch.traceId,
      requestId,
      JSON.stringify(roots),
      owner,
      lane,
      batch.createdAt,
    );
    appendEvent(db, clock, {
      traceId: batch.traceId,
      type: 'batch.started',
      payload: { batchId: batch.id, roots: roots.length, requestId, ...(lane ? { lane } : {}) },
    });
  }).immediate();
  return batch;
}

/** Reads a batch by id, or undefined. */
export function getBatch(db: Db, id: string): Batch | undefined {
  const row = db.prepare('SELECT id, trace_id AS traceId, request_id AS requestId, roots, state, created_at AS createdAt FROM batches WHERE id = ?').get(id) as
    (Omit<Batch, 'roots'> & { roots: string }) | undefined;
  return row && { ...row, roots: JSON.parse(row.roots) as string[] };
}

/** Every entry under the given roots, plus what their custody manifests list but the walk did not find. */
export async function walkAll(roots: string[]): Promise<WalkItem[]> {
  const items: WalkItem[] = [];
  for (const root of roots) {
    try {
      const result = await walkRoot(root);
      items.push(...result.items, ...missingFromPayload(result));
    } catch (err) {
      // A dropped root that disappeared before (or while) a resumed walk reached it is recorded, not skipped.
      const errno = errnoCode(err) ?? 'unknown';
      items.push({ kind: 'problem', path: root, code: errno === 'ENOENT' ? 'vanished' : 'unreadable', detail: { errno }, scopes: [] });
    }
  }
  return items;
}

/**
 * Walks a batch's roots and records every entry, one transaction per entry. Re-running it on a batch
 * interrupted at any point records only the entries not yet recorded, then marks the batch walked
 * (and done, if it queued nothing).
 */
export async function walkBatch(
  db: Db,
  clock: Clock,
  batch: Batch,
  options: {
    onProgress?: (p: IntakeProgress) => void;
    gate?: Backpressure;
    onCommit?: () => void;
    /** Stops the walk at the next file. */ signal?: AbortSignal;
  } = {},
): Promise<void> {
  const { onProgress, gate, onCommit, signal } = options;
  const items = await walkAll(batch.roots);
  // Paths already recorded (a resumed walk) and paths reached twice (overlapping roots) are taken once.
  const taken = new Set(db.prepare('SELECT path FROM intake_entries WHERE batch_id = ?').pluck().all(batch.id) as string[]);
  const todo = items.filter((item) => !taken.has(item.path) && Boolean(taken.add(item.path)));
  const progress: IntakeProgress = {
    batchId: batch.id,
    filesTotal: todo.length,
    filesDone: 0,
    bytesTotal: todo.reduce((sum, i) => sum + (i.kind === 'file' ? i.size : 0), 0),
    bytesDone: 0,
  };
  onProgress?.(progress);
  let lastReport = 0;
  // Group commit: entries are recorded in transactions of up to GROUP_SIZE entries (or GROUP_MS of work).
  // One fsync'd commit per file would cap intake at a few thousand small files a second. A crash loses
  // only the uncommitted group, and a resumed walk hashes those files again: nothing is recorded twice.
  let group: { path: string; evaluation: Evaluation }[] = [];
  // A group never holds more than the high watermark: the gate only sees committed jobs, so a larger group
  // would overshoot it unseen.
  const groupLimit = gate ? Math.max(1, Math.min(GROUP_SIZE, gate.high)) : GROUP_SIZE;
  let groupStarted = performance.now();
  const flush = (): void => {
    if (group.length === 0) return;
    const entries = group;
    group = [];
    db.transaction(() => {
      for (const e of entries) recordIntake(db, clock, batch, e.path, e.evaluation);
    }).immediate();
    failpoint('intake.after-commit');
    onCommit?.();
  };
  const onBytes = (n: number): void => {
    progress.bytesDone += n;
    const now = Date.now();
    if (onProgress && now - lastReport > 100) {
      lastReport = now;
      onProgress(progress);
    }
  };
  // Hash a few files ahead so file-system round trips overlap hashing; record them in walk order.
  const ahead: Promise<Evaluation>[] = [];
  let started = 0;
  const cancelled = db.prepare(`SELECT hold = 'cancelled' FROM batches WHERE id = ?`).pluck();
  for (const item of todo) {
    // Shutdown, or an operator's `batch cancel` from another process: commit what is hashed and hand the walk
    // back; the next start finishes it (a cancelled batch only after `batch continue`).
    if (signal?.aborted || cancelled.get(batch.id) === 1) {
      await Promise.allSettled(ahead);
      flush();
      db.prepare(`UPDATE batches SET owner = NULL WHERE id = ? AND state = 'walking'`).run(batch.id);
      return;
    }
    // Backpressure: with the queue too deep, commit what is hashed and wait until extraction catches up.
    if (gate?.mustWait()) {
      flush();
      await gate.admit();
    }
    while (started < todo.length && ahead.length < HASH_AHEAD) {
      const pending = evaluateItem(todo[started++]!, { onBytes });
      pending.catch(() => undefined); // awaited in order below; do not report it unhandled meanwhile
      ahead.push(pending);
    }
    const evaluation = await ahead.shift()!;
    failpoint('intake.after-hash');
    if (group.length === 0) groupStarted = performance.now();
    group.push({ path: item.path, evaluation });
    if (group.length >= groupLimit || performance.now() - groupStarted >= GROUP_MS) flush();
    progress.filesDone++;
    if (progress.filesDone === progress.filesTotal) flush();
    onProgress?.(progress);
  }
  failpoint('batch.before-walked');
  db.transaction(() => {
    const moved = db
      .prepare(`UPDATE batches SET state = 'processing', walked_at = ? WHERE id = ? AND state = 'walking'`)
      .run(clock.now().toISOString(), batch.id).changes;
    if (moved !== 1) return;
    appendEvent(db, clock, { traceId: batch.traceId, type: 'batch.walked', payload: { batchId: batch.id, ...intakeCounts(db, batch.id) } });
    completeBatchIfFinished(db, clock, batch.id);
  }).immediate();
}

/** How a walk is fed and observed (see {@link walkBatch}). */
export type WalkOptions = NonNullable<Parameters<typeof walkBatch>[3]>;

/**
 * Finishes the walks of batches whose walking process is gone: each is taken over by `owner` (only one
 * process wins it), with `batch.resumed`, then walked to the end. A cancelled batch is left alone. One bad
 * batch never blocks the others: a walk that fails is cancelled (`batch.cancelled` with `walk-failed`) and
 * the next batch is walked. @returns how many batches were resumed.
 */
export async function resumeStrandedWalks(db: Db, clock: Clock, owner: string, walkOptions: WalkOptions = {}): Promise<number> {
  const stranded = db.prepare(`SELECT id, owner FROM batches WHERE state = 'walking' AND hold IS NOT 'cancelled' ORDER BY created_at`).all() as {
    id: string;
    owner: string | null;
  }[];
  let batches = 0;
  for (const { id, owner: previous } of stranded) {
    if (!isOwnerGone(previous)) continue;
    const batch = db
      .transaction((): Batch | undefined => {
        const taken = db.prepare(`UPDATE batches SET owner = ? WHERE id = ? AND state = 'walking' AND owner IS ?`).run(owner, id, previous).changes;
        if (!taken) return undefined;
        const b = getBatch(db, id)!;
        appendEvent(db, clock, { traceId: b.traceId, type: 'batch.resumed', payload: { batchId: id } });
        return b;
      })
      .immediate();
    if (!batch) continue;
    batches++;
    try {
      await walkBatch(db, clock, batch, walkOptions);
    } catch (err) {
      if (walkOptions.signal?.aborted) throw err;
      holdBatch(db, clock, id, 'cancelled', `walk failed: ${(err as Error).message}`, 'walk-failed');
      db.prepare(`UPDATE batches SET owner = NULL WHERE id = ? AND state = 'walking'`).run(id);
    }
  }
  return batches;
}

/** Intake counts of a batch, from what was recorded. */
export function intakeCounts(db: Db, batchId: string): Omit<IngestSummary, 'batchId' | 'traceId' | 'requestId' | 'jobs' | 'pages' | 'durationMs'> {
  const rows = db
    .prepare(
      "SELECT outcome, COUNT(*) AS n, SUM(COALESCE(size, 0)) AS bytes, SUM(retention = 'hold') AS holds FROM intake_entries WHERE batch_id = ? GROUP BY outcome",
    )
    .all(batchId) as {
    outcome: string;
    n: number;
    bytes: number;
    holds: number;
  }[];
  const by = (o: string): number => rows.find((r) => r.outcome === o)?.n ?? 0;
  const missing = db.prepare(`SELECT COUNT(*) FROM intake_entries WHERE batch_id = ? AND reason_code = 'missing-from-payload'`).pluck().get(batchId) as number;
  const quarantined = db.prepare('SELECT COUNT(*) FROM quarantine WHERE batch_id = ? AND intake_entry_id IS NOT NULL').pluck().get(batchId) as number;
  const total = rows.reduce((s, r) => s + r.n, 0);
  return {
    files: total - missing,
    registered: by('registered'),
    duplicates: by('duplicate'),
    quarantined,
    unsupported: by('unsupported'),
    custodyFiles: by('custody-file'),
    holds: rows.reduce((s, r) => s + (r.holds ?? 0), 0),
    bytes: rows.reduce((s, r) => s + (r.bytes ?? 0), 0),
  };
}

/**
 * Pages of the records a batch registered, by how their text was obtained. `total` is their sum: pages of
 * a quarantined document (or not yet extracted) are not counted; the quarantine list says why.
 */
export function batchPageCounts(db: Db, batchId: string): PageCounts {
  const r = db
    .prepare(
      `SELECT COUNT(p.method) AS total, SUM(p.method = 'ocr') AS ocr, SUM(p.method = 'text-layer') AS textLayer, SUM(p.method = 'fallback') AS fallback,
              SUM(p.blank) AS blank
         FROM documents d JOIN pages p ON p.document_id = d.id WHERE d.first_batch_id = ?`,
    )
    .get(batchId) as { total: number; ocr: number | null; textLayer: number | null; fallback: number | null; blank: number | null };
  return { total: r.total, ocr: r.ocr ?? 0, textLayer: r.textLayer ?? 0, fallback: r.fallback ?? 0, blank: r.blank ?? 0 };
}

/** The summary of one batch as it stands. */
export function batchSummary(db: Db, batch: Batch, durationMs: number): IngestSummary {
  return {
    batchId: batch.id,
    traceId: batch.traceId,
    requestId: batch.requestId,
    ...intakeCounts(db, batch.id),
    jobs: batchJobCounts(db, batch.id),
    pages: batchPageCounts(db, batch.id),
    durationMs,
  };
}

/**
 * Hands back every unfinished walk (no owner), so the next start finishes it: after a restore, the process
 * that was walking belongs to the lost workstation. @returns how many.
 */
export function releaseWalks(db: Db): number {
  return db.prepare(`UPDATE batches SET owner = NULL WHERE state = 'walking'`).run().changes;
}
