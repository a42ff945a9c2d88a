/** "in 3 days", "2 min ago": humane relative times for the CLI and the UI (exact value on hover). */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const diff = t - now;
  const abs = Math.abs(diff);
  const units: [number, string][] = [
    [365 * 86_400_000, 'year'],
    [30 * 86_400_000, 'month'],
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'min'],
  ];
  for (const [ms, name] of units) {
    if (abs >= ms) {
      const n = Math.floor(abs / ms);
      const label = name === 'min' ? 'min' : n === 1 ? name : `${name}s`;
      return diff >= 0 ? `in ${n} ${label}` : `${n} ${label} ago`;
    }
  }
  return diff >= 0 ? 'in under a minute' : 'just now';
}
