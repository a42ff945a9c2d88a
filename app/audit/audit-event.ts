import { z } from 'zod';
import { AUDIT_EVENT_VERSION } from '../shared/file-versions.js';

/**
 * One audit event: an MCP message that crossed a bridge, or a lifecycle event. Shared by the
 * bridge (writer side), the audit store (reader side), the CLI and the UI. Never holds a secret:
 * tokens appear only as their fingerprint, payloads only as a redacted, truncated preview.
 */
export { AUDIT_EVENT_VERSION };

export const AuditDirectionSchema = z.enum(['client->server', 'server->client', 'bridge']);
export const AuditKindSchema = z.enum([
  'request',
  'response',
  'notification',
  'error',
  // Lifecycle
  'session-start',
  'session-end',
  'connect',
  'disconnect',
  'token-rotated',
  'token-revoked',
  'consent-given',
  'consent-withdrawn',
  'config-installed',
  'config-removed',
  // Written by the segment writer itself when its bounded buffer had to drop events.
  'dropped',
]);

export const AuditEventSchema = z.object({
  v: z.literal(AUDIT_EVENT_VERSION),
  /** ISO time. */
  ts: z.string(),
  /** Monotonic within a segment: orders events written in the same millisecond. */
  seq: z.number().int().nonnegative(),
  projectId: z.string(),
  projectName: z.string().optional(),
  /** Bridge session id (one segment file per bridge session); absent for app/CLI lifecycle events. */
  sessionId: z.string().optional(),
  client: z.object({ name: z.string(), version: z.string().optional() }).optional(),
  direction: AuditDirectionSchema,
  kind: AuditKindSchema,
  method: z.string().optional(),
  /** JSON-RPC id as a string (ids may be numbers or strings on the wire). */
  id: z.string().optional(),
  /** tools/call → tool name; resources/read → uri; prompts/get → prompt name. */
  target: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  status: z.enum(['ok', 'error']).optional(),
  errorCode: z.number().int().optional(),
  errorMessage: z.string().optional(),
  bytes: z.number().int().nonnegative().optional(),
  tokenFingerprint: z.string().optional(),
  /** Redacted, truncated JSON text (default 2 KB). */
  preview: z.string().optional(),
  truncated: z.boolean().optional(),
  /** Free-form non-secret details of lifecycle events (client id, config path, …). */
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/**
 * What a writer hands to `AuditSink.write`. `payload` (optional) is the raw JSON-RPC message:
 * the sink turns it into the redacted, truncated `preview` so callers never build previews
 * themselves (and cannot forget to redact).
 */
export type AuditWriteInput = Omit<AuditEvent, 'v' | 'seq' | 'ts'> & {
  ts?: string;
  payload?: unknown;
  /**
   * The JSON text `payload` arrived as, when the caller has it (the bridge's wire text): the
   * preview is then cut from it instead of serialising the payload again. Never stored.
   */
  payloadText?: string;
};

/** Where writers put events. Implementations buffer and never block the caller. */
export interface AuditSink {
  write(event: AuditWriteInput): void;
  /** Flushes buffered events to disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
