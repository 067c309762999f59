import type { EngineProgress } from '../core/index.js';

/** Human size: 1.2 MB (one function for the CLI and the app). */
export { formatBytes } from '../shared/format-bytes.js';
import { formatBytes } from '../shared/format-bytes.js';

/** Human duration: 1:05 or 0:07. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

type Hashing = Extract<EngineProgress, { phase: 'hashing' }>;
type Processing = Extract<EngineProgress, { phase: 'processing' }>;

/**
 * Shows intake and extraction progress on one line: redrawn on a terminal, otherwise a plain line at most
 * once a second, so logs stay readable.
 */
export class ProgressDisplay {
  private hashing: Hashing | null = null;
  private processing: Processing | null = null;
  private hashStarted = Date.now();
  private lastLine = 0;
  private drawn = false;
  private lastText = '';

  constructor(private readonly out: NodeJS.WriteStream) {}

  /** Reports one progress event. */
  update(p: EngineProgress): void {
    if (p.phase === 'hashing') {
      if (!this.hashing || this.hashing.batchId !== p.batchId) this.hashStarted = Date.now();
      this.hashing = { ...p };
    } else {
      this.processing = { ...p };
    }
    const text = this.describe();
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else if (Date.now() - this.lastLine >= 1000) {
      this.lastLine = Date.now();
      this.out.write(`${text}\n`);
      this.lastText = text;
    }
  }

  private describe(): string {
    const parts: string[] = [];
    const h = this.hashing;
    if (h && h.filesDone < h.filesTotal) {
      const elapsed = (Date.now() - this.hashStarted) / 1000;
      const rate = elapsed > 0 ? h.bytesDone / elapsed : 0;
      const eta = rate > 0 ? (h.bytesTotal - h.bytesDone) / rate : Number.NaN;
      const fraction = h.bytesTotal > 0 ? h.bytesDone / h.bytesTotal : h.filesDone / Math.max(1, h.filesTotal);
      parts.push(
        `${bar(fraction)} hashing ${h.filesDone}/${h.filesTotal} files, ${formatBytes(h.bytesDone)}/${formatBytes(h.bytesTotal)}, ${formatBytes(rate)}/s, ETA ${formatEta(eta)}`,
      );
    } else if (h) {
      parts.push(`hashed ${h.filesTotal} files (${formatBytes(h.bytesTotal)})`);
    }
    const p = this.processing;
    if (p) {
      const eta = p.pagesPerMinute > 0 ? ((p.pagesTotal - p.pagesDone) / p.pagesPerMinute) * 60 : Number.NaN;
      const fraction = p.pagesTotal > 0 ? p.pagesDone / p.pagesTotal : 0;
      parts.push(
        `${bar(fraction)} pages ${p.pagesDone}/${p.pagesTotal}, ${p.pagesPerMinute} pages/min, ETA ${formatEta(eta)}, ` +
          `queue ${p.queueDepth}, workers ${p.workersBusy}/${p.workers}${p.intakePaused ? ', intake paused' : ''}${p.breaker !== 'closed' ? `, OCR circuit ${p.breaker}` : ''}`,
      );
    }
    return parts.join(' | ');
  }

  /** Ends a redrawn line, or prints the final state as a plain line. */
  finishLine(): void {
    if (this.drawn) {
      this.out.write(`\r\x1b[2K${this.describe()}\n`);
    } else if (this.hashing || this.processing) {
      const text = this.describe();
      if (text !== this.lastText) this.out.write(`${text}\n`);
    }
    this.drawn = false;
  }
}
