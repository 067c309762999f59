import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { entriesAfter } from '../ledger/index.js';
import { octetCounted, syslogMessage } from './syslog-message.js';
import { advanceShipCursor, recordShipAttempt, shipCursor, shipProgress, shipStatus, shipTarget } from './ship-settings.js';
import type { SyslogTarget } from './ship-target.js';

/** Entries sent per connection. A round is confirmed as a whole, so this bounds what a crash can repeat. */
const ROUND = 200;
/** Connecting, sending and the collector's confirmation together, per round. */
const ROUND_TIMEOUT_MS = 10_000;

/** What one call to {@link shipPending} did. */
export type ShipResult = { sent: number; cursor: number; head: number; error: string | null };

/**
 * Sends `frames` over one connection and resolves once the collector confirmed them: we close our side
 * after the last frame, and the collector closes its side only after it has read everything before our
 * close. That confirmation is what lets the cursor move; without it, the round is sent again.
 */
function sendRound(target: SyslogTarget, frames: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tls.connect({
          host: target.host,
          port: target.port,
          ca: target.caPem ? [target.caPem] : [],
          servername: net.isIP(target.host) ? undefined : target.host,
        })
      : net.connect({ host: target.host, port: target.port });
    let confirmed = false;
    const timer = setTimeout(() => socket.destroy(new Error(`no confirmation from the collector within ${ROUND_TIMEOUT_MS / 1000} s`)), ROUND_TIMEOUT_MS);
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      for (const frame of frames) socket.write(frame);
      socket.end();
    });
    socket.on('data', () => undefined); // a collector says nothing; read so its close arrives
    socket.once('end', () => (confirmed = true));
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError && confirmed) resolve();
      else if (!hadError) reject(new Error('the collector closed the connection before confirming'));
    });
  });
}

/**
 * Ships every ledger entry the collector has not confirmed, in order, round by round, moving the cursor
 * after each confirmed round. Does nothing (and opens no socket) when no collector is configured.
 * Never throws: a collector outage is recorded in the status and retried on the next call.
 */
export async function shipPending(db: Db, clock: Clock): Promise<ShipResult> {
  const target = shipTarget(db);
  const head = (): number => shipProgress(db).head;
  if (!target) return { sent: 0, cursor: 0, head: head(), error: null };
  let sent = 0;
  try {
    for (;;) {
      const entries = entriesAfter(db, shipCursor(db), ROUND);
      if (entries.length === 0) break;
      await sendRound(
        target,
        entries.map((e) => octetCounted(syslogMessage(e, os.hostname(), process.pid))),
      );
      advanceShipCursor(db, entries.at(-1)!.seq);
      sent += entries.length;
    }
    // An idle pass (nothing to send, nothing to clear) writes nothing.
    const before = shipStatus(db);
    if (sent > 0 || before.lastError !== null || before.lastSuccessAt === null) recordShipAttempt(db, clock, null);
    return { sent, cursor: shipCursor(db), head: head(), error: null };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    recordShipAttempt(db, clock, error);
    return { sent, cursor: shipCursor(db), head: head(), error };
  }
}

/**
 * Ships in the background while an engine works: every `intervalMs`, one {@link shipPending} at a time,
 * and a last one on {@link stop}.
 */
export class BackgroundShipper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<ShipResult> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly intervalMs = 2_000,
  ) {}

  /** Starts the interval (idempotent); the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.kick(), this.intervalMs);
    this.timer.unref();
  }

  /** One shipping pass now, unless one is already running (then that one). */
  kick(): Promise<ShipResult> {
    this.running ??= shipPending(this.db, this.clock).finally(() => (this.running = null));
    return this.running;
  }

  /** Stops the interval and ships what is left, once. */
  async stop(): Promise<ShipResult> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    return this.kick();
  }
}
