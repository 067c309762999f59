import { z } from 'zod';
import { DOCUMENT_SORTS } from './types.js';

const lane = z.enum(['public', 'pii', 'classified']);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u, 'a date as YYYY-MM-DD');
const reason = z.string().trim().min(3, 'a reason of at least 3 characters').max(500);
const batchId = z.string().uuid();
const docRef = z.string().regex(/^(\d{1,12}|[0-9a-f]{64})$/iu, 'a document id or SHA-256');
const noArgs = z.tuple([]);
const requestId = z.string().min(1).max(100);
const quarantineIds = z.array(z.number().int().positive()).min(1).max(1000);
const findingIds = z.array(z.number().int().positive()).min(1).max(1000);
const exemptionCode = z.string().trim().min(1).max(40);
const pageNo = z.number().int().min(1).max(100_000);
const pixel = z.number().int().min(0).max(1_000_000);
const documentQuery = z
  .object({
    batchId: batchId.optional(),
    requestId: requestId.optional(),
    lane: z.enum(['pending', 'public', 'pii', 'classified']).optional(),
    state: z.enum(['queued', 'leased', 'done', 'failed', 'quarantined', 'none']).optional(),
    search: z.string().max(200).optional(),
    sort: z.enum(DOCUMENT_SORTS).optional(),
    descending: z.boolean().optional(),
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(500),
  })
  .strict();

/**
 * The IPC contract: one entry per channel with the argument schema the host validates. The Electron main
 * process and the browser bridge both validate every message against it; the preload and the browser
 * client both implement {@link CustodianApi}, so the renderer cannot tell them apart.
 */
export const channels = {
  'app:info': { args: noArgs },
  'intake:start': {
    args: z.tuple([
      z
        .object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000), requestId: z.string().min(1).max(100).nullable(), lane: lane.nullable() })
        .strict(),
    ]),
  },
  'intake:choose-folders': { args: noArgs },
  'run:status': { args: noArgs },
  'batches:list': { args: noArgs },
  'batch:pause': { args: z.tuple([z.object({ batchId }).strict()]) },
  'batch:cancel': { args: z.tuple([z.object({ batchId, reason }).strict()]) },
  'batch:continue': { args: z.tuple([z.object({ batchId }).strict()]) },
  'documents:list': { args: z.tuple([z.object({ batchId: batchId.optional() }).strict()]) },
  'documents:page': { args: z.tuple([documentQuery]) },
  'document:history': { args: z.tuple([z.object({ ref: docRef }).strict()]) },
  'document:text': { args: z.tuple([z.object({ ref: docRef, restrictedReason: reason.optional() }).strict()]) },
  'document:findings': { args: z.tuple([z.object({ ref: docRef }).strict()]) },
  'document:page': {
    args: z.tuple([
      z
        .object({
          ref: docRef,
          pageNo: z.number().int().min(1).max(100_000),
          width: z.number().int().min(100).max(4000).optional(),
          restrictedReason: reason.optional(),
        })
        .strict(),
    ]),
  },
  'search:pages': {
    args: z.tuple([
      z
        .object({
          query: z.string().trim().min(1).max(500),
          requestId: requestId.optional(),
          lane: lane.optional(),
          limit: z.number().int().min(1).max(200).optional(),
          restrictedReason: reason.optional(),
        })
        .strict(),
    ]),
  },
  'review:show': { args: z.tuple([z.object({ ref: docRef }).strict()]) },
  'review:redact': {
    args: z.tuple([
      z
        .object({ ref: docRef, ids: findingIds.optional(), all: z.literal(true).optional(), code: exemptionCode.optional(), reason: reason.optional() })
        .strict()
        .refine((o) => (o.ids === undefined) !== (o.all === undefined), 'finding ids or all, not both'),
    ]),
  },
  'review:release': { args: z.tuple([z.object({ ref: docRef, ids: findingIds, reason }).strict()]) },
  'review:box': {
    args: z.tuple([z.object({ ref: docRef, pageNo, box: z.tuple([pixel, pixel, pixel, pixel]), code: exemptionCode, reason: reason.optional() }).strict()]),
  },
  'review:withhold': { args: z.tuple([z.object({ ref: docRef, pageNo, code: exemptionCode, reason }).strict()]) },
  'review:done': { args: z.tuple([z.object({ ref: docRef }).strict()]) },
  'review:reopen': { args: z.tuple([z.object({ ref: docRef, reason }).strict()]) },
  'quarantine:list': { args: z.tuple([z.object({ all: z.boolean().optional() }).strict()]) },
  'quarantine:retry': { args: z.tuple([z.object({ id: z.number().int().positive() }).strict()]) },
  'quarantine:release': { args: z.tuple([z.object({ id: z.number().int().positive(), reason }).strict()]) },
  'quarantine:retry-many': { args: z.tuple([z.object({ ids: quarantineIds }).strict()]) },
  'quarantine:release-many': { args: z.tuple([z.object({ ids: quarantineIds, reason }).strict()]) },
  'requests:list': { args: noArgs },
  'jurisdictions:list': { args: noArgs },
  'request:add': {
    args: z.tuple([
      z
        .object({ id: z.string().trim().min(1).max(100), jurisdiction: z.string().min(1).max(40), received: isoDate, title: z.string().max(200).optional() })
        .strict(),
    ]),
  },
  'request:toll': { args: z.tuple([z.object({ id: z.string().min(1).max(100), from: isoDate, to: isoDate.optional(), reason }).strict()]) },
  'request:resume': { args: z.tuple([z.object({ id: z.string().min(1).max(100), on: isoDate }).strict()]) },
  'request:extend': { args: z.tuple([z.object({ id: z.string().min(1).max(100), days: z.number().int().min(1).max(365), reason }).strict()]) },
  'request:close': { args: z.tuple([z.object({ id: requestId, on: isoDate }).strict()]) },
  'escalations:list': { args: noArgs },
  'escalation:acknowledge': { args: z.tuple([z.object({ id: requestId, note: reason }).strict()]) },
  'backup:create': {
    args: z.tuple([
      z.object({ mountPoint: z.string().min(1).max(4096), passphrase: z.string().min(12, 'a passphrase of at least 12 characters').max(1024) }).strict(),
    ]),
  },
  'ledger:status': { args: noArgs },
  'ledger:verify': { args: noArgs },
  'drives:list': { args: noArgs },
  'report:export': { args: z.tuple([z.object({ mountPoint: z.string().min(1).max(4096) }).strict()]) },
  'release:export': {
    args: z.tuple([
      z
        .object({
          requestId,
          mountPoint: z.string().min(1).max(4096),
          batesPrefix: z
            .string()
            .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$/u, 'letters, digits, - or _, at most 20')
            .optional(),
        })
        .strict(),
    ]),
  },
} as const;

/** Channel name. */
export type Channel = keyof typeof channels;

/** Validated argument tuple per channel. */
export type ChannelArgs<C extends Channel> = z.infer<(typeof channels)[C]['args']>;
