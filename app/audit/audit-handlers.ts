import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditRowSchema, type AuditRowView } from '../contract/audit-contract.js';
import type { Handlers } from '../contract/dispatch.js';
import type { Services } from '../services.js';

type AuditChannel =
  | 'audit.query'
  | 'audit.pair'
  | 'audit.sessions'
  | 'audit.export'
  | 'audit.activity'
  | 'audit.sparklines'
  | 'audit.progress';

/**
 * Where a window's export goes: the user's Downloads folder when there is one, else
 * `<dataDir>/exports`. The file name carries the time, so an export never replaces another.
 */
export function exportPath(services: Services, format: 'jsonl' | 'csv', now = new Date()): string {
  const downloads = path.join(services.env.HOME || os.homedir(), 'Downloads');
  const dir = fs.existsSync(downloads) ? downloads : path.join(services.dataDir, 'exports');
  return path.join(dir, `switchboard-audit-${now.toISOString().replace(/[:.]/g, '-')}.${format}`);
}

const ROW_KEYS = Object.keys(AuditRowSchema.shape);

/**
 * Rows as the strict contract wants them: only known fields. A line that still does not fit
 * (hand-edited, or from a newer version) is left out rather than failing the whole page.
 */
export function toViews(rows: readonly object[]): AuditRowView[] {
  const out: AuditRowView[] = [];
  for (const row of rows) {
    const picked: Record<string, unknown> = {};
    for (const k of ROW_KEYS) {
      const v = (row as Record<string, unknown>)[k];
      if (v !== undefined) picked[k] = v;
    }
    const parsed = AuditRowSchema.safeParse(picked);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** The audit channels of the IPC table (spread into `createHandlers`). */
export function auditHandlers(services: Services): Pick<Handlers, AuditChannel> {
  const { audit } = services;
  return {
    'audit.query': async ({ filter, limit, cursor }) => {
      const page = await audit.query(filter ?? {}, { limit, cursor });
      const events = toViews(page.events);
      return page.nextCursor ? { events, nextCursor: page.nextCursor } : { events };
    },
    'audit.pair': async ({ ref }) => {
      const { request, response } = await audit.pair(ref);
      const [req] = request ? toViews([request]) : [];
      const [res] = response ? toViews([response]) : [];
      return { ...(req ? { request: req } : {}), ...(res ? { response: res } : {}) };
    },
    'audit.sessions': () => audit.sessions(),
    'audit.export': async ({ filter, format }) => {
      const file = exportPath(services, format);
      const count = await audit.exportToFile(filter ?? {}, format, file);
      return { path: file, count };
    },
    'audit.activity': ({ range, project }) =>
      audit.activity({ range, ...(project ? { project } : {}) }),
    'audit.sparklines': () => audit.sparklines(),
    'audit.progress': () => audit.progress(),
  };
}
