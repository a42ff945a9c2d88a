import type { Command } from 'commander';
import { listPresets, presetView, type ProjectPreset } from '../../projects/presets.js';
import { PROVISIONING_PRESETS } from '../../provisioning/presets.js';
import { SwitchboardError } from '../../shared/errors.js';
import type { CliContext } from '../main.js';
import { printJson, printTable } from '../output.js';
import { readSecret } from '../secret-input.js';

/** `project presets`: the shapes `project add --preset` knows. */
export function registerPresetCommands(project: Command, ctx: CliContext): void {
  project
    .command('presets')
    .description('list the presets project add --preset knows (tunnels, gateways, vendors)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const list = listPresets().map(presetView);
      // Vendor presets (per-tenant endpoints) live in app/provisioning; one --preset takes both.
      const vendors = PROVISIONING_PRESETS.map((p) => ({
        id: p.id,
        title: p.label,
        summary: p.description,
        group: 'vendor' as const,
        auth: p.auth,
        apiKeyStdin: true,
      }));
      if (opts.json) return printJson(ctx.io, [...list, ...vendors]);
      printTable(
        ctx.io,
        ['PRESET', 'WHAT', 'SECRETS'],
        [
          ...list.map((p) => [
            p.id,
            p.summary,
            p.secrets.map((s) => (s.kind === 'bearer' ? 'bearer token' : s.header)).join(', ') ||
              '—',
          ]),
          ...vendors.map((v) => [v.id, v.summary, 'API key (--api-key-stdin)']),
        ],
      );
    });
}

/** The preset's secrets from stdin, one per line in the preset's order (read before writing). */
export async function readPresetSecrets(ctx: CliContext, preset: ProjectPreset): Promise<string[]> {
  if (preset.secrets.length === 0) {
    throw new SwitchboardError(
      'VALIDATION',
      `The ${preset.id} preset takes no secret on stdin; leave --token-stdin out.`,
    );
  }
  const text = await readSecret(ctx, { fromStdin: true, prompt: '' });
  return text.split(/\r?\n/).map((l) => l.trim());
}
