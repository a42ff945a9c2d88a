import { useId } from 'react';

export const EXPIRY_CHOICES = [
  { value: 'never', label: 'Never' },
  { value: '7d', label: 'In 7 days' },
  { value: '30d', label: 'In 30 days' },
  { value: '90d', label: 'In 90 days' },
];

interface Props {
  value: string;
  onValue: (v: string) => void;
  expires: string;
  onExpires: (v: string) => void;
  autoFocus?: boolean;
}

/** The pasted-token field (never echoed) and its expiry. */
export function TokenValueFields({ value, onValue, expires, onExpires, autoFocus }: Props) {
  const tokenId = useId();
  const expiresId = useId();
  return (
    <>
      <label htmlFor={tokenId}>Token</label>
      <input
        id={tokenId}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={value}
        data-autofocus={autoFocus ? true : undefined}
        onChange={(e) => onValue(e.target.value)}
      />
      <p className="hint">
        Kept in your OS keychain; Switchboard never shows it again or writes it to a client config.
      </p>
      <label htmlFor={expiresId}>Expires</label>
      <select id={expiresId} value={expires} onChange={(e) => onExpires(e.target.value)}>
        {EXPIRY_CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </>
  );
}
