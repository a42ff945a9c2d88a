interface Props {
  connected: boolean;
}

/** Status as colour and text and a shape, never colour alone. */
export function StatusBadge({ connected }: Props) {
  return (
    <span className={`badge ${connected ? 'badge-ok' : 'badge-off'}`}>
      <span aria-hidden="true">{connected ? '●' : '○'}</span>{' '}
      {connected ? 'Connected' : 'Disconnected'}
    </span>
  );
}
