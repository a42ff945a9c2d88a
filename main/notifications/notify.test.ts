import { describe, expect, it, vi } from 'vitest';

// Electron cannot run here (no binary): Notification records what it would show.
const shown: { title: string; body: string }[] = [];
const clickHandlers: (() => void)[] = [];
let supported = true;
vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => supported;
    constructor(private readonly opts: { title: string; body: string }) {}
    on(_event: 'click', fn: () => void) {
      clickHandlers.push(fn);
    }
    show() {
      shown.push(this.opts);
    }
  },
}));

const { showNotification } = await import('./notify.js');

describe('main-process notifications', () => {
  it('shows title and body, redacted, and wires the click', () => {
    const onClick = vi.fn();
    expect(
      showNotification(
        { title: 'Sign-in failed', body: 'Acme answered 401 for Bearer abcdefghijklmnopqrst.' },
        onClick,
      ),
    ).toBe(true);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('Sign-in failed');
    expect(shown[0]!.body).toContain('Acme answered 401 for Bearer [REDACTED]');
    expect(shown[0]!.body).not.toContain('abcdefghijklmnopqrst');
    clickHandlers[0]!();
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('says so when the OS has no notifications', () => {
    supported = false;
    expect(showNotification({ title: 't', body: 'b' })).toBe(false);
    expect(shown).toHaveLength(1);
  });
});
