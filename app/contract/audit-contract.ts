import { z } from 'zod';
import { AuditEventSchema } from '../audit/audit-event.js';
import { AUDIT_PRESETS, type AuditFilter } from '../audit/audit-filter.js';
import { EXPORT_FORMATS } from '../audit/audit-export.js';

/** A stored audit event as the renderer sees it; `ref` addresses it for `audit.pair`. */
export const AuditRowSchema = z.strictObject({ ...AuditEventSchema.shape, ref: z.string() });
export type AuditRowView = z.infer<typeof AuditRowSchema>;

const Ref = z.string().min(3).max(400);

export const AuditFilterSchema = z.strictObject({
  project: z.string().max(200).optional(),
  client: z.string().max(200).optional(),
  session: z.string().max(200).optional(),
  method: z.string().max(200).optional(),
  tool: z.string().max(2000).optional(),
  status: z.enum(['ok', 'error']).optional(),
  text: z.string().max(500).optional(),
  preset: z.enum(AUDIT_PRESETS).optional(),
  since: z.string().max(100).optional(),
  until: z.string().max(100).optional(),
}) satisfies z.ZodType<AuditFilter>;

export const AuditSessionSchema = z.strictObject({
  sessionId: z.string(),
  segment: z.string(),
  start: z.string(),
  end: z.string(),
  events: z.number(),
  errors: z.number(),
  clientVersion: z.string().optional(),
});
export const AuditSessionsTreeSchema = z.array(
  z.strictObject({
    projectId: z.string(),
    projectName: z.string().optional(),
    clients: z.array(z.strictObject({ client: z.string(), sessions: z.array(AuditSessionSchema) })),
  }),
);
export type AuditSessionsTree = z.infer<typeof AuditSessionsTreeSchema>;

const Series = z.strictObject({
  client: z.string(),
  calls: z.array(z.number()),
  errors: z.array(z.number()),
  p50: z.array(z.number().nullable()),
  p95: z.array(z.number().nullable()),
});
export const ActivitySchema = z.strictObject({
  range: z.enum(['1h', '24h', '7d']),
  from: z.number(),
  bucketMs: z.number(),
  total: Series,
  clients: z.array(Series),
});
export type ActivityView = z.infer<typeof ActivitySchema>;
export const SparklinesSchema = z.array(
  z.strictObject({
    projectId: z.string(),
    from: z.number(),
    bucketMs: z.number(),
    calls: z.array(z.number()),
    errors: z.array(z.number()),
  }),
);
export type SparklinesView = z.infer<typeof SparklinesSchema>;
export const IndexProgressSchema = z.strictObject({
  ready: z.boolean(),
  indexedBytes: z.number(),
  totalBytes: z.number(),
  percent: z.number(),
});
export type IndexProgressView = z.infer<typeof IndexProgressSchema>;

export const auditContract = {
  'audit.query': {
    input: z.strictObject({
      filter: AuditFilterSchema.optional(),
      limit: z.number().int().min(1).max(5000).optional(),
      cursor: z.string().max(2000).optional(),
    }),
    output: z.strictObject({
      events: z.array(AuditRowSchema),
      nextCursor: z.string().optional(),
    }),
  },
  'audit.pair': {
    input: z.strictObject({ ref: Ref }),
    output: z.strictObject({
      request: AuditRowSchema.optional(),
      response: AuditRowSchema.optional(),
    }),
  },
  'audit.sessions': { input: z.undefined(), output: AuditSessionsTreeSchema },
  'audit.export': {
    input: z.strictObject({
      filter: AuditFilterSchema.optional(),
      format: z.enum(EXPORT_FORMATS),
    }),
    output: z.strictObject({ path: z.string(), count: z.number() }),
  },
  /** Calls, errors and p50/p95 latency over 1 h / 24 h / 7 d, in total and per client. */
  'audit.activity': {
    input: z.strictObject({
      range: z.enum(['1h', '24h', '7d']),
      project: z.string().max(200).optional(),
    }),
    output: ActivitySchema,
  },
  /** Calls and errors per minute over the last hour, per project. */
  'audit.sparklines': { input: z.undefined(), output: SparklinesSchema },
  /** How far the audit index build is (results before 100 % are incomplete). */
  'audit.progress': { input: z.undefined(), output: IndexProgressSchema },
} as const;

export const auditEvents = {
  /** Newly stored events, oldest first, batched by main (at most ~20 pushes a second). */
  'audit.appended': z.array(AuditRowSchema),
  /** The index build's progress, while it runs and once when it completes. */
  'audit.progress': IndexProgressSchema,
} as const;
