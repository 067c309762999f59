import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { verifyRelease } from '../core/index.js';
import { addSignedFolderVerify } from './audit-commands.js';
import { parseId, type CliContext, type GlobalOptions } from './context.js';
import { terminalSafe } from './terminal-safe.js';

type ExportFlags = GlobalOptions & { request: string; out: string; batesPrefix?: string; batesStart?: number; allowUnreviewed?: boolean; reason?: string };

/** Adds `release export|verify` and `export pdf` to the program. */
export function addReleaseCommands(program: Command, ctx: CliContext): void {
  const { globals, withEngine, print, printJson } = ctx;
  const release = program.command('release').description('the production for a request: its reviewed records redacted, Bates-numbered, logged and signed');
  release
    .command('export')
    .description('write a signed release folder for a request (refused while a responsive document is not reviewed)')
    .requiredOption('--request <id>', 'the request whose responsive documents are released')
    .requiredOption('--out <dir>', 'where the release folder is written')
    .option('--bates-prefix <text>', 'Bates prefix: letters, digits, - and _ (default: from the request id)')
    .option('--bates-start <n>', 'first Bates number (default 1)', parseId)
    .option('--allow-unreviewed', 'release documents not marked reviewed: their undecided findings are redacted under their suggested codes')
    .option('--reason <text>', 'why, with --allow-unreviewed (recorded in the ledger and in release.json)')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd) as ExportFlags;
      await withEngine(opts, async (engine) => {
        const r = await engine.releases.export({
          requestId: opts.request,
          outDir: opts.out,
          batesPrefix: opts.batesPrefix,
          batesStart: opts.batesStart,
          allowUnreviewed: opts.allowUnreviewed,
          reason: opts.reason,
        });
        if (opts.json) return printJson(r);
        print(`Release written to ${terminalSafe(r.dir)}`);
        print(`  ${r.documents} document(s), ${r.pages} page(s), Bates ${r.batesFirst} to ${r.batesLast}`);
        const codes = Object.entries(r.byCode)
          .map(([c, n]) => `${c} ${n}`)
          .join(', ');
        print(`  ${r.redactions} redaction(s), ${r.withheldPages} page(s) withheld${codes ? `: ${codes}` : ''}; manifest SHA-256 ${r.manifestSha256}`);
      });
    });
  addSignedFolderVerify(release, 'release', verifyRelease, ctx);

  program
    .command('export')
    .description('files for the archive')
    .command('pdf')
    .description("write the document as a searchable PDF: the original pages with Custodian's OCR text on the words")
    .argument('<doc>', 'document id or SHA-256')
    .requiredOption('--out <file>', 'the PDF to write (replaced when it exists)')
    .option('--reason <text>', 'why, for a pii or classified document (the viewing is recorded)')
    .action(async (ref: string, _o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { out: string; reason?: string };
      await withEngine(opts, async (engine) => {
        const r = await engine.exports.searchablePdf(ref, opts.reason);
        const out = path.resolve(opts.out);
        // Written beside the target and renamed: a reader never sees half a PDF.
        const tmp = `${out}.${process.pid}.partial`;
        await writeFile(tmp, r.bytes);
        await rename(tmp, out);
        const { bytes, ...facts } = r;
        if (opts.json) return printJson({ ...facts, out, size: bytes.byteLength });
        print(
          `Searchable PDF written to ${terminalSafe(out)}: ${r.pages} page(s), OCR text added to ${r.ocrPagesLayered}, own text layer kept on ${r.textLayerPagesKept}`,
        );
        print(
          r.pdfa
            ? `Declared ${r.pdfa} (sRGB output intent, embedded font, XMP).`
            : 'Not declared PDF/A: the PDF keeps its own pages, fonts and colours as they are.',
        );
      });
    });
}
