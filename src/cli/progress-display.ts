import type { EngineProgress } from '../core/index.js';

/** Human size: 1.2 MB. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Human duration: 1:05 or 0:07. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * Shows engine progress on a stream: a redrawn bar on a terminal, otherwise a plain line at most once
 * a second (and at each phase's end), so logs stay readable.
 */
export class ProgressDisplay {
  private started = Date.now();
  private lastLine = 0;
  private phase: EngineProgress['phase'] | null = null;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  /** Reports one progress event. */
  update(p: EngineProgress): void {
    if (p.phase !== this.phase) {
      this.finishLine();
      this.phase = p.phase;
      this.started = Date.now();
      this.lastLine = 0;
    }
    const elapsed = (Date.now() - this.started) / 1000;
    let text: string;
    let fraction: number;
    let complete: boolean;
    if (p.phase === 'hashing') {
      const rate = elapsed > 0 ? p.bytesDone / elapsed : 0;
      const eta = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : Number.NaN;
      fraction = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 1;
      complete = p.filesDone === p.filesTotal;
      text = `hashing ${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}, ${formatBytes(rate)}/s, ETA ${formatEta(eta)}`;
    } else {
      const rate = elapsed > 0 ? p.jobsDone / elapsed : 0;
      const eta = rate > 0 ? (p.jobsTotal - p.jobsDone) / rate : Number.NaN;
      fraction = p.jobsTotal > 0 ? p.jobsDone / p.jobsTotal : 1;
      complete = p.jobsDone === p.jobsTotal;
      text = `processing ${p.jobsDone}/${p.jobsTotal} documents, ETA ${formatEta(eta)}`;
    }
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${bar(fraction)} ${text}`);
      this.drawn = true;
      if (complete) this.finishLine();
    } else if (complete || Date.now() - this.lastLine >= 1000) {
      this.lastLine = Date.now();
      this.out.write(`${text}\n`);
    }
  }

  /** Ends a redrawn bar's line. */
  finishLine(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
