/**
 * Issue 14, attacks 2 and 9, as the tester ran them: a report re-signed with a forger's key (OpenSSL only),
 * and hostile report folders (a FIFO, a manifest naming a path outside the folder, a signed report.json
 * that is not JSON). Each is refused or named, with exit 2, by the built CLI under a hang guard.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { onlyJson, runCli, runCliWithin } from './helpers/cli.js';
import { sample, suiteTempDir, tempDir } from './helpers/fixtures.js';

/** Longest one CLI run may take before it counts as hung. */
const HANG_MS = 60_000;

let dataDir: string;
let report: string;
let fingerprint: string;

const cli = (...args: string[]) => runCliWithin(HANG_MS, ['--data-dir', dataDir, ...args]);
/** `report verify` from a data folder that does not exist (and must not come to exist). */
const verify = (dir: string, ...args: string[]) =>
  runCliWithin(HANG_MS, ['--data-dir', path.join(tempDir('custodian-none-'), 'never'), 'report', 'verify', dir, ...args]);

const openssl = (args: string[], cwd?: string): string => execFileSync('openssl', args, { cwd, encoding: 'utf8' });
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

function copyOfReport(): string {
  const dir = path.join(tempDir('custodian-forged-'), 'report');
  cpSync(report, dir, { recursive: true });
  return dir;
}

/**
 * Re-signs `dir` as a forger would with stock tools: a new Ed25519 key, its fingerprint put into
 * report.json and README.txt, the manifest regenerated, `openssl pkeyutl -sign -rawin`.
 * @param edit changes the forger makes before re-signing. @returns the forger's fingerprint.
 */
function forge(dir: string, edit: (dir: string) => void = () => {}): string {
  const keyDir = tempDir('custodian-forger-key-');
  const key = path.join(keyDir, 'forger.pem');
  openssl(['genpkey', '-algorithm', 'ed25519', '-out', key]);
  openssl(['pkey', '-in', key, '-pubout', '-out', path.join(dir, 'public-key.pem')]);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-in', path.join(dir, 'public-key.pem'), '-outform', 'DER']);
  const forged = createHash('sha256')
    .update(der.subarray(der.length - 32))
    .digest('hex');
  for (const name of ['report.json', 'README.txt']) {
    const file = path.join(dir, name);
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll(fingerprint, forged));
  }
  edit(dir);
  const listed = readdirSync(dir)
    .filter((n) => n !== 'manifest-sha256.txt' && n !== 'signature.ed25519')
    .sort();
  const lines = readFileSync(path.join(dir, 'manifest-sha256.txt'), 'utf8')
    .split('\n')
    .filter((l) => l && !listed.includes(l.slice(66)));
  const manifest = [...listed.map((n) => `${execFileSync('sha256sum', [n], { cwd: dir, encoding: 'utf8' }).slice(0, 64)}  ${n}`), ...lines].join('\n') + '\n';
  writeFileSync(path.join(dir, 'manifest-sha256.txt'), manifest);
  openssl(['pkeyutl', '-sign', '-inkey', key, '-rawin', '-in', 'manifest-sha256.txt', '-out', 'signature.ed25519'], dir);
  return forged;
}

describe.runIf(haveOpenssl)('insider attacks on reports (issue 14)', () => {
  beforeAll(() => {
    dataDir = suiteTempDir('custodian-insider-reports-');
    expect(runCli(['--data-dir', dataDir, '-q', 'ingest', sample('intake', 'pdfs')]).code).toBe(0);
    const out = suiteTempDir('custodian-usb-');
    report = onlyJson<{ dir: string }>(cli('--json', 'report', 'export', '--out', out).stdout).dir;
    fingerprint = onlyJson<{ fingerprint: string }>(cli('--json', 'key', 'show').stdout).fingerprint;
  }, 120_000);

  describe("attack 2: a report re-signed with someone else's key", () => {
    it('verifies as a signature only, and says plainly that the signer was not checked', () => {
      const dir = copyOfReport();
      const forged = forge(dir);
      // The forgery is consistent: OpenSSL's own check, as README.txt gives it, passes.
      expect(
        openssl(['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest-sha256.txt', '-sigfile', 'signature.ed25519'], dir),
      ).toContain('Signature Verified Successfully');
      const human = verify(dir);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toContain(`signed by ${forged}`);
      expect(human.stdout).toContain('NOT checked against a trusted key');
      expect(human.stdout).toMatch(/out of band/);
      const json = onlyJson<{ ok: boolean; keyChecked: boolean; fingerprint: string }>(verify(dir, '--json').stdout);
      expect(json).toMatchObject({ ok: true, keyChecked: false, fingerprint: forged });
    });

    it('fails untrusted-key, exit 2, against a fingerprint obtained out of band or a trusted-keys file', () => {
      const dir = copyOfReport();
      const forged = forge(dir);
      const expectKey = verify(dir, '--json', '--expect-key', fingerprint);
      expect(expectKey.code).toBe(2);
      expect(onlyJson(expectKey.stdout)).toMatchObject({ ok: false, code: 'untrusted-key', fingerprint: forged });
      const trusted = path.join(tempDir('custodian-trusted-'), 'trusted-keys.txt');
      // Any case and colons, as a person may copy it from paper.
      const spaced = fingerprint.toUpperCase().match(/../g)!.join(':');
      writeFileSync(trusted, `# records office keys\n${spaced} County Records, workstation 3\n`);
      const file = verify(dir, '--trusted-keys', trusted);
      expect(file.code).toBe(2);
      expect(file.stdout).toMatch(/untrusted-key: the report is signed by [0-9a-f]{64}, which is not one of the trusted keys given/);
      // The genuine report passes the same checks, naming whom it was trusted as.
      const real = onlyJson<{ ok: boolean; keyChecked: boolean; trustedAs: string }>(verify(report, '--json', '--trusted-keys', trusted).stdout);
      expect(real).toEqual(expect.objectContaining({ ok: true, keyChecked: true, trustedAs: 'County Records, workstation 3' }));
      expect(verify(report, '--expect-key', fingerprint).stdout).toContain('trusted as');
      // A bad trusted-keys line is a usage error naming its line.
      writeFileSync(trusted, `${fingerprint} ok\nnot-a-fingerprint someone\n`);
      const bad = verify(report, '--trusted-keys', trusted);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/Line 2 of/);
    });

    it('ledger verify --against a forged report fails on the real workstation: it was not signed by this workstation', () => {
      const dir = copyOfReport();
      forge(dir);
      expect(cli('ledger', 'verify', '--against', report).code).toBe(0);
      const r = cli('ledger', 'verify', '--against', dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/untrusted-key: .*not this workstation's signing key, current or retired/);
    });

    it('README.txt tells the recipient to obtain the fingerprint out of band, never from the report', () => {
      const readme = readFileSync(path.join(report, 'README.txt'), 'utf8');
      expect(readme).toMatch(/out of band/);
      expect(readme).toMatch(/never from this\s+report/);
      expect(readme).toContain('--expect-key');
    });
  });

  describe('attack 9: hostile report folders', () => {
    it('a FIFO or a link in place of report.pdf is refused unopened (special-file), exit 2, without hanging', () => {
      const fifo = copyOfReport();
      rmSync(path.join(fifo, 'report.pdf'));
      execFileSync('mkfifo', [path.join(fifo, 'report.pdf')]);
      const r = verify(fifo, '--json');
      expect(r.code).toBe(2);
      expect(onlyJson(r.stdout)).toMatchObject({ ok: false, code: 'special-file' });
      const link = copyOfReport();
      rmSync(path.join(link, 'report.pdf'));
      symlinkSync(path.join(report, 'report.pdf'), path.join(link, 'report.pdf'));
      expect(onlyJson(verify(link, '--json').stdout)).toMatchObject({ ok: false, code: 'special-file' });
      // A FIFO as the manifest itself, too.
      const seal = copyOfReport();
      rmSync(path.join(seal, 'manifest-sha256.txt'));
      execFileSync('mkfifo', [path.join(seal, 'manifest-sha256.txt')]);
      expect(onlyJson(verify(seal, '--json').stdout)).toMatchObject({ ok: false, code: 'special-file' });
    });

    it('a signed manifest listing a path outside the folder is path-outside-report; the outside file is not read', () => {
      const dir = copyOfReport();
      // A file the verifier could read, and whose atime would show a read.
      const outside = path.join(tempDir('custodian-outside-'), 'hostname');
      writeFileSync(outside, 'secret-host\n');
      const rel = path.relative(dir, outside);
      forge(dir, (d) => {
        const hash = createHash('sha256').update(readFileSync(outside)).digest('hex');
        writeFileSync(path.join(d, 'manifest-sha256.txt'), `${readFileSync(path.join(d, 'manifest-sha256.txt'), 'utf8')}${hash}  ${rel}\n`);
      });
      expect(readFileSync(path.join(dir, 'manifest-sha256.txt'), 'utf8')).toContain(`  ${rel}\n`);
      const r = verify(dir, '--json');
      expect(r.code).toBe(2);
      expect(onlyJson<{ code: string; problem: string }>(r.stdout)).toMatchObject({ code: 'path-outside-report' });
      expect(verify(dir).stdout).toMatch(/REPORT DOES NOT VERIFY: path-outside-report: ".*hostname" is not a file of this folder; it was not opened/);
    });

    it('a signed report.json that is not JSON is report-json-invalid, exit 2, with a sentence and no parser text', () => {
      const dir = copyOfReport();
      forge(dir, (d) => writeFileSync(path.join(d, 'report.json'), '{"signing": {"fingerprint": '));
      const r = verify(dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('report-json-invalid: report.json is signed but is not a JSON object');
      expect(r.stdout + r.stderr).not.toMatch(/SyntaxError|Unexpected end|position/);
    });

    it('report verify creates no data folder, database or key', () => {
      const parent = tempDir('custodian-none-');
      const dataDirThere = path.join(parent, 'data');
      const config = tempDir('custodian-config-');
      const r = spawnSync(process.execPath, [path.resolve('bin/custodian.js'), '--data-dir', dataDirThere, 'report', 'verify', report], {
        encoding: 'utf8',
        env: { ...process.env, XDG_CONFIG_HOME: config, CUSTODIAN_DATA_DIR: '' },
        timeout: HANG_MS,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(dataDirThere)).toBe(false);
      expect(readdirSync(parent)).toEqual([]);
      expect(readdirSync(config)).toEqual([]);
    });
  });

  it('signing key files are owner-only, and made so again when found looser (said once)', () => {
    const here = path.join(tempDir('custodian-keymode-'), 'data');
    cpSync(dataDir, here, { recursive: true });
    const keys = path.join(here, 'keys');
    execFileSync('chmod', ['0755', keys]);
    execFileSync('chmod', ['0644', path.join(keys, 'ed25519-private.pem')]);
    const r = runCliWithin(HANG_MS, ['--data-dir', here, 'key', 'show']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/signing key files were readable by others and are now owner-only/);
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(keys, 'ed25519-private.pem')).mode & 0o777).toBe(0o600);
    expect(runCliWithin(HANG_MS, ['--data-dir', here, 'key', 'show']).stderr).not.toMatch(/owner-only/);
  });
});
