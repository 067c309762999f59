import type { TextMatch } from './identifiers.js';

const LEVEL = '(?:TOP\\s+SECRET|SECRET|CONFIDENTIAL)';
/**
 * The `//` separator as OCR writes it: a slash followed by a stroke read as I, l, 1 or |, or a single slash
 * (measured on rendered scans: `(S//NF)` comes back as `(S/INF)` or `(S//INF)`, `CUI//SP-PRVCY` as `CUI/ISP-PRVCY`,
 * `CUlI/ISP-PRVCY` or `CUIl//[SP-PRVCY`; hence also `CU` followed by one or two I-like strokes).
 */
export const SEP = '\\s*(?:\\/\\/[Il1|[]?|\\/[Il1|[]|[Il1|]\\/\\/?|\\/)\\s*';
const CAVEAT = '(?:NOFORN|ORCON|NOCONTRACT|PROPIN|RELIDO|FISA|IMCON|REL\\s+TO\\s+[A-Z]{3}(?:\\s*,\\s*[A-Z]{3})*|SI|TK|HCS|SAP|RD|FRD|NF|OC|FOUO)';

/**
 * Classification banners and portion marks, CAPCO style: upper case, alone on their line or with `//`
 * caveats (`SECRET//NOFORN`, `TOP SECRET//SI//REL TO USA, GBR`), and portion marks at a paragraph start
 * (`(TS)`, `(S)`, `(C)`, `(S//NF)`). Lower-case prose ("the secret of success") never matches. An
 * `UNCLASSIFIED` banner is not restrictive and is not reported.
 */
export function findClassificationMarkings(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  // A banner: the level (with caveats) as the whole line, case-sensitive upper case.
  const banner = new RegExp(`^[ \\t]*(${LEVEL}(?:${SEP}${CAVEAT})*)[ \\t]*$`, 'gmu');
  for (const m of text.matchAll(banner)) {
    const start = m.index + m[0].indexOf(m[1]!);
    out.push({ type: 'classification-marking', start, end: start + m[1]!.length, confidence: 0.97, detail: 'banner' });
  }
  // Inline banner with caveats anywhere (e.g. a header line with other words): the `//` makes it unambiguous.
  const caveated = new RegExp(`(?<![A-Za-z])(${LEVEL}${SEP}${CAVEAT}(?:${SEP}${CAVEAT})*)(?![A-Za-z])`, 'gu');
  for (const m of text.matchAll(caveated)) {
    if (out.some((o) => o.start <= m.index && o.end >= m.index + m[0].length)) continue;
    out.push({ type: 'classification-marking', start: m.index, end: m.index + m[0].length, confidence: 0.95, detail: 'banner' });
  }
  // Portion marks at the start of a line (a paragraph start in OCR text).
  const portion = new RegExp(`^[ \\t]*(\\((?:TS|S|C)(?:${SEP}[A-Z][A-Z, ]*)*\\))(?=\\s)`, 'gmu');
  for (const m of text.matchAll(portion)) {
    const start = m.index + m[0].indexOf(m[1]!);
    out.push({ type: 'classification-marking', start, end: start + m[1]!.length, confidence: 0.9, detail: 'portion' });
  }
  return out;
}

/**
 * Control markings: CUI banners (`CUI`, `CUI//SP-PRVCY`, `CONTROLLED`) and legacy `FOR OFFICIAL USE ONLY` /
 * `FOUO`, `LIMITED OFFICIAL USE`, `SENSITIVE BUT UNCLASSIFIED` (also after `UNCLASSIFIED//`), upper case.
 */
export function findControlMarkings(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  const re = new RegExp(
    `(?<![A-Za-z/])((?:UNCLASSIFIED${SEP})?(?:CU[Il1|]{1,2}(?:${SEP}[A-Z][A-Z-]*(?:\\/[A-Z-]+)*)*|FOR\\s+OFFICIAL\\s+USE\\s+ONLY|FOUO|LIMITED\\s+OFFICIAL\\s+USE|SENSITIVE\\s+BUT\\s+UNCLASSIFIED|LAW\\s+ENFORCEMENT\\s+SENSITIVE))(?![A-Za-z])`,
    'gu',
  );
  for (const m of text.matchAll(re)) {
    // "CUI" inside ordinary words is excluded by the letter boundaries; a lone "CUI" counts only as a banner line.
    if (/^CU[Il1|]{1,2}$/u.test(m[1]!) && !/^[ \t]*CU[Il1|]{1,2}[ \t]*$/u.test(lineAt(text, m.index))) continue;
    out.push({ type: 'control-marking', start: m.index, end: m.index + m[0].length, confidence: 0.93 });
  }
  const controlled = /^[ \t]*(CONTROLLED)[ \t]*$/gmu;
  for (const m of text.matchAll(controlled)) {
    const start = m.index + m[0].indexOf(m[1]!);
    out.push({ type: 'control-marking', start, end: start + m[1]!.length, confidence: 0.9 });
  }
  return out;
}

function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end === -1 ? undefined : end);
}
