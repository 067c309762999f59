import { describe, expect, it } from 'vitest';
import { octetCounted, syslogMessage } from './syslog-message.js';
import { parseSyslogTarget } from './ship-target.js';

const entry = {
  seq: 7,
  ts: '2026-12-02T14:00:00.000Z',
  traceId: 'tr"ace]\\x',
  type: 'quarantine.released',
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
  payload: { reason: 'named by "the clerk" ünd', id: 3 },
};

describe('RFC 5424 message and RFC 6587 framing', () => {
  it('writes the header, escapes structured-data values and carries the canonical payload after a BOM', () => {
    const m = syslogMessage(entry, 'records room 1', 4242);
    expect(m).toBe(
      `<110>1 2026-12-02T14:00:00.000Z records_room_1 custodian 4242 quarantine.released ` +
        `[custodian@32473 seq="7" hash="${'b'.repeat(64)}" prev="${'a'.repeat(64)}" trace="tr\\"ace\\]\\\\x" type="quarantine.released"] ` +
        `\uFEFF{"id":3,"reason":"named by \\"the clerk\\" ünd"}`,
    );
  });

  it('counts octets, not characters', () => {
    const framed = octetCounted('ü');
    expect(framed.toString()).toBe('2 ü');
  });

  it('parses collector addresses', () => {
    expect(parseSyslogTarget('tcp://10.0.0.5:601')).toEqual({ host: '10.0.0.5', port: 601, tls: false, caPem: null });
    expect(parseSyslogTarget('tcp://[::1]:601').host).toBe('::1');
    expect(() => parseSyslogTarget('tcp://host')).toThrow(/host and a port/u);
    expect(() => parseSyslogTarget('tcp://host:601/path')).toThrow(/only a host and a port/u);
  });
});
