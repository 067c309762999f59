import type { Command } from 'commander';
import type { Lane, SnippetPart } from '../shared/types.js';
import { parseId, type CliContext, type GlobalOptions } from './context.js';
import { terminalSafe } from './terminal-safe.js';

type SearchFlags = GlobalOptions & { request?: string; lane?: Lane; limit?: number; reason?: string; attach?: string };

const LANES: readonly Lane[] = ['public', 'pii', 'classified'];

/** A snippet on one line, each match between « and ». */
function snippetLine(parts: SnippetPart[]): string {
  return parts
    .map((p) => (p.match ? `«${p.text}»` : p.text))
    .join('')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Adds `search` to the program. */
export function addSearchCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  program
    .command('search')
    .description('search the extracted text of every page: words, "phrases", prefix*, AND, OR, NOT, ( )')
    .argument('<query>', 'what to find (quote it for the shell)')
    .option('--request <id>', 'only documents responsive to this request')
    .option('--lane <lane>', 'only documents in this lane: public, pii or classified', (v: string) => {
      if (!(LANES as readonly string[]).includes(v)) throw new Error(`--lane must be one of ${LANES.join(', ')}`);
      return v as Lane;
    })
    .option('--limit <n>', 'most hits shown (default 50, at most 1000)', parseId)
    .option('--reason <text>', 'why you read pii or classified snippets (without it they are withheld; each document shown is recorded)')
    .option('--attach <request>', "add every hit's document to this request's responsive set")
    .action(async (query: string, _o, cmd: Command) => {
      const opts = globals(cmd) as SearchFlags;
      await withEngine(opts, async (engine) => {
        const result = engine.search.pages({ query, requestId: opts.request, lane: opts.lane, limit: opts.limit, reason: opts.reason });
        const attached = opts.attach ? engine.requests.addDocuments(opts.attach, [...new Set(result.hits.map((h) => h.documentId))], 'search') : null;
        if (opts.json) return printJson({ ...result, ...(attached ? { attached } : {}) });
        if (result.hits.length === 0) print('No pages match.');
        for (const h of result.hits) {
          const where = `doc ${h.documentId} p${h.pageNo}`;
          const lane = h.lane === 'public' ? '' : ` [${h.lane}]`;
          print(`${where.padEnd(14)} ${h.score.toFixed(2).padStart(6)}  ${terminalSafe(h.name)}${lane}`);
          print(`    ${h.snippet ? snippetLine(h.snippet) : '(snippet withheld: restricted document; give --reason to see it, recorded in the ledger)'}`);
        }
        if (result.more) print(`More pages match; showing the best ${result.hits.length} (--limit raises it).`);
        if (attached) print(`Request ${opts.attach}: ${attached.added} documents added to the responsive set (${attached.already} were already in it).`);
      });
    });
}
