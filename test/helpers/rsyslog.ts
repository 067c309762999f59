import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Debian's rsyslogd, as a records room's collector would run it. */
export const RSYSLOGD = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((p) => existsSync(p)) ?? null;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Debian's GnuTLS network-stream driver for rsyslog (package rsyslog-gnutls), needed for a TLS collector. */
export const RSYSLOG_GTLS = ['/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so', '/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so'].some((p) => existsSync(p));

/**
 * A CA and a server certificate for 127.0.0.1 signed by it, made with openssl in `dir`.
 * @returns the file paths.
 */
export function makeCertificates(dir: string, name = 'ca'): { ca: string; cert: string; key: string } {
  const f = (n: string): string => path.join(dir, n);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f(`${name}-key.pem`),
    '-out',
    f(`${name}.pem`),
    '-days',
    '2',
    '-subj',
    `/CN=Test collector ${name}`,
  );
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server-key.pem'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f(`${name}.pem`),
    '-CAkey',
    f(`${name}-key.pem`),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('san.ext'),
  );
  return { ca: f(`${name}.pem`), cert: f('server.pem'), key: f('server-key.pem') };
}

/**
 * A real rsyslog collector on 127.0.0.1 (imtcp, which takes RFC 6587 octet-counted frames), writing each
 * message's raw text as one line of `out`. `stop()` and `start()` restart it on the same port.
 */
export class Collector {
  readonly out: string;
  private child: ChildProcess | null = null;
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    this.out = path.join(dir, 'received.log');
  }

  /** Starts a collector; with `tls`, imtcp speaks TLS (RFC 5425) with that certificate. */
  static async start(dir: string, tls?: { ca: string; cert: string; key: string }): Promise<Collector> {
    const c = new Collector(dir, await freePort());
    mkdirSync(path.join(dir, 'work'), { recursive: true });
    const certificates = tls
      ? ` defaultNetstreamDriverCAFile="${tls.ca}" defaultNetstreamDriverCertFile="${tls.cert}" defaultNetstreamDriverKeyFile="${tls.key}"`
      : '';
    writeFileSync(
      path.join(dir, 'rsyslog.conf'),
      [
        `global(workDirectory="${path.join(dir, 'work')}"${certificates})`,
        tls ? 'module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")' : 'module(load="imtcp")',
        `input(type="imtcp" address="127.0.0.1" port="${c.port}")`,
        'template(name="raw" type="string" string="%rawmsg%\\n")',
        `action(type="omfile" file="${c.out}" template="raw")`,
        '',
      ].join('\n'),
    );
    await c.start();
    return c;
  }

  async start(): Promise<void> {
    this.child = spawn(RSYSLOGD!, ['-n', '-f', path.join(this.dir, 'rsyslog.conf'), '-i', path.join(this.dir, 'rsyslogd.pid')], { stdio: 'ignore' });
    while (!(await listening(this.port))) {
      if (this.child.exitCode !== null) throw new Error(`rsyslogd exited with ${this.child.exitCode}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the collector the way a service manager does (SIGTERM), waiting until it has written what it took. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }

  /** The lines written so far. */
  lines(): string[] {
    return existsSync(this.out) ? readFileSync(this.out, 'utf8').split('\n').filter(Boolean) : [];
  }
}
