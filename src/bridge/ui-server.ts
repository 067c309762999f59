/**
 * `npm run ui`: the desktop app's renderer in a normal browser, over the real engine, on 127.0.0.1 only.
 * Prints the address (with its one-time token) and serves until interrupted.
 */
import { Command, Option } from 'commander';
import path from 'node:path';
import { defaultDataDir } from '../core/index.js';
import { packageRoot, packageVersion } from '../core/package-paths.js';
import { startBridgeServer } from './bridge-server.js';

const program = new Command('custodian-ui')
  .description('Serve the Custodian app to a browser on this machine (127.0.0.1), over the real engine.')
  .addOption(new Option('--data-dir <dir>', 'data folder').env('CUSTODIAN_DATA_DIR'))
  .option('--port <n>', 'port on 127.0.0.1 (default: any free port)', (v) => Number.parseInt(v, 10), 0)
  .option('--workers <n>', 'pool threads (default from cores and memory)', (v) => Number.parseInt(v, 10))
  .option('--renderer <dir>', 'built renderer folder', path.join(packageRoot(), 'out', 'renderer'))
  .parse();

const opts = program.opts<{ dataDir?: string; port: number; workers?: number; renderer: string }>();
const server = await startBridgeServer({
  // The OCR engine can be swapped as in the CLI (tests script it, with a delay per page, to watch a batch run).
  engine: { dataDir: opts.dataDir ?? defaultDataDir(), workers: opts.workers ?? null, ocrAdapterModule: process.env.CUSTODIAN_OCR_ADAPTER || undefined },
  rendererDir: opts.renderer,
  port: opts.port,
  version: packageVersion(),
});
process.stdout.write(`Custodian is at ${server.url}\n(open it in a browser on this machine; the token after # admits only this session)\n`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
