import type { AuditRowView } from '../../../app/contract/audit-contract';

/** `14:03:07.123` in local time: the timeline's time column. */
export function clockTime(ts: string): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function isError(row: AuditRowView): boolean {
  return row.status === 'error' || row.kind === 'error' || row.kind === 'dropped';
}

/** What the row is about: the method (and tool), or the lifecycle kind. */
export function summary(row: AuditRowView): string {
  if (row.method) return row.target ? `${row.method} · ${row.target}` : row.method;
  return row.kind.replace(/-/g, ' ');
}

export const DIRECTION_LABEL: Record<AuditRowView['direction'], string> = {
  'client->server': 'client → server',
  'server->client': 'server → client',
  bridge: 'bridge',
};

/** The stored preview, pretty-printed when it is whole JSON; truncated text stays as is. */
export function prettyPreview(preview: string | undefined): string {
  if (preview === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(preview), null, 2);
  } catch {
    return preview;
  }
}
