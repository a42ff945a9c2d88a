import { Option } from 'commander';
import type { ProvisioningSettings } from '../../projects/project.js';
import { findProvisioningPreset, PROVISIONING_PRESETS } from '../../provisioning/presets.js';
import { SwitchboardError } from '../../shared/errors.js';

/** The per-tenant options of `project add` (CLI.md: --preset, --auth provisioned, …). */
export interface ProvisionedAddOptions {
  url?: string;
  auth: string;
  preset?: string;
  controlPlane?: string;
  sharedUrl?: string;
  endpointOverride?: string;
  apiKeyStdin?: boolean;
}

// The per-tenant options of `project add`, as Option objects so the command adds them in one
// line each.
export const PRESET_OPTION = new Option(
  '--preset <vendor>',
  `a vendor preset: ${PROVISIONING_PRESETS.map((p) => p.id).join(', ')}`,
);
export const CONTROL_PLANE_OPTION = new Option(
  '--control-plane <url>',
  'the vendor deploy API for per-tenant endpoints (--auth provisioned)',
);
export const SHARED_URL_OPTION = new Option(
  '--shared-url <url>',
  'the vendor shared MCP endpoint, used without a per-tenant one',
);
export const ENDPOINT_OVERRIDE_OPTION = new Option(
  '--endpoint-override <url>',
  'always use this endpoint (wins over per-tenant and shared)',
);
export const API_KEY_STDIN_OPTION = new Option(
  '--api-key-stdin',
  'read the full-scope API key from stdin (provisioned projects)',
);

/**
 * Where a new project points and how it authenticates, from a preset or the explicit flags.
 * Never contacts the control plane: provisioning happens only after consent.
 */
export function provisionedAddPlan(
  opts: ProvisionedAddOptions,
): { url: string; auth: 'provisioned'; provisioning: ProvisioningSettings } | undefined {
  const preset = opts.preset ? findProvisioningPreset(opts.preset) : undefined;
  if (opts.preset && !preset) {
    throw new SwitchboardError(
      'VALIDATION',
      `Unknown preset "${opts.preset}"; known presets: ${PROVISIONING_PRESETS.map((p) => p.id).join(', ')}.`,
    );
  }
  const explicit = opts.auth === 'provisioned' || opts.controlPlane || opts.sharedUrl;
  if (!preset && !explicit) {
    if (opts.apiKeyStdin) {
      throw new SwitchboardError(
        'VALIDATION',
        '--api-key-stdin is for --preset or --auth provisioned; use --token-stdin otherwise.',
      );
    }
    return undefined;
  }
  if (!opts.apiKeyStdin) {
    throw new SwitchboardError(
      'VALIDATION',
      'A provisioned project needs its API key: pipe it in with --api-key-stdin.',
    );
  }
  const controlPlane = opts.controlPlane ?? preset?.provisioning.controlPlane;
  const url = opts.sharedUrl ?? opts.url ?? preset?.url;
  if (!controlPlane || !url) {
    throw new SwitchboardError(
      'VALIDATION',
      '--auth provisioned needs --control-plane URL and --shared-url URL (or use --preset).',
    );
  }
  const vendor = preset?.vendor;
  return {
    url,
    auth: 'provisioned',
    provisioning: {
      controlPlane,
      ...(vendor ? { vendor } : {}),
      ...(opts.endpointOverride ? { endpointOverride: opts.endpointOverride } : {}),
    },
  };
}
