import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DigestAlgorithm } from './custody-scope.js';
import type { CustodyExpectation, CustodyScope } from './custody-scope.js';
import { normalizeManifestPath } from './manifest-path.js';

/** Payload manifest algorithms we verify, strongest first (RFC 8493 §2.4 names). */
const ALGORITHMS: readonly DigestAlgorithm[] = ['sha512', 'sha256', 'sha1', 'md5'];
const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha512: 128, sha256: 64, sha1: 40, md5: 32 };
/** Manifests larger than this are refused rather than read into memory. */
const MAX_MANIFEST_BYTES = 64 << 20;

/** True when `dir` declares a bag (has a regular file `bagit.txt`). */
export function isBagDeclaration(names: readonly string[]): boolean {
  return names.includes('bagit.txt');
}

/** RFC 8493 §2.1.3: CR, LF and % in manifest paths are percent-encoded. */
function decodeBagPath(raw: string): string {
  return raw.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

async function readText(file: string): Promise<string> {
  const bytes = await readFile(file);
  if (bytes.length > MAX_MANIFEST_BYTES) throw new Error(`larger than ${MAX_MANIFEST_BYTES} bytes`);
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** Parses `<digest> <path>` lines into `into`, returning problems by line. */
function parseManifest(text: string, algorithm: DigestAlgorithm, into: Map<string, CustodyExpectation>): string[] {
  const problems: string[] = [];
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([0-9A-Fa-f]+)[ \t]+(.+)$/.exec(line);
    const rel = m ? normalizeManifestPath(decodeBagPath(m[2]!)) : null;
    if (!m || !rel || m[1]!.length !== HEX_LENGTH[algorithm]) {
      problems.push(`line ${i + 1}: not "<${algorithm} digest> <relative path>"`);
      return;
    }
    const entry = into.get(rel) ?? { digests: {} };
    entry.digests[algorithm] = m[1]!.toLowerCase();
    into.set(rel, entry);
  });
  return problems;
}

/**
 * Reads a bag's declaration and every payload and tag manifest it has.
 * Problems in them are recorded against the metadata file, never thrown: a bad manifest is a custody
 * failure to quarantine, and the rest of the bag is still checked.
 */
export async function loadBag(root: string): Promise<CustodyScope> {
  const names = await readdir(root);
  const scope: CustodyScope = { kind: 'bagit', root, algorithms: [], payload: new Map(), tags: new Map(), metadata: new Map() };

  const declarationProblems: string[] = [];
  try {
    const declaration = await readText(path.join(root, 'bagit.txt'));
    if (!/^BagIt-Version:\s*\d+\.\d+\s*$/m.test(declaration)) declarationProblems.push('missing "BagIt-Version: M.N"');
    if (!/^Tag-File-Character-Encoding:\s*\S+\s*$/m.test(declaration)) declarationProblems.push('missing "Tag-File-Character-Encoding"');
  } catch (err) {
    declarationProblems.push(`unreadable: ${(err as Error).message}`);
  }
  scope.metadata.set('bagit.txt', declarationProblems);

  for (const algorithm of ALGORITHMS) {
    for (const [prefix, into] of [
      ['manifest', scope.payload],
      ['tagmanifest', scope.tags],
    ] as const) {
      const name = `${prefix}-${algorithm}.txt`;
      if (!names.includes(name)) continue;
      let problems: string[];
      try {
        problems = parseManifest(await readText(path.join(root, name)), algorithm, into);
      } catch (err) {
        problems = [`unreadable: ${(err as Error).message}`];
      }
      scope.metadata.set(name, problems);
      if (prefix === 'manifest') scope.algorithms.push(algorithm);
    }
  }
  if (scope.algorithms.length === 0) declarationProblems.push('the bag has no payload manifest (manifest-<algorithm>.txt)');
  for (const rel of scope.payload.keys()) {
    if (!rel.startsWith('data/')) scope.metadata.get(`manifest-${scope.algorithms[0]}.txt`)?.push(`lists ${JSON.stringify(rel)} outside data/`);
  }
  for (const name of ['bag-info.txt', 'fetch.txt']) if (names.includes(name)) scope.metadata.set(name, []);
  return scope;
}
