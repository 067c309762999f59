/**
 * Calls `fn` at most once per `intervalMs` with the latest arguments: the first call goes at once, later
 * ones within the interval collapse into one trailing call. Keeps a 10,000-document batch from flooding IPC.
 */
export function coalesce<A extends unknown[]>(intervalMs: number, fn: (...args: A) => void): { (...args: A): void; flush(): void; cancel(): void } {
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  let pending: A | null = null;
  const fire = (): void => {
    timer = null;
    if (!pending) return;
    const args = pending;
    pending = null;
    last = Date.now();
    fn(...args);
  };
  const call = (...args: A): void => {
    pending = args;
    const wait = last + intervalMs - Date.now();
    if (wait <= 0 && !timer) fire();
    else timer ??= setTimeout(fire, Math.max(0, wait));
  };
  call.flush = (): void => {
    if (timer) clearTimeout(timer);
    fire();
  };
  call.cancel = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    pending = null;
  };
  return call;
}
