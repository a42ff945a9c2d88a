import type { Command } from 'commander';
import type { NewProject, Project } from '../../projects/project.js';
import {
  checkPresetSecret,
  checkPresetUrl,
  getPreset,
  listPresets,
  presetSecretHeaders,
  type ProjectPreset,
} from '../../projects/presets.js';
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
      const list = listPresets().map((p) => ({
        id: p.id,
        title: p.title,
        summary: p.summary,
        group: p.group,
        auth: p.auth,
        secrets: p.secrets.map((s) => (s.kind === 'bearer' ? 'bearer token' : s.header)),
        healthz: p.healthz === true,
      }));
      if (opts.json) return printJson(ctx.io, list);
      printTable(
        ctx.io,
        ['PRESET', 'WHAT', 'SECRETS'],
        list.map((p) => [p.id, p.summary, p.secrets.join(', ') || '—']),
      );
    });
}

/**
 * Applies a preset to `project add`: its auth and secret headers, its URL check, and (with
 * --token-stdin) its secrets from stdin, one per line in the preset's order.
 */
export function presetProjectInput(
  preset: ProjectPreset,
  input: NewProject & { auth: string },
  explicitAuth: boolean,
): NewProject {
  if (explicitAuth && input.auth !== preset.auth) {
    throw new SwitchboardError(
      'VALIDATION',
      `The ${preset.id} preset uses --auth ${preset.auth}; leave --auth out.`,
    );
  }
  checkPresetUrl(preset, input.url);
  if (preset.needsIssuer && !input.issuer) {
    throw new SwitchboardError(
      'VALIDATION',
      `The ${preset.id} preset needs the issuing API: add --issuer <url> --issuer-project <slug>.`,
    );
  }
  return {
    ...input,
    auth: preset.auth,
    secretHeaders: [...new Set([...(input.secretHeaders ?? []), ...presetSecretHeaders(preset)])],
  };
}

/** Reads the preset's secrets from stdin (before anything is written) and checks each. */
export async function readPresetSecrets(ctx: CliContext, preset: ProjectPreset): Promise<string[]> {
  if (preset.secrets.length === 0) {
    throw new SwitchboardError(
      'VALIDATION',
      `The ${preset.id} preset takes no secret on stdin; leave --token-stdin out.`,
    );
  }
  const lines = (await readSecret(ctx, { fromStdin: true, prompt: '' }))
    .split(/\r?\n/)
    .map((l) => l.trim());
  if (lines.length !== preset.secrets.length) {
    throw new SwitchboardError(
      'VALIDATION',
      `The ${preset.id} preset reads ${preset.secrets.length} line(s) from stdin (${preset.secrets
        .map((s) => s.label)
        .join(', then ')}); got ${lines.length}.`,
    );
  }
  preset.secrets.forEach((s, i) => checkPresetSecret(preset, s, lines[i]!));
  return lines;
}

export interface TokenAdderLike {
  add(input: {
    project: string;
    value: string;
    kind?: 'bearer' | 'secret-header';
    headerName?: string;
  }): Promise<unknown>;
}

/** Stores each secret where the preset says (bearer or secret header), all in the keychain. */
export async function storePresetSecrets(
  tokens: TokenAdderLike,
  preset: ProjectPreset,
  project: Project,
  values: string[],
): Promise<void> {
  for (const [i, secret] of preset.secrets.entries()) {
    await tokens.add(
      secret.kind === 'bearer'
        ? { project: project.id, value: values[i]!, kind: 'bearer' }
        : {
            project: project.id,
            value: values[i]!,
            kind: 'secret-header',
            headerName: secret.header,
          },
    );
  }
}

/** What is left to do after `project add --preset` (secrets not given, issuer steps). */
export function presetNextSteps(
  preset: ProjectPreset,
  project: Project,
  stored: boolean,
): string[] {
  const steps: string[] = [];
  if (!stored) {
    for (const s of preset.secrets) {
      steps.push(
        s.kind === 'bearer'
          ? `switchboard token add ${project.name} --token-stdin   # ${s.label}`
          : `switchboard token add ${project.name} --kind secret-header --header ${s.header} --token-stdin   # ${s.label}`,
      );
    }
  }
  steps.push(...(preset.nextSteps?.(project.name) ?? []));
  return steps;
}

export { getPreset };
