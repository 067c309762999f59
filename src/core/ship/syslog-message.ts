import type { LedgerEntry } from '../../shared/types.js';
import { canonicalJson } from '../ledger/index.js';

/** Facility 13 (log audit) at severity 6 (informational): PRI = 13 × 8 + 6. */
const PRI = 110;
/** SD-ID of Custodian's structured data; 32473 is the enterprise number RFC 5612 sets aside for examples and private use. */
export const SD_ID = 'custodian@32473';

/** RFC 5424 §6.3.3: inside a PARAM-VALUE, `"`, `\` and `]` are escaped with a backslash. */
function sdValue(text: string): string {
  return text.replace(/["\\\]]/gu, (c) => `\\${c}`);
}

/** RFC 5424 header fields are printable US-ASCII without spaces; anything else becomes `_`. */
function headerField(text: string, max: number): string {
  const clean = text.replace(/[^\x21-\x7e]/gu, '_').slice(0, max);
  return clean || '-';
}

/**
 * One ledger entry as an RFC 5424 message. The structured data carries what a collector needs to check the
 * chain on its side (seq, hash, the previous hash, trace id); MSG is the canonical JSON payload, which holds
 * codes, counts and hashes, never document text.
 */
export function syslogMessage(entry: LedgerEntry, hostname: string, procId: number): string {
  const sd = `[${SD_ID} seq="${entry.seq}" hash="${entry.hash}" prev="${entry.prevHash}" trace="${sdValue(entry.traceId)}" type="${sdValue(entry.type)}"]`;
  const header = `<${PRI}>1 ${entry.ts} ${headerField(hostname, 255)} custodian ${procId} ${headerField(entry.type, 32)}`;
  // RFC 5424 §6.4: a UTF-8 MSG starts with the byte order mark.
  return `${header} ${sd} \uFEFF${canonicalJson(entry.payload)}`;
}

/** RFC 6587 §3.4.1 octet-counting framing: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export function octetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `), body]);
}
