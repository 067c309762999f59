import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, onlyJson, runCli } from './helpers/cli.js';
import { REPO, tempDir } from './helpers/fixtures.js';

/**
 * A Node older than 22 on this machine outside the project (Debian's, here: the Node a records room's
 * distribution ships). npm puts the project's Node 22 first on PATH, so look past node_modules.
 */
function olderSystemNode(): string | null {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && !d.includes('node_modules'));
  for (const dir of [...dirs, '/usr/bin', '/usr/local/bin']) {
    const candidate = path.join(dir, process.platform === 'win32' ? 'node.exe' : 'node');
    if (!existsSync(candidate)) continue;
    const r = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (r.status === 0 && Number(r.stdout.split('.')[0]) < 22) return candidate;
  }
  return null;
}

const oldNode = olderSystemNode();
const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('custodian --version', () => {
  it('prints the version from package.json, also as JSON', () => {
    const plain = runCli(['--version']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(`custodian ${version}\n`);
    const json = runCli(['--version', '--json']);
    expect(json.code).toBe(0);
    expect(onlyJson(json.stdout)).toEqual({ version, node: process.versions.node });
  });
});

// Without a Node older than 22 on the machine there is nothing to run the bin under; say so in the report.
describe.skipIf(!oldNode)(`the bin under an older Node (${oldNode ?? 'none on this machine'})`, () => {
  const run = (bin: string, args: string[]) => spawnSync(oldNode!, [bin, ...args], { encoding: 'utf8', env: { ...process.env, CUSTODIAN_OCR_ADAPTER: '' } });

  it('re-runs itself on the project Node 22 with the same arguments and output', () => {
    const r = run(BIN, ['--version', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = onlyJson<{ version: string; node: string }>(r.stdout);
    expect(out.version).toBe(version);
    expect(Number(out.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });

  it('passes on the exit code of the real run (2: a report that does not verify)', () => {
    const data = tempDir();
    const notAReport = tempDir();
    const r = run(BIN, ['--data-dir', data, 'report', 'verify', notAReport]);
    expect(r.stdout).toMatch(/REPORT DOES NOT VERIFY/u);
    expect(r.status).toBe(2);
    expect(run(BIN, ['no-such-command']).status).toBe(1);
  });

  it('runs real work there: an ingest of the shipped samples, then a ledger check', () => {
    const data = tempDir();
    const ingest = run(BIN, ['--data-dir', data, '--json', '-q', 'ingest', '--no-extract', path.join(REPO, 'resources', 'samples', 'intake')]);
    expect(ingest.status).toBe(0);
    expect(onlyJson<{ registered: number }>(ingest.stdout).registered).toBeGreaterThan(0);
    const verify = run(BIN, ['--data-dir', data, 'ledger', 'verify']);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/^Ledger intact/u);
  });

  it('without the project Node, prints one line saying what is needed, and exits 1', () => {
    // The bin alone, as in a checkout where `npm ci` never ran: no node_modules beside it.
    const bare = tempDir();
    mkdirSync(path.join(bare, 'bin'));
    copyFileSync(BIN, path.join(bare, 'bin', 'custodian.js'));
    copyFileSync(path.join(REPO, 'package.json'), path.join(bare, 'package.json'));
    const r = run(path.join(bare, 'bin', 'custodian.js'), ['--version']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/needs Node\.js 22 or newer, this is v\d+.*npm ci/u);
  });
});
