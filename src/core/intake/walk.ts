import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ReasonCode } from '../../shared/reason-codes.js';
import { errnoCode } from '../errors.js';
import { CSV_MANIFEST, isBagDeclaration, isUndeclaredBag, loadBag, loadCsvManifest, relativeManifestPath, type CustodyScope } from '../custody/index.js';

/** A custody scope a walked path falls under, with its path relative to the scope. */
export type ScopeRef = { scope: CustodyScope; relPath: string };

/** One entry found under a dropped root. */
export type WalkItem =
  | {
      kind: 'file';
      path: string;
      size: number;
      scopes: ScopeRef[];
      /** For a link followed inside the root: the resolved file, which is what is opened (never the link itself). */
      target?: string;
    }
  | { kind: 'problem'; path: string; code: ReasonCode; detail: Record<string, unknown>; scopes: ScopeRef[] };

/** Everything found under one root, in a stable order, and the custody scopes met on the way. */
export type WalkResult = { items: WalkItem[]; scopes: CustodyScope[] };

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function problemFromError(err: unknown, filePath: string): { code: ReasonCode; detail: Record<string, unknown> } {
  const errno = errnoCode(err) ?? 'unknown';
  if (errno === 'ENOENT' && filePath.includes('\uFFFD')) return { code: 'unreadable-name', detail: { errno } };
  if (errno === 'ENOENT') return { code: 'vanished', detail: { errno } };
  if (errno === 'ELOOP') return { code: 'symlink-loop', detail: { errno } };
  return { code: 'unreadable', detail: { errno } };
}

/**
 * Walks a dropped file or folder. Folders are walked recursively; links are followed only while they
 * resolve inside the dropped root, and never in a cycle. Nothing is skipped silently: every entry that is
 * not a regular file reachable inside the root comes back as a `problem` with a reason code.
 * A folder holding `bagit.txt` starts a BagIt scope; one holding `custody-manifest.csv` a CSV scope.
 */
export async function walkRoot(root: string): Promise<WalkResult> {
  const items: WalkItem[] = [];
  const scopes: CustodyScope[] = [];
  const rootReal = await realpath(root);
  const rootStat = await stat(rootReal);

  const addRefs = (filePath: string, active: CustodyScope[]): ScopeRef[] =>
    active.map((scope) => ({ scope, relPath: relativeManifestPath(scope.root, filePath) }));

  const visit = async (dir: string, dirReal: string, ancestors: Set<string>, inherited: CustodyScope[]): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (err) {
      items.push({ kind: 'problem', path: dir, ...problemFromError(err, dir), scopes: addRefs(dir, inherited) });
      return;
    }
    const active = [...inherited];
    // Payload is payload (RFC 8493 §2.1.2): under a bag's data/, a bagit.txt or a manifest is a record like any
    // other, never a scope of its own.
    const inPayload = inherited.some((s) => s.kind === 'bagit' && /^data(?:\/|$)/u.test(relativeManifestPath(s.root, dir)));
    const opened = inPayload
      ? null
      : isBagDeclaration(names)
        ? await loadBag(dir, names)
        : isUndeclaredBag(names)
          ? await loadBag(dir, names, false)
          : names.includes(CSV_MANIFEST)
            ? await loadCsvManifest(dir)
            : null;
    // Entries a scope problem already reports (a manifest refused unread), so each is reported once, under one code.
    const reported = new Set<string>();
    if (opened) {
      scopes.push(opened);
      active.push(opened);
      for (const p of opened.problems) {
        const at = path.join(dir, ...p.relPath.split('/'));
        reported.add(at);
        items.push({ kind: 'problem', path: at, code: p.code, detail: p.detail, scopes: addRefs(at, active) });
      }
    }
    for (const name of names) {
      const entry = path.join(dir, name);
      const scopeRefs = addRefs(entry, active);
      const problem = (code: ReasonCode, detail: Record<string, unknown> = {}): void => {
        items.push({ kind: 'problem', path: entry, code, detail, scopes: scopeRefs });
      };
      try {
        const ls = await lstat(entry);
        // A folder of a manifest's name is still walked: what it holds must not be skipped unseen.
        if (reported.has(entry) && !ls.isDirectory()) continue;
        if (ls.isDirectory()) {
          await visit(entry, path.join(dirReal, name), new Set([...ancestors, path.join(dirReal, name)]), active);
        } else if (ls.isFile()) {
          items.push({ kind: 'file', path: entry, size: ls.size, scopes: scopeRefs });
        } else if (ls.isSymbolicLink()) {
          let target: string;
          try {
            target = await realpath(entry);
          } catch (err) {
            const errno = errnoCode(err);
            problem(errno === 'ENOENT' ? 'dangling-symlink' : errno === 'ELOOP' ? 'symlink-loop' : 'unreadable', { errno });
            continue;
          }
          if (!isInside(rootReal, target)) {
            problem('symlink-escape');
            continue;
          }
          const ts = await stat(target);
          if (ts.isFile()) items.push({ kind: 'file', path: entry, size: ts.size, scopes: scopeRefs, target });
          else if (ts.isDirectory() && ancestors.has(target)) problem('symlink-loop');
          else if (ts.isDirectory()) await visit(entry, target, new Set([...ancestors, target]), active);
          else problem('special-file');
        } else {
          problem('special-file');
        }
      } catch (err) {
        const { code, detail } = problemFromError(err, entry);
        problem(code, detail);
      }
    }
  };

  if (rootStat.isDirectory()) await visit(root, rootReal, new Set([rootReal]), []);
  else if (rootStat.isFile()) items.push({ kind: 'file', path: root, size: rootStat.size, scopes: [], ...(rootReal !== root ? { target: rootReal } : {}) });
  else items.push({ kind: 'problem', path: root, code: 'special-file', detail: {}, scopes: [] });
  return { items, scopes };
}

/**
 * Files a custody scope lists that the walk did not find, as `missing-from-payload` problems.
 * Their paths are where the file should have been.
 */
export function missingFromPayload(result: WalkResult): WalkItem[] {
  const seen = new Map<CustodyScope, Set<string>>();
  for (const item of result.items) {
    for (const ref of item.scopes) {
      let set = seen.get(ref.scope);
      if (!set) seen.set(ref.scope, (set = new Set()));
      set.add(ref.relPath);
    }
  }
  const missing: WalkItem[] = [];
  for (const scope of result.scopes) {
    const found = seen.get(scope) ?? new Set();
    for (const [rel, expected] of [...scope.payload, ...scope.tags]) {
      if (found.has(rel)) continue;
      missing.push({
        kind: 'problem',
        path: path.join(scope.root, ...rel.split('/')),
        code: 'missing-from-payload',
        // A holey bag's absent file is reported with where it would come from; it is never fetched.
        detail: { scope: scope.kind, digests: expected.digests, ...(scope.fetch.has(rel) ? { fetchUrl: scope.fetch.get(rel) } : {}) },
        scopes: [],
      });
    }
  }
  return missing;
}
