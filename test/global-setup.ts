import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Compiles the CLI to dist/ once, so tests that spawn `bin/custodian.js` run the code under test. */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.node.json'], { cwd: root, stdio: 'inherit' });
}
