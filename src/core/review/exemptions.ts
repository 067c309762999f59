import type { Jurisdiction } from '../deadlines/index.js';
import { EngineError } from '../errors.js';
import type { Db } from '../store/index.js';
import type { ExemptionCode, FindingType } from '../../shared/types.js';

/** Whose codes a document is reviewed under when it answers no request. */
export const DEFAULT_REVIEW_JURISDICTION = 'us-federal';

/** The exemption codes that apply to a document, and the code suggested for each kind of finding. */
export type ReviewCodes = {
  jurisdictions: string[];
  codes: ExemptionCode[];
  /** The suggestion of the first (newest request's) jurisdiction. */
  suggest: (type: FindingType) => string;
  /**
   * The code as the jurisdiction file spells it, for an officer's spelling (`b6`, `(B)(6)`, `552.101`).
   * @throws EngineError `invalid-argument` listing the codes that apply.
   */
  resolve: (code: string) => string;
};

/** Letters, digits and dots, lower case: `(b)(7)(C)` and `b7c` are one code, `§552.101` and `552.101` too. */
const codeKey = (code: string): string => code.toLowerCase().replace(/[^a-z0-9.]/gu, '');

/**
 * The codes a document is reviewed under: those of the jurisdictions of the requests it is responsive to
 * (newest request first), or federal FOIA's when it answers none.
 */
export function reviewCodes(db: Db, jurisdiction: (code: string) => Jurisdiction, documentId: number): ReviewCodes {
  const fromRequests = db
    .prepare(
      `SELECT r.jurisdiction FROM request_documents rd JOIN requests r ON r.id = rd.request_id
        WHERE rd.document_id = ? GROUP BY r.jurisdiction ORDER BY MAX(r.created_at) DESC, r.jurisdiction`,
    )
    .pluck()
    .all(documentId) as string[];
  const jurisdictions = fromRequests.length ? fromRequests : [DEFAULT_REVIEW_JURISDICTION];
  const files = jurisdictions.map((code) => jurisdiction(code));
  const codes = files.flatMap((j) => j.exemptions.codes.map((c) => ({ ...c, jurisdiction: j.code })));
  const byKey = new Map(codes.map((c) => [codeKey(c.code), c.code]));
  const first = files[0]!.exemptions.suggest;
  return {
    jurisdictions,
    codes,
    suggest: (type) => first[type] ?? first.default!,
    resolve: (code) => {
      const found = byKey.get(codeKey(code));
      if (!found)
        throw new EngineError(
          'invalid-argument',
          `${code} is not an exemption code of ${jurisdictions.join(', ')}. Codes: ${codes.map((c) => c.code).join(', ')}.`,
        );
      return found;
    },
  };
}
