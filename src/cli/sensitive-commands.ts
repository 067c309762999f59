import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** Adds `findings`, `lane set`, `redaction export` and `terms …` to the program. */
export function addSensitiveCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  program
    .command('findings')
    .description('personal identifiers and markings found in a document: type, page, box, confidence, suggested exemption')
    .argument('<doc>', 'document id or SHA-256')
    .action(async (ref: string, _o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const findings = engine.sensitive.findings(ref);
        if (opts.json) return printJson({ findings });
        if (findings.length === 0) print('No findings.');
        for (const f of findings) {
          const box = f.bbox ? `[${f.bbox.join(', ')}]` : '(no box)';
          print(`page ${String(f.page).padStart(3)}  ${f.type.padEnd(22)} ${box.padEnd(24)} conf ${f.confidence.toFixed(2)}  ${f.suggestedExemption}`);
        }
      });
    });

  program
    .command('lane')
    .description("a document's processing lane")
    .command('set')
    .description('set a lane on an operator decision (lowering a raised lane needs this); the reason goes into the ledger')
    .argument('<doc>', 'document id or SHA-256')
    .argument('<lane>', 'public, pii or classified')
    .requiredOption('--reason <text>', 'why, for the ledger')
    .action(async (ref: string, lane: string, o: { reason: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.sensitive.setLane(ref, lane, o.reason);
        if (opts.json) printJson(r);
        else print(`Document ${r.documentId}: lane ${r.from} -> ${r.to}.`);
      });
    });

  program
    .command('redaction')
    .description('hand-off to the redaction stage')
    .command('export')
    .description('write a worklist JSON per flagged document of a batch or a request, and a summary, into a folder')
    .option('--batch <id>', 'the documents of this batch')
    .option('--request <id>', 'the documents of this request')
    .requiredOption('--out <dir>', 'folder to write into (created if missing)')
    .action(async (o: { batch?: string; request?: string; out: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.sensitive.exportRedaction({ batchId: o.batch, requestId: o.request }, o.out);
        if (opts.json) return printJson(r);
        print(`Wrote ${r.documents} worklist(s) with ${r.findings} finding(s) and summary.json to ${r.dir}`);
      });
    });

  const terms = program.command('terms').description("the agency's own list of terms to flag");
  terms
    .command('add')
    .description('flag a word or phrase from now on (with the statute that withholds it, for a (b)(3) suggestion)')
    .argument('<term>')
    .option('--statute <citation>', 'e.g. "50 U.S.C. §3024(i)"')
    .action(async (term: string, o: { statute?: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        engine.sensitive.addTerm(term, o.statute);
        if (opts.json) printJson({ ok: true });
        else print('Term added.');
      });
    });
  terms
    .command('list')
    .description('the terms')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const list = engine.sensitive.terms();
        if (opts.json) return printJson({ terms: list });
        if (list.length === 0) print('No terms.');
        for (const t of list) print(`${t.term}${t.statute ? `  (${t.statute})` : ''}`);
      });
    });
  terms
    .command('remove')
    .description('stop flagging a term')
    .argument('<term>')
    .action(async (term: string, _o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        engine.sensitive.removeTerm(term);
        if (opts.json) printJson({ ok: true });
        else print('Term removed.');
      });
    });
}
