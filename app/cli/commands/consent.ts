import type { Command } from 'commander';
import { consentSummary } from '../../consent/consent-handlers.js';
import type { CliContext } from '../main.js';
import { printJson, printTable } from '../output.js';
import { confirm } from '../secret-input.js';

/** `switchboard consent list|revoke`: every consent Switchboard holds, of every kind. */
export function registerConsentCommands(program: Command, ctx: CliContext): void {
  const consent = program
    .command('consent')
    .description('list and withdraw the consents Switchboard holds on your behalf');

  consent
    .command('list')
    .description('list consents (OAuth grants, full-scope provisioning, …)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await ctx.services().consents.list();
      if (opts.json) return printJson(ctx.io, list);
      if (list.length === 0) {
        ctx.io.stdout(
          'No consents. They are recorded when you sign in (switchboard login) or provision a per-tenant endpoint (switchboard provision).\n',
        );
        return;
      }
      printTable(
        ctx.io,
        ['ID', 'KIND', 'PROJECT', 'GRANTED', 'FROM', 'WHAT'],
        list.map((c) => [c.id, c.kind, c.projectName, c.grantedAt, c.source, consentSummary(c)]),
      );
    });

  consent
    .command('revoke <id>')
    .description(
      'withdraw a consent and undo its grant (sign out, stop using a per-tenant endpoint)',
    )
    .option('--yes', 'do not ask for confirmation')
    .option('--delete-remote', 'also delete the vendor-side secret and function (provisioning)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { yes?: boolean; deleteRemote?: boolean; json?: boolean }) => {
      const { consents } = ctx.services();
      const record = await consents.get(id);
      const remote = opts.deleteRemote ? ', and delete the vendor-side secret and function' : '';
      await confirm(
        ctx,
        `Withdraw the ${record.kind} consent of ${record.projectName} (${consentSummary(record)})${remote}?`,
        opts.yes,
      );
      const gone = await consents.revoke(id, {
        source: 'cli',
        ...(opts.deleteRemote ? { deleteRemote: true } : {}),
      });
      if (opts.json)
        return printJson(ctx.io, { revoked: gone, deletedRemote: opts.deleteRemote === true });
      ctx.io.stdout(`Withdrew consent ${gone.id} (${gone.kind}, ${gone.projectName}).\n`);
    });
}
