import type { FindingType, PageBox, ReviewDecision, ReviewItem } from '../../shared/types.js';

/** A stored finding as review reads it. */
export type FindingRow = { id: number; pageNo: number; type: FindingType; bbox: PageBox | null; confidence: number; textHash: string; basis: string };

/** Two boxes on one line: they overlap vertically by at least half the shorter one's height. */
function sameLine(a: PageBox, b: PageBox): boolean {
  const overlap = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return overlap >= 0.5 * Math.min(a[3] - a[1], b[3] - b[1]);
}

/**
 * Review items from a document's findings (in page, id order): findings of one mark (same type and matched
 * text, by its keyed hash) on one line of one page are one item, with a box each; a mark on another line is
 * another item. Each item carries the decision in force on its findings (the newest).
 */
export function reviewItems(findings: FindingRow[], decisions: ReviewDecision[], suggest: (type: FindingType) => string): ReviewItem[] {
  const groups: FindingRow[][] = [];
  for (const f of findings) {
    const group = groups.find((g) => {
      const h = g[0]!;
      if (h.pageNo !== f.pageNo || h.type !== f.type || h.textHash !== f.textHash) return false;
      if (!f.bbox) return g.some((x) => !x.bbox);
      return g.some((x) => x.bbox !== null && sameLine(x.bbox, f.bbox!));
    });
    if (group) group.push(f);
    else groups.push([f]);
  }
  const latest = new Map<number, ReviewDecision>();
  for (const d of decisions) if (d.findingId !== null) latest.set(d.findingId, d);
  return groups.map((g) => {
    const decided = g.map((f) => latest.get(f.id)).filter((d): d is ReviewDecision => d !== undefined);
    const newest = decided.sort((a, b) => b.id - a.id)[0];
    // An item is decided when each of its findings is (a finding merged in later has no decision yet).
    const decision =
      newest && decided.length === g.length
        ? { action: newest.action, code: newest.code, reason: newest.reason, operator: newest.operator, at: newest.at }
        : null;
    return {
      id: g[0]!.id,
      findingIds: g.map((f) => f.id),
      type: g[0]!.type,
      pageNo: g[0]!.pageNo,
      boxes: g.flatMap((f) => (f.bbox ? [f.bbox] : [])),
      confidence: Math.round(Math.max(...g.map((f) => f.confidence)) * 100),
      suggestedCode: suggest(g[0]!.type),
      basis: g[0]!.basis,
      decision,
    };
  });
}
