#!/usr/bin/env node
// The `custodian` command. The CLI is compiled to dist/ by `npm run build` (run by `prepare` on `npm ci`).
//
// Nothing native may load before the Node check: better-sqlite3 13 needs Node 22, and under an older Node it
// dies with a segmentation fault and no message. So the CLI is imported dynamically, after the check.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NEEDED_MAJOR = 22;
// Set on the re-run, so a wrong binary at the expected path cannot make the command re-run itself forever.
const REEXEC_MARK = 'CUSTODIAN_REEXEC_NODE';

if (Number(process.versions.node.split('.')[0]) < NEEDED_MAJOR) {
  rerunOnProjectNode();
} else {
  // `custodian … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const { main } = await import('../dist/src/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
}

/** Re-runs this command on the Node 22 that `npm ci` installs (the `node` devDependency), same arguments, stdio and exit. */
function rerunOnProjectNode() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const projectNode = path.join(root, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (process.env[REEXEC_MARK] || !existsSync(projectNode)) {
    process.stderr.write(
      `custodian: needs Node.js ${NEEDED_MAJOR} or newer, this is ${process.version}; run \`npm ci\` in ${root} (it installs Node ${NEEDED_MAJOR} for the project) or install Node ${NEEDED_MAJOR} from your distribution or nodejs.org\n`,
    );
    process.exit(1);
  }
  const child = spawn(projectNode, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [REEXEC_MARK]: '1' },
  });
  // A signal meant for the command (a service manager's SIGTERM, say) must reach the process doing the work.
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (err) => {
    process.stderr.write(`custodian: cannot start ${projectNode}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      // End the same way the child did, so the caller sees the same signal.
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, forward);
      process.kill(process.pid, signal);
    } else {
      process.exit(code ?? 1);
    }
  });
}
