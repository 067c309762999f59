import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { parseId, type CliContext, type GlobalOptions } from './context.js';
import { terminalSafe } from './terminal-safe.js';

/** Adds `docs`, `text` and `page` to the program. */
export function addDocumentCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  program
    .command('docs')
    .description('list registered documents: state, pages, text methods, mean OCR confidence, legal hold, paths')
    .option('--batch <id>', 'only documents this batch registered or saw again')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { batch?: string };
      await withEngine(opts, async (engine) => {
        const documents = engine.documents.list({ batchId: opts.batch });
        if (opts.json) return printJson({ documents });
        if (documents.length === 0) return print('No documents.');
        print(`${'id'.padStart(6)}  ${'sha256'.padEnd(12)}  ${'state'.padEnd(11)} ${'pages'.padStart(5)}  ${'methods'.padEnd(16)} ${'conf'.padStart(4)}  path`);
        for (const d of documents) {
          const extra = [d.lane !== 'public' ? `lane ${d.lane}` : '', d.legalHold ? 'LEGAL HOLD' : '', d.paths > 1 ? `${d.paths} paths` : '']
            .filter(Boolean)
            .join(', ');
          const m = d.methods;
          const methods =
            [m.ocr ? `ocr ${m.ocr}` : '', m.textLayer ? `text ${m.textLayer}` : '', m.fallback ? `fallback ${m.fallback}` : ''].filter(Boolean).join(', ') ||
            '-';
          const conf = d.meanConfidence === null ? '-' : d.meanConfidence.toFixed(0);
          print(
            `${String(d.id).padStart(6)}  ${d.sha256.slice(0, 12)}  ${d.state.padEnd(11)} ${String(d.pages ?? '-').padStart(5)}  ${methods.padEnd(16)} ${conf.padStart(4)}  ${terminalSafe(d.path)}${extra ? `  (${extra})` : ''}`,
          );
        }
      });
    });

  program
    .command('text')
    .description('print the extracted text of a document')
    .argument('<doc>', 'document id or SHA-256')
    .option('--page <n>', 'only this page', parseId)
    .option('--reason <text>', 'why you read a pii or classified document (required for those; the viewing is recorded)')
    .action(async (ref: string, _o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { page?: number; reason?: string };
      await withEngine(opts, async (engine) => {
        const pages = engine.documents.readText(ref, opts.reason, opts.page);
        if (opts.json) return printJson({ pages });
        for (const p of pages) {
          if (pages.length > 1 || opts.page === undefined)
            print(`--- page ${p.pageNo} (${p.method ?? p.state}${p.confidence === null ? '' : `, confidence ${Math.round(p.confidence)}`}) ---`);
          print((p.text ?? '').trimEnd()); // escaped by print: a text layer may carry terminal controls
        }
      });
    });

  program
    .command('page')
    .description('draw one page of a document as a PNG (as the viewer shows it), with the scale from stored boxes to its pixels')
    .argument('<doc>', 'document id or SHA-256')
    .argument('<pageNo>', 'page number, from 1', parseId)
    .requiredOption('--out <file>', 'where to write the PNG')
    .option('--width <px>', 'image width in pixels (default: longest side 1600, at most 4000)', parseId)
    .option('--reason <text>', 'why you view a pii or classified page (required for those; the viewing is recorded)')
    .action(async (ref: string, pageNo: number, _o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { out: string; width?: number; reason?: string };
      await withEngine(opts, async (engine) => {
        const { image, ...page } = await engine.documents.renderPage(ref, pageNo, { width: opts.width, reason: opts.reason });
        const out = path.resolve(opts.out);
        await writeFile(out, image);
        if (opts.json) return printJson({ ...page, out, bytes: image.byteLength });
        const scale = page.boxScale === null ? 'not extracted yet' : `boxes x${page.boxScale.toFixed(4)}`;
        print(
          `Page ${page.pageNo}${page.pages ? ` of ${page.pages}` : ''}: ${page.width}x${page.height} px (${scale}${page.cached ? ', cached' : ''}) -> ${terminalSafe(out)}`,
        );
      });
    });
}
