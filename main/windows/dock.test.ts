import { describe, expect, it } from 'vitest';
import { syncDock, type Dock } from './dock.js';

function dock(visible: boolean) {
  const calls: string[] = [];
  const d: Dock = {
    show: () => {
      calls.push('show');
      visible = true;
    },
    hide: () => {
      calls.push('hide');
      visible = false;
    },
    isVisible: () => visible,
  };
  return { d, calls };
}
const win = (visible: boolean, destroyed = false) => ({
  isVisible: () => visible,
  isDestroyed: () => destroyed,
});

describe('macOS Dock follows the windows', () => {
  it('hides while no window is open and shows while one is', () => {
    const { d, calls } = dock(true);
    syncDock(d, [win(false)]);
    syncDock(d, []);
    syncDock(d, [win(true, true)]);
    expect(calls).toEqual(['hide']);
    syncDock(d, [win(false), win(true)]);
    syncDock(d, [win(true)]);
    expect(calls).toEqual(['hide', 'show']);
  });

  it('does nothing where there is no Dock', () => {
    expect(() => syncDock(undefined, [win(true)])).not.toThrow();
  });
});
