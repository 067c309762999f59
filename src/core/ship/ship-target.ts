import { readFileSync } from 'node:fs';
import { EngineError } from '../errors.js';

/** Where ledger entries go: a syslog collector over TCP, with TLS (RFC 5425) when a CA is pinned. */
export type SyslogTarget = {
  host: string;
  port: number;
  tls: boolean;
  /** PEM of the only CA trusted for the collector's certificate. */ caPem: string | null;
};

/**
 * Parses `tcp://host:port` or `tls://host:port` (TLS needs `caFile`: the collector's CA, pinned; the
 * system's trust store is never used).
 * @throws EngineError `invalid-argument` saying what is wrong.
 */
export function parseSyslogTarget(url: string, caFile?: string): SyslogTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EngineError('invalid-argument', `Not a collector address: ${url}. Write tcp://host:port or tls://host:port.`);
  }
  const scheme = parsed.protocol.replace(/:$/u, '');
  if (scheme !== 'tcp' && scheme !== 'tls')
    throw new EngineError('invalid-argument', `The collector address must start with tcp:// or tls://, not ${scheme}://.`);
  const port = Number(parsed.port);
  if (!parsed.hostname || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new EngineError('invalid-argument', `The collector address needs a host and a port: ${url}.`);
  if (parsed.pathname.replace(/^\/$/u, '') || parsed.search || parsed.username)
    throw new EngineError('invalid-argument', `The collector address takes only a host and a port: ${url}.`);
  const tls = scheme === 'tls' || Boolean(caFile);
  if (tls && !caFile) throw new EngineError('invalid-argument', "TLS needs the collector's CA certificate: --tls-ca <file>.");
  let caPem: string | null = null;
  if (caFile) {
    caPem = readFileSync(caFile, 'utf8');
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new EngineError('invalid-argument', `${caFile} is not a PEM certificate.`);
  }
  return { host: parsed.hostname.replace(/^\[|\]$/gu, ''), port, tls, caPem };
}

/** The target as an operator reads it. */
export function describeTarget(t: SyslogTarget): string {
  return `${t.tls ? 'tls' : 'tcp'}://${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
}
