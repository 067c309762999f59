import { randomUUID } from 'node:crypto';
import os from 'node:os';

/** Identifies one running engine: `host|pid|nonce`. */
export type LeaseOwner = string;

/** A fresh owner id for this process. */
export function newLeaseOwner(): LeaseOwner {
  return `${os.hostname()}|${process.pid}|${randomUUID().slice(0, 8)}`;
}

/**
 * True when the owner was a process on this host that no longer runs, so its leases can be taken at once
 * instead of waiting for them to expire. Owners on other hosts are presumed alive.
 */
export function isOwnerGone(owner: string | null): boolean {
  if (!owner) return true;
  const [host, pidText] = owner.split('|');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid)) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
