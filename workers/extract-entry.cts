/**
 * The pool's entry file, in CommonJS. Piscina require()s its worker file before trying import(), and on
 * Node 22 require() of an ES module can abort the whole process (V8's "IsGraphAsync must be used on an
 * instantiated module"; seen once in CI). This shim is CommonJS, so require() finds no ES module; it loads the
 * ES worker with import(), starting at thread start so the OCR engine still warms up before the first task.
 */
const worker = import('./extract-worker.js');
type Worker = Awaited<typeof worker>;
// A load failure surfaces in the first task that awaits it, not as an unhandled rejection at thread start.
worker.catch(() => undefined);

/** Runs one extraction task in this thread (see extract-worker.ts). */
async function extract(task: Parameters<Worker['default']>[0]): ReturnType<Worker['default']> {
  return (await worker).default(task);
}

export = extract;
