import { SwitchboardError } from '../shared/errors.js';
import type { Issuer, NewProject, Project } from './project.js';
import {
  checkPresetSecret,
  checkPresetUrl,
  getPreset,
  presetSecretHeaders,
  type ProjectPreset,
} from './presets.js';
import type { ProjectsService } from './projects-service.js';

export interface PresetTokenAdder {
  add(input: {
    project: string;
    value: string;
    kind?: 'bearer' | 'secret-header';
    headerName?: string;
  }): Promise<unknown>;
}

export interface AddFromPresetInput {
  preset: string;
  name: string;
  url: string;
  displayName?: string;
  headers?: Record<string, string>;
  secretHeaders?: string[];
  issuer?: Issuer;
  /** Only when the user chose one explicitly: it must match the preset's. */
  auth?: string;
  /** The preset's secrets in its order, or none to add them later. */
  secrets?: string[];
}

/** What the preset makes of the user's input: its auth and secret headers, its URL check. */
export function presetProjectInput(preset: ProjectPreset, input: AddFromPresetInput): NewProject {
  if (input.auth !== undefined && input.auth !== preset.auth) {
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
    name: input.name,
    url: input.url,
    auth: preset.auth,
    displayName: input.displayName,
    headers: input.headers ?? {},
    secretHeaders: [...new Set([...(input.secretHeaders ?? []), ...presetSecretHeaders(preset)])],
    issuer: input.issuer,
  };
}

/** Checks the secrets against the preset: one per secret it names, each as documented. */
export function checkPresetSecrets(preset: ProjectPreset, values: string[]): void {
  if (values.length !== preset.secrets.length) {
    throw new SwitchboardError(
      'VALIDATION',
      `The ${preset.id} preset takes ${preset.secrets.length} secret(s) (${
        preset.secrets.map((s) => s.label).join(', then ') || 'none'
      }); got ${values.length}.`,
    );
  }
  preset.secrets.forEach((s, i) => checkPresetSecret(preset, s, values[i]!));
}

/** What is left to do after adding (secrets not given yet, issuer steps), one line each. */
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

/**
 * Adds a project from a preset: checks everything first (URL, secrets), then creates the project
 * and puts each secret into the secret store; a failure while storing removes the project again,
 * so nothing half-made stays. Used by `project add --preset` and the window's add flow.
 */
export async function addFromPreset(
  deps: { projects: ProjectsService; tokens: PresetTokenAdder },
  input: AddFromPresetInput,
): Promise<{ project: Project; preset: ProjectPreset; nextSteps: string[] }> {
  const preset = getPreset(input.preset);
  const fields = presetProjectInput(preset, input);
  if (input.secrets) checkPresetSecrets(preset, input.secrets);
  const project = await deps.projects.add(fields);
  if (input.secrets) {
    try {
      for (const [i, secret] of preset.secrets.entries()) {
        const value = input.secrets[i]!;
        await deps.tokens.add(
          secret.kind === 'bearer'
            ? { project: project.id, value, kind: 'bearer' }
            : { project: project.id, value, kind: 'secret-header', headerName: secret.header },
        );
      }
    } catch (error) {
      await deps.projects.remove(project.id).catch(() => undefined);
      throw error;
    }
  }
  return { project, preset, nextSteps: presetNextSteps(preset, project, Boolean(input.secrets)) };
}
