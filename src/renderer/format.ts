import type { FindingType } from '../shared/types';
import { formatBytes as bytes } from '../shared/format-bytes';

/** Bytes as the operator reads them, the CLI's convention (1 KB = 1,000 bytes); a dash when unknown. */
export function formatBytes(n: number | null): string {
  return n === null ? '—' : bytes(n);
}

/** A whole number with thousands separators. */
export function num(n: number): string {
  return n.toLocaleString('en-US');
}

/** A duration in minutes as "about 3 min", "about 2 h 10 min", or "under a minute". */
export function formatMinutes(min: number): string {
  if (!Number.isFinite(min)) return '—';
  if (min < 1) return 'under a minute';
  const h = Math.floor(min / 60);
  const m = Math.round(min % 60);
  return h ? `about ${h} h ${m} min` : `about ${m} min`;
}

/** An ISO timestamp in the workstation's local time, to the minute. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** An ISO timestamp as a short local date and time for a table cell ("Dec 2, 2:29 PM"). */
export function formatShortTime(iso: string): string {
  return new Date(iso).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** A count with its noun, singular or plural. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : nouns}`;
}

/**
 * Days left on a clock, saying which kind of day: "3 business days left", "12 calendar days left",
 * "Due today", "1 business day overdue".
 */
export function formatDaysLeft(daysRemaining: number, kind: 'business' | 'calendar'): string {
  if (daysRemaining === 0) return 'Due today';
  const days = plural(Math.abs(daysRemaining), `${kind} day`);
  return daysRemaining > 0 ? `${days} left` : `${days} overdue`;
}

/** A percentage of done over total, 0 when total is 0. */
export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
}

/** Today's date in the workstation's time zone, `YYYY-MM-DD`. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The last part of a path, Windows or POSIX (the renderer has no node:path). */
export function baseName(p: string): string {
  return p.split(/[\\/]/u).pop() ?? p;
}

/** A finding's kind as a clerk reads it. */
export const FINDING_LABEL: Record<FindingType, string> = {
  ssn: 'Social Security number',
  'payment-card': 'Payment card number',
  'aba-routing': 'Bank routing number',
  phone: 'Phone number',
  email: 'Email address',
  'date-of-birth': 'Date of birth',
  passport: 'Passport number',
  'a-number': 'Alien registration number',
  term: 'Agency term',
  'classification-marking': 'Classification marking',
  'control-marking': 'Control marking',
};
