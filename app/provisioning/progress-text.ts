import type { ProvisioningProgress } from './deploy-api.js';

/** One sentence per provisioning step, for the CLI's stderr and the window's progress line. */
export function progressLine(p: ProvisioningProgress): string {
  const secs = `${(p.elapsedMs / 1000).toFixed(1)} s of ${Math.round(p.deadlineMs / 1000)} s`;
  switch (p.stage) {
    case 'secret-lookup':
      return 'Looking up the API key secret in your vendor account…';
    case 'secret-create':
      return 'Storing the API key as a secret in your vendor account…';
    case 'deploy':
      return 'Deploying the per-tenant function…';
    case 'waiting':
      return `Waiting for the function to be ready (check ${p.polls ?? 1}, ${secs})…`;
    case 'ready':
      return 'The per-tenant endpoint is ready.';
  }
}
