import { CommanderError, type Command } from 'commander';
import type { DocumentReview, PageBox } from '../shared/types.js';
import { EXIT, parseId, type CliContext, type GlobalOptions } from './context.js';
import { terminalSafe } from './terminal-safe.js';

type ReviewFlags = GlobalOptions & { code?: string; reason?: string; all?: boolean; page?: number; box?: PageBox };

const ACTIONS = ['show', 'redact', 'release', 'box', 'withhold', 'release-page', 'done', 'reopen'] as const;
type Action = (typeof ACTIONS)[number];

const usage = (message: string): CommanderError => new CommanderError(EXIT.usage, 'custodian.reviewUsage', message);

/** `x0,y0,x1,y1`, whole pixels. */
function parseBox(value: string): PageBox {
  const parts = value.split(',').map((v) => Number(v.trim()));
  if (parts.length !== 4 || !parts.every((n) => Number.isInteger(n) && n >= 0)) throw usage(`--box takes x0,y0,x1,y1 in whole pixels (got ${value})`);
  return parts as PageBox;
}

function ids(values: string[]): number[] {
  return values.map((v) => parseId(v));
}

/** The review as an officer reads it in a terminal. */
function printReview(r: DocumentReview, print: (line: string) => void): void {
  print(`Document ${r.documentId} (${terminalSafe(r.name)}, ${r.lane} lane, ${r.pages ?? '?'} page(s)): ${r.state}; codes of ${r.jurisdictions.join(', ')}`);
  if (r.items.length === 0) print('  No findings.');
  else {
    print(`  ${'id'.padStart(5)}  ${'page'.padStart(4)}  ${'finding'.padEnd(22)} ${'conf'.padStart(4)}  ${'suggested'.padEnd(10)} decision`);
    for (const i of r.items) {
      const d = i.decision;
      const decision = d ? `${d.action}${d.code ? ` ${d.code}` : ''} by ${terminalSafe(d.operator)}${d.reason ? `: ${terminalSafe(d.reason)}` : ''}` : '-';
      const merged = i.findingIds.length > 1 ? ` (x${i.findingIds.length}: ${i.findingIds.join(', ')})` : '';
      print(
        `  ${String(i.id).padStart(5)}  ${String(i.pageNo).padStart(4)}  ${(i.type + merged).padEnd(22)} ${`${i.confidence}%`.padStart(4)}  ${i.suggestedCode.padEnd(10)} ${decision}`,
      );
    }
  }
  for (const b of r.boxes)
    print(`  box ${b.id} on page ${b.pageNo} at ${b.box!.join(',')}: ${b.code}${b.reason ? `: ${terminalSafe(b.reason)}` : ''} (${terminalSafe(b.operator)})`);
  for (const w of r.withheldPages) print(`  page ${w.pageNo} withheld in full: ${w.code}: ${terminalSafe(w.reason ?? '')} (${terminalSafe(w.operator)})`);
  for (const w of r.releasedPages) print(`  page ${w.pageNo} released as reviewed: ${terminalSafe(w.reason ?? '')} (${terminalSafe(w.operator)})`);
  print(
    r.undecided
      ? `  ${r.undecided} finding(s) without a decision.`
      : r.state === 'reviewed'
        ? '  Reviewed.'
        : '  Every finding has a decision: `done` marks it reviewed.',
  );
}

/** Adds `review` to the program. */
export function addReviewCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  program
    .command('review')
    .description("a document's review: findings with ids and suggested codes, and the officer's decisions (each on the ledger)")
    .argument('<doc>', 'document id or SHA-256')
    .argument('[action]', `show (default), redact, release, box, withhold, release-page, done, reopen`)
    .argument('[ids...]', 'finding ids, for redact and release')
    .option('--all', 'redact: every finding still without a decision')
    .option('--code <code>', 'exemption code (redact: default each finding’s suggestion; box and withhold: required)')
    .option('--reason <text>', 'why (required for release, withhold and reopen); goes into the ledger')
    .option('--page <n>', 'box, withhold and release-page: the page', parseId)
    .option('--box <x0,y0,x1,y1>', 'box: the area in page-image pixels, as word boxes are', parseBox)
    .addHelpText(
      'after',
      `
Examples:
  custodian review 12                                   findings, suggested codes, decisions
  custodian review 12 redact 31 32 --code b6            redact two findings under (b)(6)
  custodian review 12 redact --all                      every undecided finding, each under its suggestion
  custodian review 12 release 33 --reason "officer's own name, public record"
  custodian review 12 box --page 2 --box 100,200,640,260 --code "(b)(6)"
  custodian review 12 withhold --page 3 --code "(b)(5)" --reason "draft memo, deliberative"
  custodian review 12 release-page --page 1 --reason "banner only, page declassified"   a classified record's page
  custodian review 12 done                              refused while a finding has no decision
  custodian review 12 reopen --reason "requester narrowed the request"`,
    )
    .action(async (ref: string, action: string | undefined, rest: string[], _o, cmd: Command) => {
      const opts = globals(cmd) as ReviewFlags;
      const act = (action ?? 'show') as Action;
      if (!ACTIONS.includes(act)) throw usage(`unknown review action ${action}: one of ${ACTIONS.join(', ')}`);
      if (act !== 'redact' && act !== 'release' && rest.length) throw usage(`review ${act} takes no finding ids`);
      await withEngine(opts, async (engine) => {
        const needPage = (): number => {
          if (opts.page === undefined) throw usage(`review ${act} needs --page <n>`);
          return opts.page;
        };
        const needCode = (): string => {
          if (!opts.code) throw usage(`review ${act} needs --code <exemption code>`);
          return opts.code;
        };
        let review: DocumentReview;
        switch (act) {
          case 'show':
            review = engine.review.show(ref);
            break;
          case 'redact':
            if (opts.all && rest.length) throw usage('review redact takes finding ids or --all, not both');
            if (!opts.all && !rest.length) throw usage('review redact needs finding ids or --all');
            review = engine.review.redact(ref, opts.all ? 'all' : ids(rest), { code: opts.code, reason: opts.reason });
            break;
          case 'release':
            if (!rest.length) throw usage('review release needs finding ids');
            review = engine.review.release(ref, ids(rest), opts.reason);
            break;
          case 'box':
            if (!opts.box) throw usage('review box needs --box x0,y0,x1,y1');
            review = engine.review.box(ref, needPage(), opts.box, needCode(), opts.reason);
            break;
          case 'withhold':
            review = engine.review.withhold(ref, needPage(), needCode(), opts.reason);
            break;
          case 'release-page':
            review = engine.review.releasePage(ref, needPage(), opts.reason);
            break;
          case 'done':
            review = engine.review.done(ref);
            break;
          case 'reopen':
            review = engine.review.reopen(ref, opts.reason);
            break;
        }
        if (opts.json) return printJson({ review });
        printReview(review, print);
      });
    });
}
