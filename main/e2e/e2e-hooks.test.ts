import { describe, expect, it } from 'vitest';
import { maybeRegisterE2eHooks, type E2eHooks } from './e2e-hooks.js';

const hooks: E2eHooks = {
  trayMenu: async () => [],
  trayAction: async () => ({ ok: true }),
};

describe('e2e hooks', () => {
  it('exist only when SWITCHBOARD_E2E=1', () => {
    for (const value of [undefined, '', '0', 'true', 'yes']) {
      const target = {} as typeof globalThis;
      expect(maybeRegisterE2eHooks({ SWITCHBOARD_E2E: value }, hooks, target)).toBe(false);
      expect('__e2e' in target).toBe(false);
    }
    const target = {} as typeof globalThis;
    expect(maybeRegisterE2eHooks({ SWITCHBOARD_E2E: '1' }, hooks, target)).toBe(true);
    expect(target.__e2e).toBe(hooks);
    expect(Object.isFrozen(target.__e2e)).toBe(true);
    expect(Object.keys(target)).toEqual([]); // not enumerable
  });
});
