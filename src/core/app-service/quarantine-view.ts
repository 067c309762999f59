import { existsSync } from 'node:fs';
import path from 'node:path';
import type { QuarantineItem } from '../../shared/types.js';
import type { QuarantineView } from '../../shared/bridge-api.js';

const CUSTODY_REASONS = new Set(['digest-mismatch', 'missing-from-payload', 'not-in-manifest', 'manifest-invalid', 'retention']);

/**
 * Adds the folder and, for a custody reason, the manifest the file was checked against: the nearest
 * enclosing BagIt bag (its `manifest-<algorithm>.txt`) or folder with `custody-manifest.csv`. Two files of
 * the same name in different bags can then be told apart. Folder lookups are shared across one listing.
 */
export function quarantineViews(items: QuarantineItem[]): QuarantineView[] {
  const scopes = new Map<string, { kind: 'bagit' | 'csv'; root: string } | null>();
  const scopeOf = (dir: string): { kind: 'bagit' | 'csv'; root: string } | null => {
    if (scopes.has(dir)) return scopes.get(dir)!;
    let found: { kind: 'bagit' | 'csv'; root: string } | null = null;
    if (existsSync(path.join(dir, 'bagit.txt'))) found = { kind: 'bagit', root: dir };
    else if (existsSync(path.join(dir, 'custody-manifest.csv'))) found = { kind: 'csv', root: dir };
    else if (path.dirname(dir) !== dir) found = scopeOf(path.dirname(dir));
    scopes.set(dir, found);
    return found;
  };
  return items.map((item) => {
    const folder = path.dirname(item.path);
    let manifest: string | null = null;
    if (CUSTODY_REASONS.has(item.reasonCode)) {
      const scope = scopeOf(folder);
      if (scope?.kind === 'csv') manifest = path.join(scope.root, 'custody-manifest.csv');
      else if (scope) {
        const algorithm = typeof item.detail.algorithm === 'string' ? item.detail.algorithm : 'sha256';
        manifest = path.join(scope.root, `manifest-${algorithm}.txt`);
      }
    }
    return { ...item, folder, manifest };
  });
}
