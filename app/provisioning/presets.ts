/**
 * Vendor presets for per-tenant provisioning: `project add --preset <id>` and the add-project
 * dialog fill the control plane and the shared URL from here. Shaped like any project preset
 * (id, label, what it fills in), so the general registry (app/projects/presets.ts) can take
 * these with one spread.
 */
export interface ProvisioningPreset {
  id: string;
  label: string;
  description: string;
  vendor: string;
  /** The project's url: the vendor's shared hosted MCP endpoint (the fallback). */
  url: string;
  auth: 'provisioned';
  provisioning: { controlPlane: string; vendor: string };
}

export const PROVISIONING_PRESETS: readonly ProvisioningPreset[] = [
  {
    id: 'telnyx',
    label: 'Telnyx (per-tenant MCP endpoint)',
    description:
      'Telnyx MCP with your API key. Optionally deploys a private MCP function in your Telnyx account (asks first).',
    vendor: 'Telnyx',
    url: 'https://api.telnyx.com/v2/mcp',
    auth: 'provisioned',
    provisioning: { controlPlane: 'https://api.telnyx.com', vendor: 'Telnyx' },
  },
];

export function findProvisioningPreset(id: string): ProvisioningPreset | undefined {
  return PROVISIONING_PRESETS.find((p) => p.id === id.toLowerCase());
}
