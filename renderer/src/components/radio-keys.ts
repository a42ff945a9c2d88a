import type { KeyboardEvent } from 'react';

/**
 * Arrow keys in a radio group, as the ARIA pattern has them: Right/Down pick the next option,
 * Left/Up the previous (wrapping), and focus follows the pick. Other keys pass through.
 */
export function onRadioArrow<T>(
  e: KeyboardEvent<HTMLElement>,
  values: readonly T[],
  current: T,
  pick: (value: T) => void,
): void {
  const step =
    e.key === 'ArrowRight' || e.key === 'ArrowDown'
      ? 1
      : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
        ? -1
        : 0;
  if (!step) return;
  e.preventDefault();
  const at = Math.max(0, values.indexOf(current));
  const next = (at + step + values.length) % values.length;
  pick(values[next]!);
  e.currentTarget.querySelectorAll<HTMLElement>('[role="radio"]')[next]?.focus();
}
