import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signCheckpoint, verifySignedFacts, writeSignedFolder, type ReportVerdict, type SigningKey, type TrustedKeys } from '../audit/index.js';
import type { Clock } from '../clock.js';
import { EngineError, requireReason } from '../errors.js';
import { appendEvent } from '../ledger/index.js';
import { drawFailureCode, type RenderPool } from '../render/index.js';
import type { ReviewDeps } from '../review/index.js';
import type { Db } from '../store/index.js';
import type { LedgerVerifyResult, ReleaseResult } from '../../shared/types.js';
import { countsByCode, exemptionLog, exemptionLogCsv, exemptionLogPdf } from './exemption-log.js';
import { buildReleasePdf, type BuiltPage } from './release-pdf.js';
import { batesNumber, planRelease, type PlannedPage } from './release-plan.js';
import { releaseReadme } from './release-readme.js';

/** Files every release folder holds besides its per-document PDFs (listed in release.json). */
export const RELEASE_FILES = ['release.json', 'combined.pdf', 'exemption-log.csv', 'exemption-log.pdf', 'public-key.pem', 'README.txt'] as const;

export type { ReleaseResult };

/** How to export a release. */
export type ReleaseOptions = {
  requestId: string;
  outDir: string;
  /** Letters, digits, `-` and `_`, at most 20; default the request id's. */
  batesPrefix?: string;
  batesStart?: number;
  /** Export although a document is not marked reviewed: its undecided findings are redacted under their suggestions. */
  allowUnreviewed?: boolean;
  reason?: string;
};

/** What the export needs from the engine. */
export type ReleaseDeps = {
  db: Db;
  clock: Clock;
  review: ReviewDeps;
  key: SigningKey;
  verify: () => LedgerVerifyResult;
  /** A pool for the pages (closed by the caller). */
  pool: RenderPool;
};

/** The Bates prefix a request id gives: upper case, anything but letters and digits as `-`. */
function defaultPrefix(requestId: string): string {
  return (
    requestId
      .toUpperCase()
      .replace(/[^A-Z0-9]+/gu, '-')
      .replace(/^-|-$/gu, '')
      .slice(0, 20) || 'REL'
  );
}

/**
 * Writes `release-<request>-<UTC time>/` into `outDir`: one PDF per responsive document named by its first
 * Bates number, `combined.pdf` in Bates order, the exemption log (CSV and PDF), release.json, README.txt,
 * public-key.pem, `manifest-sha256.txt` and `signature.ed25519` (a signed folder, written atomically). Every
 * page is its image with the redactions burned in (a pool thread draws it from the registered file, proven by
 * SHA-256) and an invisible text layer of the words no redaction touches; a withheld page says so and holds
 * nothing of the source. The ledger is verified first, and the export is a `release.exported` event with the
 * manifest's SHA-256 and the Bates range, followed by a signed checkpoint.
 * @throws EngineError `invalid-state` (a document blocks the release), `not-found`, `invalid-argument`,
 * `ledger-unverified`, `file-unavailable`, `render-failed`, `io-error`.
 */
export async function exportRelease(deps: ReleaseDeps, options: ReleaseOptions): Promise<ReleaseResult> {
  const { db, clock, key } = deps;
  const prefix = (options.batesPrefix ?? defaultPrefix(options.requestId)).toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9_-]{0,19}$/u.test(prefix))
    throw new EngineError('invalid-argument', `A Bates prefix is 1 to 20 letters, digits, - or _, starting with a letter or digit (got ${prefix}).`);
  const start = options.batesStart ?? 1;
  if (!Number.isSafeInteger(start) || start < 1 || start > 999_999)
    throw new EngineError('invalid-argument', 'The first Bates number is a whole number from 1 to 999999.');
  const unreviewedReason = options.allowUnreviewed ? requireReason(options.reason) : null;
  // One snapshot: the verification and the plan are read in one write-locked transaction.
  const { plan, request } = db
    .transaction(() => {
      const verdict = deps.verify();
      if (!verdict.ok) throw new EngineError('ledger-unverified', `Nothing was released: ${verdict.reason}. Run \`custodian ledger verify\` for the details.`);
      const request = db.prepare('SELECT id, jurisdiction, title FROM requests WHERE id = ?').get(options.requestId) as
        { id: string; jurisdiction: string; title: string | null } | undefined;
      const plan = planRelease(deps.review, options.requestId, { batesPrefix: prefix, batesStart: start, allowUnreviewed: Boolean(options.allowUnreviewed) });
      return { plan, request: request! };
    })
    .immediate();
  const pages = plan.flatMap((d) => d.pages);
  const last = start + pages.length - 1;
  if (last > 999_999) throw new EngineError('invalid-argument', `The release has ${pages.length} pages: Bates numbers from ${start} would pass 999999.`);

  const built = await Promise.all(pages.map((p) => drawPage(deps.pool, p)));
  const at = clock.now();
  const files: Record<string, string | Uint8Array> = {};
  const documents = [];
  let k = 0;
  for (const d of plan) {
    const own = built.slice(k, k + d.pages.length);
    k += d.pages.length;
    const file = `${d.pages[0]!.bates}.pdf`;
    files[file] = await buildReleasePdf(own, { title: `Release ${request.id}, ${d.pages[0]!.bates} to ${d.pages.at(-1)!.bates}`, at });
    documents.push({
      file,
      documentId: d.documentId,
      sha256: d.sha256,
      batesFirst: d.pages[0]!.bates,
      batesLast: d.pages.at(-1)!.bates,
      pages: d.pages.length,
      redactions: d.pages.reduce((n, p) => n + p.redactions.length, 0),
      withheldPages: d.pages.filter((p) => p.withheld).length,
      reviewed: d.review === 'reviewed',
    });
  }
  const batesFirst = batesNumber(prefix, start);
  const batesLast = batesNumber(prefix, last);
  const log = exemptionLog(plan);
  const byCode = countsByCode(log);
  const facts = {
    format: 'custodian-release/1',
    generatedAt: at.toISOString(),
    request: { id: request.id, jurisdiction: request.jurisdiction },
    bates: { prefix, first: batesFirst, last: batesLast, pages: pages.length },
    documents,
    exemptions: byCode,
    redactions: log.filter((e) => e.kind === 'redaction').length,
    withheldPages: log.filter((e) => e.kind === 'withheld-page').length,
    unreviewed: unreviewedReason ? { allowed: true, reason: unreviewedReason } : null,
    signing: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
  };
  files['combined.pdf'] = await buildReleasePdf(built, { title: `Release ${request.id}, ${batesFirst} to ${batesLast}`, at });
  files['exemption-log.csv'] = exemptionLogCsv(log);
  files['exemption-log.pdf'] = await exemptionLogPdf(log, { title: `Exemption log, release ${request.id}`, at, range: `${batesFirst} to ${batesLast}` });
  files['release.json'] = `${JSON.stringify(facts, null, 2)}\n`;
  files['public-key.pem'] = key.publicPem;
  files['README.txt'] = releaseReadme(key.fingerprint, facts.bates);
  const folder = `release-${request.id.replace(/[^A-Za-z0-9._-]+/gu, '_')}-${at.toISOString().replace(/[:.]/gu, '-')}`;
  const dir = await writeSignedFolder({ outDir: options.outDir, name: folder, key, files, what: 'release' });
  const manifestSha256 = createHash('sha256')
    .update(readFileSync(path.join(dir, 'manifest-sha256.txt')))
    .digest('hex');
  appendEvent(db, clock, {
    traceId: randomUUID(),
    type: 'release.exported',
    payload: {
      requestId: request.id,
      folder,
      manifestSha256,
      batesFirst,
      batesLast,
      documents: documents.length,
      pages: pages.length,
      redactions: facts.redactions,
      withheldPages: facts.withheldPages,
      byCode,
      ...(unreviewedReason ? { allowUnreviewed: true, reason: unreviewedReason } : {}),
      fingerprint: key.fingerprint,
    },
  });
  signCheckpoint(db, clock, key, 'release');
  return {
    dir,
    folder,
    requestId: request.id,
    documents: documents.length,
    pages: pages.length,
    batesFirst,
    batesLast,
    redactions: facts.redactions,
    withheldPages: facts.withheldPages,
    byCode,
    manifestSha256,
  };
}

/** Draws one page in the pool, as the plan says. @throws EngineError `file-unavailable` / `render-failed`. */
async function drawPage(pool: RenderPool, p: PlannedPage): Promise<BuiltPage> {
  const r = await pool.releasePage({
    kind: 'release-page',
    path: p.path,
    sha256: p.sha256,
    mediaType: p.mediaType,
    pageNo: p.pageNo,
    width: p.width,
    height: p.height,
    redactions: p.redactions.map((x) => ({ box: x.box, code: x.code })),
    withheld: p.withheld ? { code: p.withheld.code } : null,
  });
  if (!r.ok) {
    throw new EngineError(
      drawFailureCode(r.code),
      `Nothing was released: page ${p.pageNo} of document ${p.documentId} cannot be drawn: ${r.message} (${r.code}).`,
    );
  }
  // The image may be smaller than the stored size (a poster-size page): the text layer is placed in stored pixels.
  return { jpeg: r.jpeg, width: p.width, height: p.height, dpi: p.dpi, words: p.words, bates: p.bates };
}

/**
 * Checks a release folder with nothing but the folder, as `report verify` checks a report: signature, every
 * file's SHA-256, nothing added, the signer release.json names, and the signer against `trusted` when given.
 */
export function verifyRelease(dir: string, trusted?: TrustedKeys): ReportVerdict {
  return verifySignedFacts(dir, { required: RELEASE_FILES, facts: 'release.json', what: 'release' }, trusted);
}
