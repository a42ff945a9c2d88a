import { createClient, type SwitchboardClient } from '../../app/contract/desktop-api';

let client: SwitchboardClient | undefined;

/** The renderer's only door to main: window.switchboard with errors thrown as real Errors. */
export function api(): SwitchboardClient {
  if (!client) {
    if (!window.switchboard)
      throw new Error('window.switchboard is missing: the preload did not run.');
    client = createClient(window.switchboard);
  }
  return client;
}
