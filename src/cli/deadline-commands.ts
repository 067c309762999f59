import { EngineError } from '../core/index.js';
import type { Command } from 'commander';
import type { DeadlineRow } from '../core/index.js';
import type { RequestSummary } from '../shared/types.js';
import type { CliContext } from './context.js';

const dayWord = (kind: 'business' | 'calendar', n: number): string =>
  `${n} ${kind === 'business' ? 'business' : 'calendar'} day${Math.abs(n) === 1 ? '' : 's'}`;

function describeRequest(r: RequestSummary): string {
  const clock =
    r.status === 'closed'
      ? `closed ${r.closedOn}`
      : `due ${r.dueDate}, ${r.daysElapsed}/${r.allowedDays} days used (${r.percentUsed}%), ${r.status}${r.tolled ? ', clock stopped' : ''}`;
  return `${r.id}  ${r.jurisdiction}  received ${r.received}  ${clock}  ${r.documents} responsive, ${r.reviewed} reviewed${r.inReview ? `, ${r.inReview} in review` : ''}${r.title ? `  "${r.title}"` : ''}`;
}

function describeDeadline(d: DeadlineRow): string {
  const remaining = d.daysRemaining >= 0 ? `${dayWord(d.dayKind, d.daysRemaining)} left` : `${dayWord(d.dayKind, -d.daysRemaining)} late`;
  const lines = [
    `${d.status.toUpperCase().padEnd(8)} ${d.requestId}  ${d.jurisdiction}  due ${d.dueDate}  ${remaining}  (${d.daysElapsed} of ${d.allowedDays} used, ${d.percentUsed}%)${d.tolled ? '  clock stopped' : ''}`,
    `         ${d.documents} responsive: ${d.reviewed} reviewed${d.inReview ? `, ${d.inReview} in review` : ''}, ${d.unprocessedDocuments} unprocessed${d.unprocessedPages ? ` (${d.unprocessedPages} page(s))` : ''}`,
  ];
  if (d.backlogWarning) lines.push(`         BACKLOG: ${d.backlogWarning}`);
  return lines.join('\n');
}

/** Adds `request …`, `deadlines`, `closure …` and `jurisdictions` to the program. */
export function addDeadlineCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  const show = (opts: { json?: boolean }, r: RequestSummary): void => (opts.json ? printJson(r) : print(describeRequest(r)));

  const request = program.command('request').description('records requests and their statutory clocks');
  request
    .command('add')
    .description('register a request received on a date under a jurisdiction')
    .argument('<id>', 'the request id (as the agency numbers it)')
    .requiredOption('--jurisdiction <code>', 'us-federal, us-tx, us-ca, us-ny (see `custodian jurisdictions`)')
    .requiredOption('--received <date>', 'YYYY-MM-DD (a local date-time counts on its local date)')
    .option('--title <text>', 'a short description')
    .option('--supervisor <name>', "who this request's escalations go to (default: the office supervisor, `settings supervisor`)")
    .action(async (id: string, o: { jurisdiction: string; received: string; title?: string; supervisor?: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => show(opts, engine.requests.add({ id, ...o })));
    });
  request
    .command('list')
    .description('every request with its clock today')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const requests = engine.requests.list();
        if (opts.json) return printJson({ requests });
        if (requests.length === 0) print('No requests.');
        for (const r of requests) print(describeRequest(r));
      });
    });
  request
    .command('docs')
    .description("a request's responsive set: list it, add documents, or remove them with a reason (each change is on the ledger)")
    .argument('<id>', 'the request id')
    .argument('[action]', 'list (default), add or remove', 'list')
    .argument('[docs...]', 'document ids or SHA-256s (for add and remove)')
    .option('--reason <text>', 'why documents are removed (required for remove)')
    .action(async (id: string, action: string, refs: string[], o: { reason?: string }, cmd: Command) => {
      const opts = globals(cmd);
      if (!['list', 'add', 'remove'].includes(action)) throw new EngineError('invalid-argument', `Unknown action ${action}: use list, add or remove.`);
      if (action !== 'list' && refs.length === 0) throw new EngineError('invalid-argument', `Name the documents to ${action}.`);
      await withEngine(opts, async (engine) => {
        if (action === 'add') {
          const r = engine.requests.addDocuments(id, refs);
          return opts.json ? printJson(r) : print(`Request ${id}: ${r.added} added to the responsive set, ${r.already} already in it.`);
        }
        if (action === 'remove') {
          const r = engine.requests.removeDocuments(id, refs, o.reason);
          return opts.json ? printJson(r) : print(`Request ${id}: ${r.removed} removed from the responsive set, ${r.notInSet} were not in it.`);
        }
        const documents = engine.requests.documents(id);
        if (opts.json) return printJson({ requestId: id, documents });
        print(
          documents.length ? `Request ${id}: ${documents.length} responsive documents: ${documents.join(', ')}` : `Request ${id} has no responsive documents.`,
        );
      });
    });
  request
    .command('toll')
    .description("stop a request's clock from a date (to a date, or until `request resume`)")
    .argument('<id>')
    .requiredOption('--from <date>', 'first day the clock is stopped')
    .option('--to <date>', 'the day the answer arrived; counting goes on the day after')
    .option('--basis <code>', "the jurisdiction's tolling basis (default its first; see `custodian jurisdictions`)")
    .requiredOption('--reason <text>', 'why, for the ledger')
    .action(async (id: string, o: { from: string; to?: string; basis?: string; reason: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => show(opts, engine.requests.toll(id, o)));
    });
  request
    .command('resume')
    .description('restart a stopped clock')
    .argument('<id>')
    .requiredOption('--on <date>', 'the day the answer arrived; counting goes on the day after')
    .action(async (id: string, o: { on: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => show(opts, engine.requests.resume(id, o.on)));
    });
  request
    .command('extend')
    .description("extend a request's period (refused beyond what the jurisdiction allows)")
    .argument('<id>')
    .requiredOption('--days <n>', "days, in the jurisdiction's kind of day", (v) => Number(v))
    .requiredOption('--reason <text>', 'why, for the ledger')
    .action(async (id: string, o: { days: number; reason: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => show(opts, engine.requests.extend(id, o)));
    });
  request
    .command('close')
    .description('close a request on the day it was answered')
    .argument('<id>')
    .requiredOption('--on <date>', 'the day it was answered')
    .action(async (id: string, o: { on: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => show(opts, engine.requests.close(id, o.on)));
    });

  request
    .command('supervisor')
    .description("name who a request's escalations go to; without a name, back to the office supervisor")
    .argument('<id>')
    .argument('[name]')
    .action(async (id: string, name: string | undefined, _o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const supervisor = engine.requests.setSupervisor(id, name ?? null);
        if (opts.json) return printJson({ requestId: id, supervisor });
        print(supervisor ? `Escalations of ${id} go to ${supervisor}.` : `Escalations of ${id} go to the office supervisor.`);
      });
    });

  const deadlines = program
    .command('deadlines')
    .description('open requests by urgency: due date, days used and left, status, unprocessed work, backlog')
    .option('--as-of <date>', 'the clocks on another day (default today; only today records escalations)')
    .action(async (o: { asOf?: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const rows = engine.requests.deadlineReport({ asOf: o.asOf });
        if (opts.json) return printJson({ deadlines: rows });
        if (rows.length === 0) print('No open requests.');
        for (const d of rows) print(describeDeadline(d));
      });
    });
  deadlines
    .command('sweep')
    .description('one deadline sweep, for an OS scheduler (see resources/scheduler/): escalations written once, whoever sweeps')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.requests.sweep();
        const waiting = engine.requests.escalations();
        if (opts.json) return printJson({ ...r, waiting });
        print(`Swept ${r.requests} open request(s) at ${r.at}: ${r.escalated.length} new escalation(s); ${waiting.length} waiting for a person.`);
        for (const e of r.escalated) print(`  ${e.requestId} is ${e.level}`);
      });
    });
  deadlines
    .command('escalations')
    .description('escalations waiting for a person (the inbox), overdue first, with who they go to')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const waiting = engine.requests.escalations();
        if (opts.json) return printJson({ escalations: waiting });
        if (waiting.length === 0) print('No escalation is waiting.');
        for (const e of waiting)
          print(
            `${e.requestId.padEnd(16)} ${e.level.padEnd(8)} for ${e.supervisor ?? '(no supervisor named: settings supervisor <name>)'}${e.title ? `  ${e.title}` : ''}`,
          );
      });
    });
  deadlines
    .command('acknowledge')
    .description("acknowledge a request's escalation with a note (what will be done); recorded in the ledger")
    .argument('<id>')
    .requiredOption('--note <text>', 'what will be done')
    .action(async (id: string, o: { note: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const e = engine.requests.acknowledge(id, o.note);
        if (opts.json) return printJson({ acknowledged: e });
        print(`Acknowledged: ${id} is ${e.level}.`);
      });
    });

  const settings = program.command('settings').description("the office's settings");
  settings
    .command('supervisor')
    .description("the office's default supervisor, who gets escalations of requests that name none; without a name, show it")
    .argument('[name]')
    .option('--clear', 'name no one')
    .action(async (name: string | undefined, o: { clear?: boolean }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const supervisor = name || o.clear ? engine.requests.setOfficeSupervisor(o.clear ? null : name!) : engine.requests.officeSupervisor();
        if (opts.json) return printJson({ supervisor });
        print(supervisor ? `Office supervisor: ${supervisor}` : 'No office supervisor is named.');
      });
    });

  settings
    .command('ocr-languages')
    .description('the languages OCR reads pages with: eng (the default) or eng+spa; without a value, show them')
    .argument('[languages]')
    .action(async (languages: string | undefined, _o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const set = languages ? engine.ocr.setLanguages(languages) : engine.ocr.languages();
        if (opts.json) return printJson({ languages: set });
        print(languages ? `OCR languages: ${set} (pages read from now on).` : `OCR languages: ${set}`);
      });
    });

  const closure = program.command('closure').description("the agency's own closure days (not business days)");
  closure
    .command('add')
    .description('declare a closure day for a jurisdiction; open clocks are recomputed')
    .argument('<jurisdiction>')
    .argument('<date>')
    .requiredOption('--reason <text>', 'why, for the ledger')
    .action(async (jurisdiction: string, date: string, o: { reason: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        engine.requests.addClosureDay({ jurisdiction, date, reason: o.reason });
        if (opts.json) printJson({ ok: true, jurisdiction, date });
        else print(`${date} is a closure day for ${jurisdiction}.`);
      });
    });
  closure
    .command('list')
    .description('the declared closure days')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const days = engine.requests.closureDays();
        if (opts.json) return printJson({ days });
        if (days.length === 0) print('No closure days.');
        for (const d of days) print(`${d.date}  ${d.jurisdiction}  ${d.reason}`);
      });
    });

  program
    .command('jurisdictions')
    .description('the jurisdictions and their rules, with citations')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const list = engine.requests.jurisdictions();
        if (opts.json) return printJson({ jurisdictions: list });
        for (const j of list) {
          print(`${j.code}  ${j.name}`);
          print(`  ${j.period.days} ${j.period.kind} days — ${j.period.citation}`);
          print(`  day 1: ${j.dayZero.rule} — ${j.dayZero.citation}`);
          print(`  extension: up to ${j.extension.maxDays} days — ${j.extension.citation}`);
          for (const t of j.tolling) print(`  tolling basis ${t.reason}${t.limit ? ` (at most ${t.limit})` : ''} — ${t.citation}`);
          print(`  holidays: ${j.holidays.days.length} rules — ${j.holidays.citation}`);
        }
      });
    });
}
