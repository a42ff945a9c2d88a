import { useActivityStore } from './activity-store';

/** Shown wherever results may be incomplete because the audit index is still being built. */
export function IndexingNotice() {
  const progress = useActivityStore((s) => s.progress);
  if (!progress || progress.ready) return null;
  const percent = Math.floor(progress.percent);
  return (
    <p className="indexing-notice" role="status">
      <progress max={100} value={percent} aria-label="Audit index build" />
      Indexing audit log… {percent} % — figures are incomplete until it finishes.
    </p>
  );
}
