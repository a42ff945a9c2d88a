import { relativeTime } from '../../../app/shared/humanize';

/** A humane time with the exact one on hover. */
export function TimeAgo({
  iso,
  never = 'never',
}: {
  iso: string | null | undefined;
  never?: string;
}) {
  if (!iso) return <span>{never}</span>;
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relativeTime(iso)}
    </time>
  );
}
