/**
 * `npm run bench:render [-- --runs N] [file ...]`: page-render figures for the viewer, not tests.
 *
 * Takes the files in (default: the corpus's 300 DPI Letter scan `linn.png` and `skew.pdf`, a scanned PDF of the
 * same sheet) into a fresh data folder without extracting, then times page 1 of each as the app asks for it,
 * through the `document:page` channel (engine, pool thread, SHA-256 of the file, render, PNG, base64): N cold
 * renders (the cache folder emptied before each) and N warm ones (from the disk cache), median and p95. The
 * reference in the same run is the bare render of the same bytes in this thread (`renderPageImage`: no pool,
 * no hash, no cache), and `pdftoppm -r 96` of a PDF page when poppler is installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { AppService } from '../src/core/app-service/index.js';
import { defaultPdfAssetsDir } from '../src/core/extract/index.js';
import { packageRoot } from '../src/core/package-paths.js';
import { renderPageImage } from '../src/core/render/thread.js';
import type { PageView } from '../src/shared/bridge-api.js';

const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '15' } }, allowPositionals: true });
const RUNS = Number(values.runs);
const corpus = path.join(packageRoot(), 'test', 'corpus');
const files = positionals.length ? positionals.map((f) => path.resolve(f)) : [path.join(corpus, 'scans', 'linn.png'), path.join(corpus, 'pdfs', 'skew.pdf')];

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const median = (xs: number[]): number => sorted(xs)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]): number => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;
const line = (name: string, ms: number[]): string => `${name.padEnd(34)} median ${fmt(median(ms)).padStart(7)}, p95 ${fmt(p95(ms)).padStart(7)}`;

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await f();
  return [performance.now() - t, value];
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-render-'));
  const dataDir = path.join(root, 'data');
  const service = AppService.open({ dataDir, extract: false }, { host: 'browser', version: 'bench', emit: () => undefined });
  try {
    const engine = service.engine;
    await engine.ingest(files);
    console.log(`render benchmark: ${RUNS} cold and ${RUNS} warm renders of page 1 of each file, as the app asks (document:page)`);
    for (const file of files) {
      const doc = engine.db.prepare('SELECT id, media_type AS mediaType FROM documents WHERE first_path = ?').get(file) as
        { id: number; mediaType: string } | undefined;
      if (!doc) throw new Error(`${file} was not taken in (duplicate or unsupported)`);
      const page = async (): Promise<PageView> => {
        const reply = await service.dispatch('document:page', [{ ref: String(doc.id), pageNo: 1 }]);
        if (!reply.ok) throw new Error(`${reply.code}: ${reply.message}`);
        return reply.value as PageView;
      };
      // The pool thread starts on the first render: timed apart, as the first page an operator opens.
      rmSync(path.join(dataDir, 'render-cache'), { recursive: true, force: true });
      const [firstMs, first] = await timed(page);
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        rmSync(path.join(dataDir, 'render-cache'), { recursive: true, force: true });
        const [ms, v] = await timed(page);
        if (v.cached) throw new Error('a cold render came from the cache');
        cold.push(ms);
      }
      for (let i = 0; i < RUNS; i++) {
        const [ms, v] = await timed(page);
        if (!v.cached) throw new Error('a warm render missed the cache');
        warm.push(ms);
      }
      const bytes = readFileSync(file);
      const bare: number[] = [];
      for (let i = 0; i < RUNS; i++)
        bare.push(
          (await timed(() => renderPageImage({ bytes, mediaType: doc.mediaType, pageNo: 1, pdfAssetsDir: defaultPdfAssetsDir(), maxPixels: 12_000_000 })))[0],
        );
      console.log(
        `\n${path.basename(file)} (${doc.mediaType}, ${(bytes.byteLength / 1024).toFixed(0)} KiB) -> ${first.width}x${first.height} PNG, ${(first.dataUrl.length / 1024).toFixed(0)} KiB as base64`,
      );
      console.log(`  ${line('first render (pool thread starts)', [firstMs])}`);
      console.log(`  ${line('cold (render, cache emptied)', cold)}`);
      console.log(`  ${line('warm (disk cache)', warm)}`);
      console.log(`  ${line('reference: bare render, this thread', bare)}  | cold / bare ${(median(cold) / median(bare)).toFixed(2)}x`);
      if (doc.mediaType === 'application/pdf') {
        const poppler: number[] = [];
        try {
          for (let i = 0; i < RUNS; i++)
            poppler.push((await timed(async () => execFileSync('pdftoppm', ['-r', '96', '-f', '1', '-l', '1', '-png', file, path.join(root, 'ppm')])))[0]);
          console.log(`  ${line('reference: pdftoppm -r 96 (poppler)', poppler)}  | cold / pdftoppm ${(median(cold) / median(poppler)).toFixed(2)}x`);
        } catch {
          console.log('  reference: pdftoppm not installed (apt-get install poppler-utils to compare)');
        }
      }
    }
  } finally {
    await service.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
