import type { Command } from 'commander';
import type { ChangePlan, ChangeResult, Target } from '../../clients/clients-service.js';
import { ENTRY_FIXES, type Finding } from '../../clients/doctor.js';
import type { McpRemoteImportResult } from '../../clients/mcp-remote-import.js';
import { CLIENT_DEFS } from '../../clients/defs/index.js';
import { clientLocations } from '../../clients/locations.js';
import { CLIENT_IDS, isClientId, SCOPES, type Scope } from '../../clients/types.js';
import {
  findUrlCredentials,
  moveQuerySecrets,
  type UrlCredentialFinding,
} from '../../projects/url-credentials.js';
import { SwitchboardError } from '../../shared/errors.js';
import { redactSecrets } from '../../shared/redact.js';
import type { CliContext } from '../main.js';
import { printJson, printTable } from '../output.js';
import { confirm } from '../secret-input.js';
import { consentText } from './oauth.js';

interface ChangeOptions {
  scope?: string;
  dir?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** Findings that mean something is wrong (doctor exits 1); the rest are suggestions. */
const PROBLEMS = new Set<Finding['kind']>([
  'plaintext-secret',
  'missing-executable',
  'deleted-project',
  'unreadable-config',
  'plaintext-oauth-tokens',
]);

export function registerClientCommands(program: Command, ctx: CliContext): void {
  program
    .command('clients')
    .description('detected MCP clients, their config paths and installed projects')
    .option('--json', 'print JSON')
    .option(
      '--os <platform>',
      'instead: where every client keeps its config on another OS (darwin, win32, linux)',
    )
    .action(async (opts: { json?: boolean; os?: string }) => {
      if (opts.os !== undefined) return printOtherOs(ctx, opts.os, Boolean(opts.json));
      const list = await ctx.services().clients.list();
      if (opts.json) return printJson(ctx.io, list);
      printTable(
        ctx.io,
        ['CLIENT', 'DETECTED', 'INSTALLED', 'CONFIG'],
        list.map((c) => {
          const cfg = c.configs[0]!;
          const installed = cfg.error
            ? 'unreadable (run switchboard doctor)'
            : cfg.installed.map((i) => i.projectName ?? `${i.name} (deleted project)`).join(', ') ||
              '—';
          return [c.id, c.detected ? 'yes' : 'no', installed, cfg.path];
        }),
      );
    });

  const change = (name: 'install' | 'uninstall', description: string) =>
    program
      .command(`${name} <client> <project>`)
      .description(description)
      .option(
        '--scope <scope>',
        'user | project | local (Claude Code: this project, only you)',
        'user',
      )
      .option(
        '--dir <path>',
        'project directory for --scope project/local (default: current directory)',
      )
      .option('--dry-run', 'print the change as a diff and write nothing')
      .option('--yes', 'do not ask for confirmation')
      .option('--json', 'print JSON')
      .action(async (client: string, project: string, opts: ChangeOptions) => {
        const target = parseTarget(client, opts);
        const svc = ctx.services().clients;
        const plan =
          name === 'install'
            ? await svc.planInstall(target, project)
            : await svc.planUninstall(target, project);
        if (opts.dryRun || !plan.changed) return report(ctx, plan, opts, undefined);
        if (!opts.json) ctx.io.stdout(plan.diff);
        await confirm(
          ctx,
          `${name === 'install' ? 'Write' : 'Remove'} the "${plan.entryName}" entry ${name === 'install' ? 'to' : 'from'} ${plan.path}?`,
          opts.yes,
        );
        const result =
          name === 'install'
            ? await svc.install(target, project, { expectSha256: plan.beforeSha256 })
            : await svc.uninstall(target, project, { expectSha256: plan.beforeSha256 });
        report(ctx, result, opts, result);
      });
  change('install', 'add a project to an MCP client (the entry runs the Switchboard bridge)');
  change('uninstall', "remove a project's Switchboard entry from an MCP client");

  program
    .command('doctor')
    .description('scan client configs for plaintext secrets, broken entries and manageable servers')
    .option('--json', 'print JSON')
    .option('--fix', 'fix what can be fixed (each change previewed and confirmed)')
    .option('--yes', 'do not ask for confirmation (not the OAuth consent of an import: --consent)')
    .option(
      '--consent',
      'agree to importing mcp-remote’s OAuth grants without a prompt (the sign-in consent)',
    )
    .option(
      '--delete-imported-plaintext',
      'delete mcp-remote’s plaintext token files once their grant is imported and verified',
    )
    .action(async (opts: DoctorOptions) => {
      const services = ctx.services();
      const doctor = services.doctor;
      // An import interrupted before its check call finished is rolled back first.
      const rolledBack = await services.mcpRemoteImport.rollBackInterrupted();
      for (const line of rolledBack) {
        if (opts.json) ctx.io.stderr(`${line}\n`);
        else ctx.io.stdout(`${line}\n`);
      }
      const findings = await doctor.findings();
      // Switchboard's own projects: credentials in a URL stored before they were refused.
      const urlFindings = findUrlCredentials(await services.projects.list());
      if (!opts.fix) {
        if (opts.json) printJson(ctx.io, [...findings, ...urlFindings]);
        else {
          printFindings(ctx, findings);
          printUrlFindings(ctx, urlFindings);
        }
        if (findings.some((f) => PROBLEMS.has(f.kind)) || urlFindings.length) ctx.exitCode = 1;
        return;
      }
      // One fix per entry: several findings can point at the same entry.
      const seen = new Set<string>();
      const fixable = findings.filter((f) => {
        const key = `${f.client}|${f.path}|${f.entry}`;
        if (!f.fix || !ENTRY_FIXES.includes(f.fix) || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const results: (ChangeResult & { newProject?: string; signIn?: boolean })[] = [];
      for (const f of fixable) {
        const plan = await doctor.planFix(f.id);
        if (!opts.json) {
          ctx.io.stdout(`\n${f.clientName}: ${f.message}\n`);
          if (plan.newProject && plan.signIn)
            ctx.io.stdout(`→ new OAuth project "${plan.newProject}"; it needs one sign-in\n`);
          else if (plan.newProject)
            ctx.io.stdout(`→ new project "${plan.newProject}"; secrets go to the keychain\n`);
          ctx.io.stdout(plan.diff);
        }
        await confirm(ctx, `Apply this fix to ${f.path}?`, opts.yes);
        const result = await doctor.fix(f.id);
        results.push(result);
        if (!opts.json) {
          ctx.io.stdout(doneLine(result));
          if (result.signIn && result.newProject)
            ctx.io.stdout(`Sign in to finish: switchboard login ${result.newProject}\n`);
        }
      }
      const moved: { project: string; params: string[] }[] = [];
      for (const f of urlFindings.filter((u) => u.fix === 'move-to-keychain')) {
        if (!opts.json) {
          ctx.io.stdout(`\nSwitchboard: ${f.message}\n`);
          ctx.io.stdout(`→ ${f.params.join(', ')} become query-secret tokens in the keychain\n`);
        }
        await confirm(ctx, `Move the secret out of project ${f.project}'s URL?`, opts.yes);
        const params = await moveQuerySecrets(
          await services.projects.get(f.project),
          services.tokens,
        );
        moved.push({ project: f.project, params });
        if (!opts.json) {
          ctx.io.stdout(
            `Moved ${params.join(', ')} of project ${f.project} into the keychain; the stored URL no longer holds ${params.length === 1 ? 'it' : 'them'}.\n`,
          );
        }
      }
      const migrated = await importMcpRemoteGrants(ctx, opts);
      const remaining = await doctor.findings();
      const remainingUrl = findUrlCredentials(await services.projects.list());
      if (opts.json) {
        printJson(ctx.io, {
          fixed: results,
          moved,
          ...migrated,
          rolledBack,
          remaining: [...remaining, ...remainingUrl],
        });
      } else {
        if (fixable.length === 0 && moved.length === 0 && !migrated.acted && !rolledBack.length) {
          ctx.io.stdout('Nothing that Switchboard can fix by itself.\n');
        }
        if (remaining.length || remainingUrl.length) {
          ctx.io.stdout('\nStill to look at:\n');
          if (remaining.length) printFindings(ctx, remaining);
          printUrlFindings(ctx, remainingUrl);
        }
      }
      if (remaining.some((f) => PROBLEMS.has(f.kind)) || remainingUrl.length) ctx.exitCode = 1;
    });
}

interface DoctorOptions {
  json?: boolean;
  fix?: boolean;
  yes?: boolean;
  consent?: boolean;
  deleteImportedPlaintext?: boolean;
}

/**
 * doctor --fix, last step: mcp-remote's still-valid grants go into the keychain of their OAuth
 * project (sign-in consent first; verified by a call), then — only with its own yes — the
 * plaintext files of imported grants are deleted. A declined or failed import is one line.
 */
async function importMcpRemoteGrants(
  ctx: CliContext,
  opts: DoctorOptions,
): Promise<{
  imported: McpRemoteImportResult[];
  notImported: { path: string; reason: string }[];
  deleted: string[];
  acted: boolean;
}> {
  const services = ctx.services();
  const say = (line: string) => {
    if (!opts.json) ctx.io.stdout(line);
  };
  const imported: McpRemoteImportResult[] = [];
  const notImported: { path: string; reason: string }[] = [];
  const importable = (await services.doctor.findings()).filter((f) => f.fix === 'import-grant');
  for (const f of importable) {
    say(`
${f.clientName}: ${f.message}
`);
    try {
      const result = await services.mcpRemoteImport.import(f.id, {
        source: 'cli',
        confirm: async (p) => {
          ctx.io.stderr(consentText(p.consent));
          if (p.accessOnly) ctx.io.stderr(`${p.accessOnly}\n`);
          // The same consent as a sign-in (switchboard login): --consent, never --yes.
          if (opts.consent) return true;
          if (!ctx.stdin.isTTY) return false;
          return confirm(ctx, 'Import this grant into the keychain?', false).then(
            () => true,
            () => false,
          );
        },
      });
      imported.push(result);
      say(
        `Imported mcp-remote's grant into project ${result.project} (keychain) and verified it with a call (${result.tools} tools${result.refreshed ? '; the expired access token was refreshed' : ''}).
`,
      );
      if (result.accessOnly) say(`${result.accessOnly}\n`);
    } catch (error) {
      // One grant's failure (server down, file gone, keychain) is one line; the rest carry on.
      if (!(error instanceof SwitchboardError)) throw error;
      const noConsent = error.code === 'REFUSED' && /no consent/.test(error.message);
      const reason = redactSecrets(
        noConsent && opts.yes && !opts.consent
          ? `${error.message} --yes does not consent to an import; to import, pass --consent (the consent of a sign-in).`
          : noConsent && !ctx.stdin.isTTY
            ? `${error.message} Without a terminal, pass --consent.`
            : error.message,
      );
      notImported.push({ path: f.path, reason });
      say(`${reason}
`);
    }
  }
  const deleted: string[] = [];
  const deletable = (await services.doctor.findings()).filter((f) => f.fix === 'delete-plaintext');
  for (const f of deletable) {
    const files = `mcp-remote's plaintext files for ${f.grant?.project ?? 'this server'}`;
    const agreed =
      opts.deleteImportedPlaintext === true ||
      (ctx.stdin.isTTY === true &&
        !opts.json &&
        (await confirm(ctx, `Delete ${files} (${f.path} and its client info)?`, false).then(
          () => true,
          () => false,
        )));
    if (!agreed) {
      say(
        `Kept ${f.path}: delete it later with switchboard doctor --fix --delete-imported-plaintext (mcp-remote itself would sign in again without it).
`,
      );
      continue;
    }
    const result = await services.mcpRemoteImport.deletePlaintext(f.id);
    deleted.push(...result.deleted);
    say(`Deleted ${result.deleted.join(', ')}.
`);
  }
  return {
    imported,
    notImported,
    deleted,
    acted: importable.length > 0 || deletable.length > 0,
  };
}

/** `clients --os X`: each client's config paths on another OS, for a home written `~`. */
function printOtherOs(ctx: CliContext, os: string, json: boolean): void {
  if (os !== 'darwin' && os !== 'win32' && os !== 'linux') {
    throw new SwitchboardError('VALIDATION', `--os must be darwin, win32 or linux (got "${os}").`);
  }
  const home = os === 'win32' ? '%USERPROFILE%' : '~';
  const env = os === 'win32' ? { APPDATA: '%APPDATA%', LOCALAPPDATA: '%LOCALAPPDATA%' } : {};
  const locs = clientLocations({ platform: os, env, home });
  const rows = CLIENT_IDS.map((id) => ({
    id,
    displayName: CLIENT_DEFS[id].displayName,
    user: locs[id].user,
    project: locs[id].project?.('<project>') ?? [],
  }));
  if (json) return printJson(ctx.io, rows);
  printTable(
    ctx.io,
    ['CLIENT', 'USER CONFIG', 'PROJECT FILE'],
    rows.map((r) => [r.id, r.user.join(' or '), r.project.join(' or ') || '—']),
  );
}

function parseTarget(client: string, opts: ChangeOptions): Target {
  if (!isClientId(client)) {
    throw new SwitchboardError(
      'VALIDATION',
      `Unknown client "${client}". Client ids: ${CLIENT_IDS.join(' ')}.`,
    );
  }
  const scope = opts.scope ?? 'user';
  if (!(SCOPES as readonly string[]).includes(scope)) {
    throw new SwitchboardError(
      'VALIDATION',
      `--scope must be ${SCOPES.join(', ')} (got "${scope}").`,
    );
  }
  if (opts.dir && scope === 'user') {
    throw new SwitchboardError('VALIDATION', '--dir needs --scope project (or local).');
  }
  return { client, scope: scope as Scope, dir: opts.dir };
}

function report(
  ctx: CliContext,
  plan: ChangePlan,
  opts: ChangeOptions,
  result: ChangeResult | undefined,
): void {
  if (opts.json)
    return printJson(ctx.io, { ...plan, applied: Boolean(result), dryRun: Boolean(opts.dryRun) });
  if (!plan.changed) {
    ctx.io.stdout(
      plan.operation === 'install'
        ? `"${plan.entryName}" is already installed in ${plan.clientName} (${plan.path}); nothing to do.\n`
        : `Nothing to change in ${plan.path}.\n`,
    );
    return;
  }
  if (!result) {
    ctx.io.stdout(plan.diff + `(dry run: ${plan.path} was not changed)\n`);
    return;
  }
  ctx.io.stdout(doneLine(result));
}

function doneLine(r: ChangeResult & { newProject?: string }): string {
  const verb =
    r.operation === 'install' ? 'Installed' : r.operation === 'uninstall' ? 'Removed' : 'Fixed';
  const lines = [
    `${verb} "${r.entryName}" in ${r.clientName}: ${r.path}${r.removesFile ? ' (file removed: Switchboard had created it)' : ''}`,
  ];
  if (r.newProject) lines.push(`Created project "${r.newProject}"; its secret is in the keychain.`);
  if (r.backup) lines.push(`Backup of the previous file: ${r.backup}`);
  lines.push(r.restartNote);
  if (r.needsNote) lines.push(`Also needed: ${r.needsNote}`);
  return lines.join('\n') + '\n';
}

function printFindings(ctx: CliContext, findings: Finding[]): void {
  if (findings.length === 0) {
    ctx.io.stdout('No problems found in detected client configs.\n');
    return;
  }
  for (const f of findings) {
    const where = f.line ? `${f.path}:${f.line}:${f.column}` : f.path;
    ctx.io.stdout(`[${f.kind}] ${f.clientName} ${where}\n  ${f.message}\n`);
    if (f.fix) ctx.io.stdout('  fix: switchboard doctor --fix\n');
  }
}

function printUrlFindings(ctx: CliContext, findings: UrlCredentialFinding[]): void {
  for (const f of findings) {
    ctx.io.stdout(`[url-credential] Switchboard project ${f.project}\n  ${f.message}\n`);
    if (f.fix) ctx.io.stdout('  fix: switchboard doctor --fix\n');
  }
}
