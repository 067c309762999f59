/**
 * A size as people read it, the one convention of the CLI and the app: SI units, 1 KB = 1,000 bytes (as
 * drives and file managers label them), one decimal above bytes: `512 B`, `1.2 MB`.
 */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
