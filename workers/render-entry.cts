/**
 * The render pool's entry file, in CommonJS, for the reason extract-entry.cts gives: piscina require()s its
 * worker file first, and require() of an ES module can abort Node 22. This loads the ES worker with import().
 */
const worker = import('./render-worker.js');
type Worker = Awaited<typeof worker>;
worker.catch(() => undefined);

/** Renders one page in this thread (see render-worker.ts). */
async function render(task: Parameters<Worker['default']>[0]): ReturnType<Worker['default']> {
  return (await worker).default(task);
}

export = render;
