import type { Command } from 'commander';
import type { Issuer, Project } from '../../projects/project.js';
import { SwitchboardError } from '../../shared/errors.js';
import type { CliContext } from '../main.js';
import { printJson, printTable } from '../output.js';
import { confirm, readSecret } from '../secret-input.js';
import { addFromPreset } from '../../projects/preset-apply.js';
import { getPreset } from '../../projects/presets.js';
import { findProvisioningPreset, PROVISIONING_PRESETS } from '../../provisioning/presets.js';
import { readPresetSecrets, registerPresetCommands } from './project-preset.js';
import { warnIfInsecureStore } from './store-warning.js';
import {
  API_KEY_STDIN_OPTION,
  CONTROL_PLANE_OPTION,
  ENDPOINT_OVERRIDE_OPTION,
  PRESET_OPTION,
  SHARED_URL_OPTION,
  provisionedAddPlan,
  type ProvisionedAddOptions,
} from './provisioned-project.js';

export function registerProjectCommands(program: Command, ctx: CliContext): void {
  const project = program
    .command('project')
    .description('add, list, show, edit and remove projects');

  project
    .command('list')
    .description('list projects')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await ctx.services().projects.list();
      if (opts.json) return printJson(ctx.io, list);
      if (list.length === 0) {
        ctx.io.stdout(
          'No projects yet. Add one: switchboard project add <name> --url <https://…/mcp>\n',
        );
        return;
      }
      printTable(
        ctx.io,
        ['NAME', 'STATUS', 'AUTH', 'URL'],
        list.map((p) => [p.name, p.connected ? 'connected' : 'disconnected', p.auth, p.url]),
      );
    });

  project
    .command('add <name>')
    .description('add a project (a remote MCP endpoint)')
    .option('--url <url>', 'the Streamable HTTP endpoint, e.g. https://mcp.example.com/mcp')
    .option('--auth <kind>', 'none | bearer | oauth | provisioned', 'none')
    .option('--header <header...>', "extra non-secret header 'Name: value' (repeatable)")
    .option('--secret-header <name...>', 'header whose value is kept in the keychain (repeatable)')
    .option('--plain-header-ok', 'store secret-looking --header values in plain text anyway')
    .option('--display-name <title>', 'a friendly name for menus')
    .option('--token-stdin', 'read the bearer token from stdin (implies --auth bearer)')
    .option('--issuer <url>', 'base URL of the token-issuing API (enables token mint)')
    .option('--issuer-project <slug>', 'the server-side project minted tokens are scoped to')
    .option('--oauth-client-id <id>', 'OAuth: a client pre-registered at the authorization server')
    .option('--oauth-client-secret-stdin', 'OAuth: read that client’s secret from stdin')
    .addOption(PRESET_OPTION)
    .addOption(CONTROL_PLANE_OPTION)
    .addOption(SHARED_URL_OPTION)
    .addOption(ENDPOINT_OVERRIDE_OPTION)
    .addOption(API_KEY_STDIN_OPTION)
    .option('--json', 'print JSON')
    .action(async (name: string, opts: AddOptions, cmd: Command) => {
      // One --preset: vendor (per-tenant) presets below, every other id from the project presets.
      if (opts.preset && !findProvisioningPreset(opts.preset))
        return addWithPreset(name, opts, cmd.getOptionValueSource('auth') === 'cli');
      const services = ctx.services();
      // Per-tenant provisioning (--preset / --auth provisioned): see provisioned-project.ts.
      // Joining the project preset registry: ids findProvisioningPreset does not know go there.
      const provisioned = provisionedAddPlan(opts);
      const auth = (provisioned?.auth ??
        (opts.tokenStdin && opts.auth === 'none'
          ? 'bearer'
          : opts.oauthClientId && opts.auth === 'none'
            ? 'oauth'
            : opts.auth)) as Project['auth'];
      checkOAuthFlags(auth, opts);
      const url = provisioned?.url ?? opts.url;
      if (!url) throw new SwitchboardError('VALIDATION', 'project add needs --url <url>.');
      // Read the secret before writing anything, so a bad stdin leaves no half-made project.
      const token =
        opts.tokenStdin || opts.apiKeyStdin
          ? await readSecret(ctx, { fromStdin: true, prompt: '' })
          : undefined;
      const clientSecret = opts.oauthClientSecretStdin
        ? await readSecret(ctx, { fromStdin: true, prompt: '' })
        : undefined;
      const created = await services.projects.add({
        name,
        url,
        auth,
        displayName: opts.displayName,
        headers: parseHeaders(opts.header ?? []),
        secretHeaders: opts.secretHeader ?? [],
        issuer: issuerFrom(opts),
        ...(opts.plainHeaderOk ? { allowPlainSecretHeaders: true } : {}),
        ...(provisioned ? { provisioning: provisioned.provisioning } : {}),
      });
      if (token !== undefined) {
        try {
          await services.tokens.add({
            project: created.id,
            value: token,
            ...(provisioned ? { name: 'api-key' } : {}),
          });
        } catch (error) {
          await services.projects.remove(created.id);
          throw error;
        }
        await warnIfInsecureStore(ctx);
      }
      if (opts.oauthClientId) {
        try {
          await services.oauth.setPreRegisteredClient(created.id, opts.oauthClientId, clientSecret);
        } catch (error) {
          await services.projects.remove(created.id);
          throw error;
        }
      }
      if (opts.json) return printJson(ctx.io, created);
      ctx.io.stdout(`Added project ${created.name} (${created.id}) → ${created.url}\n`);
      if (auth === 'oauth') ctx.io.stdout(`Sign in next: switchboard login ${created.name}\n`);
    });

  /** `project add --preset`: the preset's auth, headers and secrets; secrets read before writing. */
  const addWithPreset = async (name: string, opts: AddOptions, explicitAuth: boolean) => {
    const services = ctx.services();
    const preset = getPreset(
      opts.preset!,
      PROVISIONING_PRESETS.map((p) => p.id),
    );
    if (opts.apiKeyStdin || opts.controlPlane || opts.sharedUrl) {
      throw new SwitchboardError(
        'VALIDATION',
        `The ${preset.id} preset is not a vendor preset: leave out --api-key-stdin, --control-plane and --shared-url (its secrets come with --token-stdin).`,
      );
    }
    if (!opts.url) {
      throw new SwitchboardError(
        'VALIDATION',
        `project add --preset ${preset.id} needs --url <url> (e.g. ${preset.urlPlaceholder}).`,
      );
    }
    const secrets = opts.tokenStdin ? await readPresetSecrets(ctx, preset) : undefined;
    const { project: created, nextSteps } = await addFromPreset(services, {
      preset: preset.id,
      name,
      url: opts.url,
      displayName: opts.displayName,
      headers: parseHeaders(opts.header ?? []),
      secretHeaders: opts.secretHeader ?? [],
      issuer: issuerFrom(opts),
      ...(explicitAuth ? { auth: opts.auth } : {}),
      ...(secrets ? { secrets } : {}),
    });
    if (secrets) await warnIfInsecureStore(ctx);
    if (opts.json) return printJson(ctx.io, created);
    ctx.io.stdout(
      `Added project ${created.name} (${created.id}) → ${created.url} with the ${preset.title} preset\n`,
    );
    if (nextSteps.length) ctx.io.stdout(`Next:\n${nextSteps.map((s) => `  ${s}`).join('\n')}\n`);
  };

  registerPresetCommands(project, ctx);

  project
    .command('edit <name>')
    .description("change a project's URL, headers, display name or issuer")
    .option('--url <url>', 'the Streamable HTTP endpoint')
    .option('--auth <kind>', 'none | bearer | oauth')
    .option('--header <header...>', "replace the extra headers with these 'Name: value' pairs")
    .option('--secret-header <name...>', 'replace the list of secret header names')
    .option('--plain-header-ok', 'store secret-looking --header values in plain text anyway')
    .option('--display-name <title>', 'a friendly name for menus')
    .option('--issuer <url>', 'base URL of the token-issuing API')
    .option('--issuer-project <slug>', 'the server-side project minted tokens are scoped to')
    .option('--oauth-client-id <id>', 'OAuth: use this pre-registered client')
    .option('--oauth-client-secret-stdin', 'OAuth: read that client’s secret from stdin')
    .option('--control-plane <url>', 'the vendor deploy API (provisioned projects)')
    .option('--endpoint-override <url|none>', 'always use this endpoint; none removes the override')
    .option(
      '--audit-full-payloads <on|off>',
      'audit whole (redacted) payloads instead of 2 KB previews',
    )
    .option('--json', 'print JSON')
    .action(async (name: string, opts: Partial<AddOptions> & { auditFullPayloads?: string }) => {
      if (opts.auditFullPayloads !== undefined && !['on', 'off'].includes(opts.auditFullPayloads)) {
        throw new SwitchboardError('VALIDATION', '--audit-full-payloads takes on or off.');
      }
      const current = await ctx.services().projects.get(name);
      const provisioning = editedProvisioning(current, opts);
      const updated = await ctx.services().projects.edit(name, {
        ...(provisioning ? { provisioning } : {}),
        url: opts.url,
        auth: opts.auth as Project['auth'] | undefined,
        displayName: opts.displayName,
        headers: opts.header ? parseHeaders(opts.header) : undefined,
        secretHeaders: opts.secretHeader,
        issuer: issuerFrom(opts),
        auditFullPayloads:
          opts.auditFullPayloads === undefined ? undefined : opts.auditFullPayloads === 'on',
        ...(opts.plainHeaderOk ? { allowPlainSecretHeaders: true } : {}),
      });
      if (opts.oauthClientId) {
        checkOAuthFlags(updated.auth, opts);
        const secret = opts.oauthClientSecretStdin
          ? await readSecret(ctx, { fromStdin: true, prompt: '' })
          : undefined;
        await ctx.services().oauth.setPreRegisteredClient(updated.id, opts.oauthClientId, secret);
      }
      if (opts.json) return printJson(ctx.io, updated);
      ctx.io.stdout(`Updated project ${updated.name}.\n`);
    });

  project
    .command('remove <name>')
    .description('remove a project and delete its tokens from the keychain')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { yes?: boolean; json?: boolean }) => {
      const services = ctx.services();
      const p = await services.projects.get(name);
      await confirm(ctx, `Remove project ${p.name} and delete its tokens?`, opts.yes);
      // OAuth: sign out first (revocation at the server), then forget its client records.
      await services.oauth.purge(p);
      await services.provisioning.forgetProject(p.id);
      await services.consents.forgetProject(p.id, 'full-scope-provisioning');
      const removedTokens = await services.tokens.removeAllFor(p.id);
      await services.projects.remove(p.id);
      if (opts.json) return printJson(ctx.io, { removed: p, removedTokens });
      ctx.io.stdout(`Removed project ${p.name} and ${removedTokens} token(s).\n`);
    });

  for (const [verb, connected] of [
    ['connect', true],
    ['disconnect', false],
  ] as const) {
    program
      .command(`${verb} <name>`)
      .description(
        connected
          ? 'turn the kill switch off: bridges forward again'
          : 'kill switch: every running bridge of the project refuses requests within a second',
      )
      .option('--json', 'print JSON')
      .action(async (name: string, opts: { json?: boolean }) => {
        const p = await ctx.services().projects.setConnected(name, connected);
        if (opts.json) return printJson(ctx.io, p);
        ctx.io.stdout(`${p.name} is ${connected ? 'connected' : 'disconnected'}.\n`);
      });
  }

  project
    .command('show <name>')
    .description('show one project')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const services = ctx.services();
      const p = await services.projects.get(name);
      const endpoint =
        p.auth === 'provisioned' ? await services.provisioning.status(p.id) : undefined;
      if (opts.json) {
        return printJson(ctx.io, {
          ...p,
          ...(endpoint
            ? { endpoint: { kind: endpoint.kind, url: endpoint.url, reason: endpoint.reason } }
            : {}),
        });
      }
      const rows: [string, string][] = [
        ['name', p.name],
        ['id', p.id],
        ['display name', p.displayName],
        ['url', p.url],
        ['auth', p.auth],
        ['status', p.connected ? 'connected' : 'disconnected'],
        ['headers', Object.keys(p.headers).join(', ') || '—'],
        ['secret headers', p.secretHeaders.join(', ') || '—'],
        ['issuer', p.issuer ? `${p.issuer.url} (project ${p.issuer.project})` : '—'],
        ...(endpoint
          ? ([
              ['control plane', endpoint.controlPlane ?? '—'],
              ['endpoint', `${endpoint.reason} → ${endpoint.url}`],
            ] as [string, string][])
          : []),
        ['created', p.createdAt],
        ['updated', p.updatedAt],
      ];
      ctx.io.stdout(rows.map(([k, v]) => `${k.padEnd(15)}${v}`).join('\n') + '\n');
    });
}

function checkOAuthFlags(
  auth: string,
  opts: { oauthClientId?: string; oauthClientSecretStdin?: boolean; tokenStdin?: boolean },
): void {
  if ((opts.oauthClientId || opts.oauthClientSecretStdin) && auth !== 'oauth') {
    throw new SwitchboardError(
      'VALIDATION',
      '--oauth-client-id and --oauth-client-secret-stdin need --auth oauth.',
    );
  }
  if (opts.oauthClientSecretStdin && !opts.oauthClientId) {
    throw new SwitchboardError(
      'VALIDATION',
      '--oauth-client-secret-stdin goes with --oauth-client-id <id>.',
    );
  }
  if (opts.oauthClientSecretStdin && opts.tokenStdin) {
    throw new SwitchboardError(
      'VALIDATION',
      'Only one secret can come from stdin: drop --token-stdin for an OAuth project.',
    );
  }
}

interface AddOptions extends ProvisionedAddOptions {
  oauthClientId?: string;
  oauthClientSecretStdin?: boolean;
  auth: string;
  header?: string[];
  secretHeader?: string[];
  plainHeaderOk?: boolean;
  displayName?: string;
  tokenStdin?: boolean;
  issuer?: string;
  issuerProject?: string;
  preset?: string;
  json?: boolean;
}

/** `project edit --control-plane/--endpoint-override` on a provisioned project. */
function editedProvisioning(
  p: Project,
  opts: { controlPlane?: string; endpointOverride?: string },
): Project['provisioning'] {
  if (opts.controlPlane === undefined && opts.endpointOverride === undefined) return undefined;
  const base =
    p.provisioning ?? (opts.controlPlane ? { controlPlane: opts.controlPlane } : undefined);
  if (!base) {
    throw new SwitchboardError(
      'VALIDATION',
      `${p.name} has no control plane; give one with --control-plane URL.`,
    );
  }
  const next = { ...base, ...(opts.controlPlane ? { controlPlane: opts.controlPlane } : {}) };
  if (opts.endpointOverride === 'none') delete next.endpointOverride;
  else if (opts.endpointOverride) next.endpointOverride = opts.endpointOverride;
  return next;
}

function issuerFrom(opts: { issuer?: string; issuerProject?: string }): Issuer | undefined {
  if (!opts.issuer && !opts.issuerProject) return undefined;
  if (!opts.issuer || !opts.issuerProject) {
    throw new SwitchboardError('VALIDATION', '--issuer and --issuer-project go together.');
  }
  return { kind: 'gateway', url: opts.issuer, project: opts.issuerProject };
}

export function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const raw of values) {
    const i = raw.indexOf(':');
    if (i <= 0) {
      throw new SwitchboardError('VALIDATION', `--header expects 'Name: value', got "${raw}".`);
    }
    headers[raw.slice(0, i).trim()] = raw.slice(i + 1).trim();
  }
  return headers;
}
