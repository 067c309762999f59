import type { Engine } from '../engine.js';
import type { Lane, RunStatus } from '../../shared/types.js';
import { storageError } from '../errors.js';
import { clerkMessage } from './clerk-text.js';

/** An intake the operator asked for. */
export type IntakeRequest = { paths: string[]; requestId: string | null; lane: Lane | null };

/**
 * Runs the engine's long operations one at a time, in order: intakes as dropped, then a resume whenever
 * queued work of batches not on hold remains (a continued batch, a retried quarantine item, work an
 * interrupted run left). One run at a time keeps one dispatcher per engine; the status it keeps is what the
 * app's progress shows.
 */
export class RunLoop {
  private readonly intakes: IntakeRequest[] = [];
  private loop: Promise<void> | null = null;
  private status: RunStatus = { state: 'idle', current: null, waiting: 0, lastError: null };

  constructor(
    private readonly engine: () => Engine,
    /** Called on every status change (the caller coalesces). */
    private readonly onChange: (status: RunStatus, ended: boolean) => void,
  ) {}

  /** The current status. */
  get current(): RunStatus {
    return this.status;
  }

  /** Queues an intake; @returns its place (0: starts now). */
  addIntake(request: IntakeRequest): number {
    this.intakes.push(request);
    const position = this.loop ? this.intakes.length : 0;
    this.update({ waiting: this.intakes.length });
    this.kick();
    return position;
  }

  private stopped = false;

  /** Starts no further run (shutdown); the run in progress ends when the engine closes under it. */
  stop(): void {
    this.stopped = true;
    this.intakes.length = 0;
  }

  /** Makes sure queued runnable work is processed: starts a run unless one is going (which picks it up). */
  kick(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.drain().finally(() => {
      this.loop = null;
      this.update({ state: 'idle', current: null, waiting: this.intakes.length }, true);
      // Something may have been queued in the moment between the last check and now.
      if (this.intakes.length > 0) this.kick();
    });
  }

  /** Resolves when no run is going. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  /** Feeds engine progress into the status. */
  progress(update: Partial<NonNullable<RunStatus['current']>>): void {
    if (!this.status.current) return;
    this.update({ current: { ...this.status.current, ...update } });
  }

  private async drain(): Promise<void> {
    const engine = this.engine();
    let stalls = 0;
    while (!this.stopped) {
      const next = this.intakes.shift();
      try {
        if (next) {
          this.update({ state: 'running', waiting: this.intakes.length, current: { kind: 'ingest', batchId: null, hashing: null, processing: null } });
          await engine.ingest(next.paths, { requestId: next.requestId, lane: next.lane, onBatch: (batchId) => this.progress({ batchId }) });
          stalls = 0;
        } else if (engine.batches.hasRunnableWork() && stalls === 0) {
          this.update({ state: 'running', current: { kind: 'resume', batchId: null, hashing: null, processing: null } });
          const summary = await engine.resume();
          // A resume that finished nothing while work remains would loop forever: stop and let the operator act.
          if (summary.jobs.done + summary.jobs.failed + summary.jobs.quarantined === 0) stalls++;
        } else {
          return;
        }
        this.update({ lastError: null });
      } catch (err) {
        const known = storageError(err);
        this.update({
          lastError: { code: known?.code ?? 'internal-error', message: clerkMessage(known?.message ?? (err instanceof Error ? err.message : String(err))) },
        });
        if (!next) return;
      }
    }
  }

  private update(change: Partial<RunStatus>, ended = false): void {
    this.status = { ...this.status, ...change };
    this.onChange(this.status, ended);
  }
}
