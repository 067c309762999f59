import type { Command } from 'commander';
import { EngineError, configureShipping, describeTarget, mirrorLedger, parseSyslogTarget, shipPending, shipProgress, shipTarget } from '../core/index.js';
import type { CliContext } from './context.js';

/** Adds `ship configure|status|now|mirror` to the program. */
export function addShipCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  const ship = program.command('ship').description('send every ledger entry to write-once storage: a syslog collector, or a second drive');

  ship
    .command('configure')
    .description('set the syslog collector (RFC 5424 over TCP, octet-counted; TLS with a pinned CA), or turn shipping off')
    .option('--syslog <url>', 'tcp://host:port or tls://host:port')
    .option('--tls-ca <file>', "the collector's CA certificate (PEM), the only one trusted")
    .option('--off', 'stop shipping (recorded in the ledger)')
    .action(async (o: { syslog?: string; tlsCa?: string; off?: boolean }, cmd: Command) => {
      const opts = globals(cmd);
      if (Boolean(o.syslog) === Boolean(o.off)) throw new EngineError('invalid-argument', 'Give either --syslog <url> or --off.');
      const target = o.syslog ? parseSyslogTarget(o.syslog, o.tlsCa) : null;
      await withEngine(opts, async (engine) => {
        configureShipping(engine.db, engine.clock, target);
        if (opts.json) return printJson({ target: target ? describeTarget(target) : null, tls: target?.tls ?? false });
        print(target ? `Shipping the ledger to ${describeTarget(target)}${target.tls ? ' (TLS, pinned CA)' : ''}, from entry 1.` : 'Shipping is off.');
      });
    });

  ship
    .command('status')
    .description('the collector, how far it has confirmed, and the last error')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const status = shipProgress(engine.db);
        if (opts.json) return printJson(status);
        if (!status.target) return print('Shipping is off (custodian ship configure --syslog tcp://host:port).');
        print(`Collector ${status.target}: confirmed through entry ${status.confirmedSeq} of ${status.head} (${status.head - status.confirmedSeq} waiting).`);
        print(
          `  last attempt ${status.lastAttemptAt ?? 'never'}, last success ${status.lastSuccessAt ?? 'never'}${status.lastError ? `; last error: ${status.lastError}` : ''}`,
        );
      });
    });

  ship
    .command('now')
    .description('ship what is waiting, now; exit 1 if the collector cannot be reached (nothing is lost: it is sent later)')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        if (!shipTarget(engine.db)) throw new EngineError('invalid-state', 'Shipping is off: custodian ship configure --syslog tcp://host:port.');
        const r = await shipPending(engine.db, engine.clock);
        if (opts.json) printJson(r);
        else
          print(
            `Sent ${r.sent} entries; the collector confirmed through ${r.cursor} of ${r.head}.${r.error ? ` The collector could not be reached: ${r.error}` : ''}`,
          );
        if (r.error) throw new EngineError('io-error', `The collector could not be reached: ${r.error}. The entries wait and go with the next run.`);
      });
    });

  ship
    .command('mirror')
    .description('append every entry not yet there to <dir>/custodian-ledger.jsonl (fsynced): a second drive for rooms with no network')
    .argument('<dir>')
    .action(async (dir: string, _o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = mirrorLedger(engine.db, dir);
        if (opts.json) return printJson(r);
        print(`Mirrored ${r.appended} new entries to ${r.file}; it now ends at entry ${r.lastSeq}.`);
      });
    });
}
