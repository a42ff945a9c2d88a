import type { AuditEvent } from './audit-event.js';

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_COLUMNS = [
  'ts',
  'project',
  'projectId',
  'session',
  'client',
  'direction',
  'kind',
  'method',
  'id',
  'target',
  'status',
  'errorCode',
  'errorMessage',
  'durationMs',
  'bytes',
  'tokenFingerprint',
  'preview',
] as const;

/** RFC 4180 quoting, plus a leading `'` on cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = typeof value === 'string' ? value : String(value as number);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

export function csvRow(e: AuditEvent): string {
  const cells: unknown[] = [
    e.ts,
    e.projectName ?? '',
    e.projectId,
    e.sessionId,
    e.client ? `${e.client.name}${e.client.version ? ` ${e.client.version}` : ''}` : '',
    e.direction,
    e.kind,
    e.method,
    e.id,
    e.target,
    e.status,
    e.errorCode,
    e.errorMessage,
    e.durationMs,
    e.bytes,
    e.tokenFingerprint,
    e.preview,
  ];
  return cells.map(csvCell).join(',') + '\r\n';
}
