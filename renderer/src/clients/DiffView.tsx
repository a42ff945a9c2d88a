/** A unified diff, line by line: +/- signs and colour, never colour alone. */
export function DiffView({ diff, label }: { diff: string; label: string }) {
  const lines = diff.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === ''));
  return (
    <pre className="diff" aria-label={label} tabIndex={0}>
      {lines.map((line, i) => {
        const cls =
          line.startsWith('+++') ||
          line.startsWith('---') ||
          line.startsWith('@@') ||
          line.startsWith('=')
            ? 'diff-meta'
            : line.startsWith('+')
              ? 'diff-add'
              : line.startsWith('-')
                ? 'diff-del'
                : undefined;
        return (
          <div key={i} className={cls}>
            {line || ' '}
          </div>
        );
      })}
    </pre>
  );
}
