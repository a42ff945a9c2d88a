import type { TrayItem } from '../../app/tray/tray-model.js';
import type { TrayActionResult } from '../../app/tray/run-tray-action.js';

/**
 * Test-only hooks for the `electron` e2e target: Playwright cannot click native menus, so specs
 * call these through `electronApp.evaluate(() => globalThis.__e2e…)`. Registered only when
 * SWITCHBOARD_E2E=1; a normal launch has no such global.
 */
export interface E2eHooks {
  trayMenu(): Promise<TrayItem[]>;
  trayAction(id: string): Promise<TrayActionResult>;
}

declare global {
  var __e2e: E2eHooks | undefined;
}

export function maybeRegisterE2eHooks(
  env: NodeJS.ProcessEnv,
  hooks: E2eHooks,
  target: typeof globalThis = globalThis,
): boolean {
  if (env.SWITCHBOARD_E2E !== '1') return false;
  Object.defineProperty(target, '__e2e', { value: Object.freeze(hooks), configurable: true });
  return true;
}
