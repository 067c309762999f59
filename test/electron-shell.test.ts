/**
 * The Electron shell as built (`electron-vite build`; the binary cannot run here): the renderer's CSP, the
 * window's security preferences, the preload's single bridge, the engine host chunk (run here under Node),
 * and the packaging configuration.
 */
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { channels } from '../src/shared/contract.js';
import { methodChannels } from '../src/shared/bridge-api.js';
import { REPO, tempDir } from './helpers/fixtures.js';
import { EngineRelay } from '../src/main/engine-relay.js';
import { forkHost, openMessage } from './helpers/engine-host.js';

const OUT = path.join(REPO, 'out');
const read = (...p: string[]): string => readFileSync(path.join(OUT, ...p), 'utf8');

describe('built Electron shell', () => {
  it('the renderer carries a strict Content-Security-Policy with no remote origin', () => {
    const html = read('renderer', 'index.html');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/u.exec(html)?.[1];
    expect(csp).toBeDefined();
    const directives = Object.fromEntries(
      csp!
        .split(';')
        .map((d) => d.trim().split(/\s+/u))
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/https?:|wss?:|\*|'unsafe-inline'|'unsafe-eval'/u);
    // Every script and stylesheet the page loads is a local relative file.
    for (const [, src] of html.matchAll(/(?:src|href)="([^"]+)"/gu)) expect(src).toMatch(/^(\.\/|data:,$)/u);
  });

  it('the window is sandboxed and isolated, and navigation, new windows and webviews are refused', () => {
    const main = read('main', 'index.js');
    for (const setting of ['sandbox: true', 'contextIsolation: true', 'nodeIntegration: false', 'webSecurity: true', 'webviewTag: false'])
      expect(main).toContain(setting);
    for (const guard of [
      '"will-navigate"',
      '"will-redirect"',
      '"will-attach-webview"',
      'action: "deny"',
      'setPermissionRequestHandler',
      'requestSingleInstanceLock',
    ])
      expect(main).toContain(guard);
    // Every request that is not a local file is cancelled.
    expect(main).toMatch(/onBeforeRequest\([^)]*\)\s*=>\s*callback\(\{\s*cancel: !details\.url\.startsWith\("file:\/\/"\)/u);
    // The pool's worker and the OCR adapter are bundled files of the build, not paths into dist/.
    expect(readdirSync(path.join(OUT, 'main', 'chunks')).some((f) => f.startsWith('extract-worker'))).toBe(true);
  });

  it('the main bundle holds no engine: the engine host chunk has SQLite, and no native image binding, pdf.js or tesseract.js', () => {
    // An installer built on one OS lacks another OS's @napi-rs/canvas binding: a static import of it would
    // crash the engine before any window. Those packages load in pool threads, or on demand.
    const staticImports = (source: string): string[] =>
      [...source.matchAll(/^import\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gmu)].map((m) => (m[1] ?? m[2])!);
    const main = read('main', 'index.js');
    // The main process keeps windows, dialogs and the sender check; the engine runs in a utility process.
    expect(staticImports(main).filter((s) => !s.startsWith('node:') && s !== 'path')).toEqual(['electron', 'zod']);
    expect(main).toMatch(/utilityProcess\.fork\(/u);
    const hostChunk = readdirSync(path.join(OUT, 'main', 'chunks')).find((f) => /^host-entry-[\w-]+\.js$/u.test(f));
    expect(hostChunk).toBeDefined();
    const host = read('main', 'chunks', hostChunk!);
    const statics = staticImports(host);
    expect(statics).toContain('better-sqlite3');
    for (const heavy of ['@napi-rs/canvas', 'utif2', 'pdfjs-dist', 'tesseract.js', '@pdf-lib/standard-fonts'])
      expect(
        statics.filter((s) => s.startsWith(heavy)),
        heavy,
      ).toEqual([]);
    // The archive export's image decoding is the one on-demand chunk, reached by a dynamic import.
    const dynamic = [...host.matchAll(/import\("\.\/([\w-]+\.js)"\)/gu)].map((m) => m[1]);
    expect(dynamic.length).toBeGreaterThan(0);
    for (const chunk of dynamic) expect(read('main', 'chunks', chunk!)).toMatch(/from\s*"@napi-rs\/canvas"/u);
  });

  it('the built engine host opens a folder, checks its ledger in the built verify thread, and quits (forked by Node as the app forks it)', async () => {
    const chunks = path.join(OUT, 'main', 'chunks');
    const file = (re: RegExp): string =>
      path.join(
        chunks,
        readdirSync(chunks).find((f) => re.test(f))!,
      );
    const host = forkHost(file(/^host-entry-[\w-]+\.js$/u));
    const dataDir = path.join(tempDir(), 'data');
    const relay = await EngineRelay.start(host, openMessage(dataDir, { verifyWorkerFile: file(/^verify-worker-[\w-]+\.js$/u) }), { emit: () => {} });
    expect(await relay.call('ledger:verify', [])).toMatchObject({ ok: true, value: { ok: true } });
    await relay.close();
    expect(await host.exited, host.stderr()).toBe(0);
  });

  it("the pool's entry in the built app is a CommonJS shim over the worker chunk, as in the Node build", async () => {
    const chunks = path.join(OUT, 'main', 'chunks');
    const shim = path.join(chunks, 'extract-entry.cjs');
    const source = readFileSync(shim, 'utf8');
    expect(source).not.toMatch(/^\s*(import|export)\s/mu);
    const target = /import\('\.\/(extract-worker-[\w-]+\.js)'\)/u.exec(source)?.[1];
    expect(target && readdirSync(chunks)).toContain(target);
    // The main bundle hands piscina the shim, never the ES chunk.
    expect(read('main', 'index.js')).toContain('"extract-entry.cjs"');
    // What piscina does first: require() it. A CommonJS module comes back, and its import() finds the worker.
    const extract = createRequire(import.meta.url)(shim) as (task: unknown) => Promise<unknown>;
    expect(typeof extract).toBe('function');
    expect(typeof ((await import(pathToFileURL(path.join(chunks, target!)).href)) as { default: unknown }).default).toBe('function');
  });

  it('the preload is one CommonJS bundle exposing one bridge with a function per channel', () => {
    const preload = read('preload', 'index.cjs');
    expect(preload.match(/exposeInMainWorld\(/gu)).toHaveLength(1);
    expect(preload).toContain('exposeInMainWorld("custodian"');
    expect(preload).not.toMatch(/require\("(?!electron")/u);
    expect(preload).toContain('getPathForFile');
    expect(Object.values(methodChannels).sort()).toEqual(Object.keys(channels).sort());
  });

  it('packaging: fuses set, no auto-update, natives and assets unpacked, no rebuild', () => {
    const config = JSON.parse(readFileSync(path.join(REPO, 'electron-builder.json'), 'utf8')) as Record<string, unknown> & {
      electronFuses: Record<string, boolean>;
      asarUnpack: string[];
    };
    expect(config.publish).toBeNull();
    expect(config.npmRebuild).toBe(false);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    for (const pkg of ['better-sqlite3', '@napi-rs', 'tesseract.js-core', '@tesseract.js-data', 'pdfjs-dist'])
      expect(config.asarUnpack).toContain(`node_modules/${pkg}/**`);
    // Worker code is read from the asar; only natives, wasm and data files are unpacked.
    expect(config.asarUnpack).not.toContain('out/main/chunks/**');
    expect(config.asarUnpack).not.toContain('node_modules/piscina/**');
  });

  it('the deb can be built and is the primary Linux package, with the libraries Electron needs', () => {
    const config = JSON.parse(readFileSync(path.join(REPO, 'electron-builder.json'), 'utf8')) as {
      linux: { target: string[]; maintainer?: string };
      deb: { depends: string[] };
    };
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { author?: { email?: string } };
    // fpm refuses a deb without a maintainer; electron-builder takes it from linux.maintainer or the author's email.
    expect(pkg.author?.email).toMatch(/^[^@\s]+@[^@\s]+$/u);
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^@\s]+>$/u);
    // The deb's post-install sets chrome-sandbox to 4755, so it starts where AppArmor blocks unprivileged user namespaces.
    expect(config.linux.target[0]).toBe('deb');
    const depends = config.deb.depends.join(' ');
    for (const lib of ['libgtk-3-0', 'libnss3', 'libgbm1', 'libasound2', 'libxss1', 'libxtst6']) expect(depends).toContain(lib);
  });

  it('electronegativity finds nothing of high or critical severity in the built app (offline)', () => {
    // The built app as it would be packed: out/ and package.json (for the Electron version).
    const app = tempDir('custodian-eneg-');
    cpSync(OUT, path.join(app, 'out'), { recursive: true });
    cpSync(path.join(REPO, 'package.json'), path.join(app, 'package.json'));
    const csv = path.join(app, 'findings.csv');
    const electron = (JSON.parse(readFileSync(path.join(REPO, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    // AvailableSecurityFixesGlobalCheck is left out (see the runner): it downloads Electron's release list. Run
    // offline (its own network namespace where allowed) so nothing else can reach out either.
    const argv = [process.execPath, path.join(REPO, 'test', 'fixtures', 'electronegativity', 'run.mjs'), app, electron, csv];
    const isolated = spawnSync('unshare', ['-n', 'true']).status === 0 ? ['unshare', '-n', ...argv] : argv;
    const r = spawnSync(isolated[0]!, isolated.slice(1), { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const rows = readFileSync(csv, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => /^([A-Z_]+),"([A-Z]+)","([A-Z]+)"/u.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ check: m[1]!, severity: m[2]!, confidence: m[3]! }));
    expect(rows.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL')).toEqual([]);
    console.log(
      `electronegativity ${electron}: ${rows.length} finding(s), none high or critical: ${rows.map((f) => `${f.check} (${f.severity.toLowerCase()})`).join(', ')}; excluded: AvailableSecurityFixesGlobalCheck (needs the network)`,
    );
  });
});
