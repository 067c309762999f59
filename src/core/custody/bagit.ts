import { readdir } from 'node:fs/promises';
import type { DigestAlgorithm } from './custody-scope.js';
import type { CustodyExpectation, CustodyScope } from './custody-scope.js';
import { normalizeManifestPath } from './manifest-path.js';
import { ManifestRefused, readManifestBytes } from './read-manifest.js';

/** Payload manifest algorithms we verify, strongest first (RFC 8493 §2.4 names). */
const ALGORITHMS: readonly DigestAlgorithm[] = ['sha512', 'sha256', 'sha1', 'md5'];
const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha512: 128, sha256: 64, sha1: 40, md5: 32 };

/** True when `dir` declares a bag (has a regular file `bagit.txt`). */
export function isBagDeclaration(names: readonly string[]): boolean {
  return names.includes('bagit.txt');
}

/**
 * True when `dir` looks like a bag that lost its declaration: payload manifests and a `data/` folder but no
 * `bagit.txt`. It is checked as a bag (and its missing declaration quarantined), not taken in as loose files.
 */
export function isUndeclaredBag(names: readonly string[]): boolean {
  return !names.includes('bagit.txt') && names.includes('data') && names.some((n) => /^manifest-[a-z0-9]+\.txt$/u.test(n));
}

/** RFC 8493 §2.1.3 and §2.2.3: CR, LF and % in manifest and fetch paths are percent-encoded. */
function decodeBagPath(raw: string): string {
  return raw.replace(/%0D/giu, '\r').replace(/%0A/giu, '\n').replace(/%25/gu, '%');
}

/** Decoders for the `Tag-File-Character-Encoding` values bags are written in (case-insensitive). */
function decoderFor(encoding: string): ((bytes: Buffer) => string) | null {
  const label = encoding.toLowerCase().replace(/_/gu, '-');
  const utf16 = (bytes: Buffer, fallback: 'utf-16le' | 'utf-16be'): string => {
    // A BOM decides the byte order; the decoder drops it.
    const order = bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : fallback;
    return new TextDecoder(order, { fatal: true }).decode(bytes);
  };
  if (label === 'utf-8' || label === 'utf8') return (b) => new TextDecoder('utf-8', { fatal: true }).decode(b);
  if (label === 'utf-16' || label === 'utf-16be') return (b) => utf16(b, 'utf-16be');
  if (label === 'utf-16le') return (b) => utf16(b, 'utf-16le');
  // Node's latin1 is ISO-8859-1 byte for byte (WHATWG's label maps to windows-1252, which differs in 0x80–0x9f).
  if (label === 'iso-8859-1' || label === 'latin1' || label === 'latin-1' || label === 'us-ascii' || label === 'ascii') return (b) => b.toString('latin1');
  return null;
}

/** The lines of a tag file, without the line ends (LF, CR or CRLF, RFC 8493 §2). */
function lines(text: string): string[] {
  const all = text.split(/\r\n|\n|\r/u);
  if (all.at(-1) === '') all.pop();
  return all;
}

/**
 * Reads `bagit.txt` as RFC 8493 §2.1.1 writes it: UTF-8 without a byte order mark, exactly the two lines
 * `BagIt-Version: M.N` and `Tag-File-Character-Encoding: ENCODING`, one space after each colon.
 * @returns the tag-file encoding (UTF-8 when the declaration is unusable) and the problems, each naming the rule.
 */
function readDeclaration(bytes: Buffer): { encoding: string; problems: string[] } {
  const rule = 'RFC 8493 §2.1.1';
  const problems: string[] = [];
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    problems.push(`${rule}: bagit.txt must not begin with a byte order mark`);
    body = bytes.subarray(3);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { encoding: 'UTF-8', problems: [...problems, `${rule}: bagit.txt is not UTF-8`] };
  }
  const [version, encodingLine, ...rest] = lines(text);
  const versionMatch = /^BagIt-Version: (\d+)\.(\d+)$/u.exec(version ?? '');
  if (!versionMatch) {
    problems.push(
      /^\s*BagIt-Version\s*:\s*\d+\.\d+\s*$/u.test(version ?? '')
        ? `${rule}: invalid whitespace in "BagIt-Version: M.N" (one space after the colon, nothing else)`
        : /^BagIt-Version:/u.test(version ?? '')
          ? `${rule}: the version must be M.N (two whole numbers), not ${JSON.stringify(version!.slice(14).trim())}`
          : `${rule}: the first line must be "BagIt-Version: M.N"`,
    );
  }
  const encodingMatch = /^Tag-File-Character-Encoding: (\S+)$/u.exec(encodingLine ?? '');
  if (!encodingMatch) {
    problems.push(
      /^\s*Tag-File-Character-Encoding\s*:\s*\S+\s*$/u.test(encodingLine ?? '')
        ? `${rule}: invalid whitespace in "Tag-File-Character-Encoding: ENCODING"`
        : `${rule}: the second line must be "Tag-File-Character-Encoding: ENCODING"`,
    );
  }
  if (rest.length) problems.push(`${rule}: bagit.txt must hold exactly two lines, it has ${rest.length + 2}`);
  const encoding = encodingMatch?.[1] ?? 'UTF-8';
  if (encodingMatch && !decoderFor(encoding)) problems.push(`${rule}: tag file encoding ${encoding} is not one Custodian reads (UTF-8, UTF-16, ISO-8859-1)`);
  return { encoding: decoderFor(encoding) ? encoding : 'UTF-8', problems };
}

/** Parses `<digest> <path>` lines (RFC 8493 §2.1.3) into `into`, returning problems by line. */
function parseManifest(text: string, algorithm: DigestAlgorithm, into: Map<string, CustodyExpectation>): string[] {
  const rule = 'RFC 8493 §2.1.3';
  const problems: string[] = [];
  lines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([0-9A-Fa-f]+)[ \t]+(.+)$/u.exec(line);
    const rel = m ? normalizeManifestPath(decodeBagPath(m[2]!)) : null;
    if (!m || !rel || m[1]!.length !== HEX_LENGTH[algorithm]) {
      problems.push(`${rule}: line ${i + 1}: not "<${algorithm} digest> <relative path>"`);
      return;
    }
    const entry = into.get(rel) ?? { digests: {} };
    const value = m[1]!.toLowerCase();
    const before = entry.digests[algorithm];
    if (before !== undefined && before !== value) problems.push(`${rule}: line ${i + 1}: ${JSON.stringify(rel)} is listed twice with different digests`);
    entry.digests[algorithm] = before ?? value;
    into.set(rel, entry);
  });
  return problems;
}

/**
 * Parses `fetch.txt` (RFC 8493 §2.2.3: `<url> <length|-> <path>`). Custodian never fetches: a listed file
 * that is present is checked like any payload file, one that is absent is quarantined as missing with its URL.
 * Paths must stay inside the bag's `data/` (no `..`, no absolute path, no `~`).
 */
function parseFetch(text: string, into: Map<string, string>): string[] {
  const rule = 'RFC 8493 §2.2.3';
  const problems: string[] = [];
  lines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(\S+)[ \t]+(\d+|-)[ \t]+(.+)$/u.exec(line);
    if (!m) {
      problems.push(`${rule}: line ${i + 1}: not "<url> <length> <path>"`);
      return;
    }
    const raw = decodeBagPath(m[3]!);
    const rel = raw.startsWith('~') ? null : normalizeManifestPath(raw);
    if (!rel || !rel.startsWith('data/')) {
      problems.push(`${rule}: line ${i + 1}: ${JSON.stringify(raw)} leaves the bag's payload`);
      return;
    }
    into.set(rel, m[1]!);
  });
  return problems;
}

/**
 * Reads a bag's declaration and every payload and tag manifest it has, in the tag-file encoding the
 * declaration names. Problems in them are recorded against the metadata file, never thrown: a bad manifest
 * is a custody failure to quarantine, and the rest of the bag is still checked. With `declared` false (see
 * {@link isUndeclaredBag}) the missing `bagit.txt` is itself the problem. A tag file that is not a regular
 * file in the bag, or is over the size cap, is never read (see {@link readManifestBytes}): its refusal is a
 * problem of the scope, and a refused payload manifest still counts, so no payload file passes unchecked.
 */
export async function loadBag(root: string, listing?: readonly string[], declared = true): Promise<CustodyScope> {
  const names = listing ?? (await readdir(root));
  const scope: CustodyScope = { kind: 'bagit', root, algorithms: [], payload: new Map(), tags: new Map(), metadata: new Map(), fetch: new Map(), problems: [] };

  /** True (and recorded) when the error is a refusal to read a tag file, which is reported as an item of its own. */
  const refused = (err: unknown, name: string): boolean => {
    if (!(err instanceof ManifestRefused)) return false;
    scope.problems.push({ relPath: name, code: err.code, detail: { problems: [err.message] } });
    return true;
  };
  let declaration: { encoding: string; problems: string[] } = { encoding: 'UTF-8', problems: [] };
  if (declared) {
    try {
      declaration = readDeclaration(await readManifestBytes(root, 'bagit.txt'));
    } catch (err) {
      if (!refused(err, 'bagit.txt')) declaration.problems.push(`RFC 8493 §2.1.1: bagit.txt is unreadable: ${(err as Error).message}`);
    }
    scope.metadata.set('bagit.txt', declaration.problems);
  } else {
    scope.problems.push({
      relPath: 'bagit.txt',
      code: 'manifest-invalid',
      detail: { problems: ['RFC 8493 §2.1.1: the folder has payload manifests and data/ but no bagit.txt: it is not a valid bag'] },
    });
  }
  const decode = decoderFor(declaration.encoding)!;
  const readTag = async (name: string): Promise<string> => {
    try {
      return decode(await readManifestBytes(root, name)).replace(/^\uFEFF/u, '');
    } catch (err) {
      if (err instanceof ManifestRefused) throw err;
      throw new Error(err instanceof TypeError ? `not valid ${declaration.encoding}` : (err as Error).message, { cause: err });
    }
  };

  for (const algorithm of ALGORITHMS) {
    for (const [prefix, into] of [
      ['manifest', scope.payload],
      ['tagmanifest', scope.tags],
    ] as const) {
      const name = `${prefix}-${algorithm}.txt`;
      if (!names.includes(name)) continue;
      let problems: string[] = [];
      try {
        problems = parseManifest(await readTag(name), algorithm, into);
      } catch (err) {
        if (!refused(err, name)) problems = [`RFC 8493 §2.1.3: ${name} is unreadable: ${(err as Error).message}`];
      }
      scope.metadata.set(name, problems);
      if (prefix === 'manifest') scope.algorithms.push(algorithm);
    }
  }
  if (scope.algorithms.length === 0) declaration.problems.push('RFC 8493 §2.1.3: the bag has no payload manifest (manifest-<algorithm>.txt)');
  for (const rel of scope.payload.keys()) {
    if (!rel.startsWith('data/'))
      scope.metadata.get(`manifest-${scope.algorithms[0]}.txt`)?.push(`RFC 8493 §2.1.3: lists ${JSON.stringify(rel)} outside data/`);
  }
  if (names.includes('fetch.txt')) {
    let problems: string[] = [];
    try {
      problems = parseFetch(await readTag('fetch.txt'), scope.fetch);
    } catch (err) {
      if (!refused(err, 'fetch.txt')) problems = [`RFC 8493 §2.2.3: fetch.txt is unreadable: ${(err as Error).message}`];
    }
    for (const rel of scope.fetch.keys()) {
      if (!scope.payload.has(rel)) problems.push(`RFC 8493 §2.2.3: fetch.txt lists ${JSON.stringify(rel)}, which no payload manifest lists`);
    }
    scope.metadata.set('fetch.txt', problems);
  }
  if (names.includes('bag-info.txt')) scope.metadata.set('bag-info.txt', []);
  return scope;
}
