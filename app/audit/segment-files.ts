import path from 'node:path';

/** Segment files live flat in `<dataDir>/audit/` so one directory watch sees them all. */
export function auditDir(dataDir: string): string {
  return path.join(dataDir, 'audit');
}

export const SEGMENT_EXT = '.jsonl';

/** File-name-safe form of an id (session ids come from the bridge, but never trust a path). */
export function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80) || 'x';
}

/**
 * `<start time>_<name>.jsonl`: sorting names sorts segments by start, and the start time lets
 * retention and time-range queries skip whole files.
 */
export function segmentFileName(name: string, start = new Date()): string {
  return `${start.toISOString().replace(/[:.]/g, '-')}_${safeName(name)}${SEGMENT_EXT}`;
}

export function isSegmentFile(name: string): boolean {
  return name.endsWith(SEGMENT_EXT) && !name.startsWith('.');
}
