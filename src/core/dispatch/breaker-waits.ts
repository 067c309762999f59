import type { ReasonCode } from '../../shared/reason-codes.js';
import type { ExtractResult } from '../extract/index.js';
import type { PageUnit } from './work-units.js';

type PageDone = Extract<ExtractResult, { kind: 'page'; ok: true }>;

/** What the breaker waits need of the dispatcher that owns them. */
export type BreakerWaitsHost = {
  /** Runs a page without OCR (its text layer, or the fallback text), bounded by the page timeout. */
  runWithoutOcr(unit: PageUnit): Promise<ExtractResult>;
  /** Stores a page's text: `done`, or `fallback` to be redone by OCR once the breaker closes. */
  store(unit: PageUnit, result: PageDone, state: 'done' | 'fallback'): void;
  /** The page is finished (stored for good). */
  finished(unit: PageUnit): void;
  /** OCR gave up on a page whose fallback text is stored: the fallback stays as its text. */
  keepFallback(unit: PageUnit): void;
  quarantine(unit: PageUnit, code: ReasonCode, detail: Record<string, unknown>): void;
  /** Puts pages back on the ready list (`front`: before the others, as a probe) and wakes the loop. */
  requeue(units: PageUnit[], front: boolean): void;
  /** Tells the ledger a page waits for OCR no more (`page.requeued-for-ocr`). */
  requeuedForOcr(unit: PageUnit): void;
};

/**
 * The pages the open circuit breaker holds back, and what becomes of them. While it is open a PDF page
 * degrades to its text layer (stored as `fallback`, redone by OCR once the breaker closes); a page with no
 * text is parked until the half-open probe. After `maxParkRounds` probe rounds a page stops waiting: its
 * fallback is kept, or (no text at all) it is quarantined. Timers and events, never a busy loop.
 */
export class BreakerWaits {
  /** Pages with no text yet, waiting for the OCR engine to come back. */
  private parked: PageUnit[] = [];
  /** Pages whose fallback text is stored, waiting to be redone by OCR. */
  private awaitingOcr: PageUnit[] = [];
  private probeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly host: BreakerWaitsHost,
    private readonly opts: { halfOpenAfterMs: number; maxParkRounds: number },
  ) {}

  /** Whether any page is waiting on the breaker (the dispatcher must not end while one is). */
  get waiting(): boolean {
    return this.parked.length + this.awaitingOcr.length > 0;
  }

  /** Breaker open: use the text layer now (re-OCR later), or wait for the probe when there is none. */
  async degrade(unit: PageUnit): Promise<void> {
    if (unit.fallbackStored) {
      // Its layer is stored already; wait for the breaker to close, but not through every probe forever.
      if (unit.parkRounds >= this.opts.maxParkRounds) return this.host.keepFallback(unit);
      this.awaitingOcr.push({ ...unit, parkRounds: unit.parkRounds + 1 });
      return;
    }
    let result: ExtractResult;
    try {
      result = await this.host.runWithoutOcr(unit);
    } catch {
      return this.park(unit);
    }
    if (unit.doc.failed) return;
    if (!result.ok) {
      if (result.hard) return this.host.quarantine(unit, result.code, { pageNo: unit.pageNo, message: result.message });
      return this.park(unit);
    }
    if (result.kind !== 'page') return;
    if (result.method === 'text-layer') {
      this.host.store(unit, result, 'done');
      return this.host.finished(unit);
    }
    if (result.text.trim() === '') return this.park(unit);
    this.host.store(unit, result, 'fallback');
    this.awaitingOcr.push({ ...unit, mode: 'ocr', fallbackStored: true });
  }

  private park(unit: PageUnit): void {
    if (unit.parkRounds >= this.opts.maxParkRounds) {
      return this.host.quarantine(unit, 'ocr-failed', { pageNo: unit.pageNo, message: 'the OCR engine stayed unavailable (circuit open)' });
    }
    this.parked.push({ ...unit, parkRounds: unit.parkRounds + 1 });
  }

  /** The breaker opened: after the open period, let exactly one waiting page through as the probe. */
  opened(): void {
    this.clearProbe();
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      const probe = this.parked.shift() ?? this.awaitingOcr.shift();
      this.host.requeue(probe ? [probe] : [], true);
    }, this.opts.halfOpenAfterMs + 10);
  }

  /** The breaker closed: every waiting page runs again, those with a fallback redone by OCR. */
  closed(): void {
    this.clearProbe();
    const forOcr = this.awaitingOcr.splice(0);
    for (const unit of forOcr) this.host.requeuedForOcr(unit);
    this.host.requeue([...forOcr, ...this.parked.splice(0)], false);
  }

  /** Stops the probe timer (the run is over). */
  clearProbe(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }
}
