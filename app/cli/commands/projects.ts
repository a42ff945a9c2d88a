import type { Command } from 'commander';
import type { Project } from '../../projects/project.js';
import { SwitchboardError } from '../../shared/errors.js';
import type { CliContext } from '../main.js';
import { printJson, printTable } from '../output.js';

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
    .requiredOption('--url <url>', 'the Streamable HTTP endpoint, e.g. https://mcp.example.com/mcp')
    .option('--auth <kind>', 'none | bearer | oauth', 'none')
    .option('--header <header...>', "extra non-secret header 'Name: value' (repeatable)")
    .option('--secret-header <name...>', 'header whose value is kept in the keychain (repeatable)')
    .option('--display-name <title>', 'a friendly name for menus')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: AddOptions) => {
      const created = await ctx.services().projects.add({
        name,
        url: opts.url,
        auth: opts.auth as Project['auth'],
        displayName: opts.displayName,
        headers: parseHeaders(opts.header ?? []),
        secretHeaders: opts.secretHeader ?? [],
      });
      if (opts.json) return printJson(ctx.io, created);
      ctx.io.stdout(`Added project ${created.name} (${created.id}) → ${created.url}\n`);
    });

  project
    .command('show <name>')
    .description('show one project')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const p = await ctx.services().projects.get(name);
      if (opts.json) return printJson(ctx.io, p);
      const rows: [string, string][] = [
        ['name', p.name],
        ['id', p.id],
        ['display name', p.displayName],
        ['url', p.url],
        ['auth', p.auth],
        ['status', p.connected ? 'connected' : 'disconnected'],
        ['headers', Object.keys(p.headers).join(', ') || '—'],
        ['secret headers', p.secretHeaders.join(', ') || '—'],
        ['created', p.createdAt],
        ['updated', p.updatedAt],
      ];
      ctx.io.stdout(rows.map(([k, v]) => `${k.padEnd(15)}${v}`).join('\n') + '\n');
    });
}

interface AddOptions {
  url: string;
  auth: string;
  header?: string[];
  secretHeader?: string[];
  displayName?: string;
  json?: boolean;
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
