import type { Command } from 'commander';
import { SwitchboardError } from '../../shared/errors.js';
import {
  configuredSecretStoreKind,
  INSECURE_STORE_WARNING,
} from '../../vault/open-secret-store.js';
import { switchSecretStore } from '../../vault/switch-secret-store.js';
import type { CliContext } from '../main.js';
import { printJson } from '../output.js';
import { confirm } from '../secret-input.js';

export function registerSettingsCommands(program: Command, ctx: CliContext): void {
  const settings = program.command('settings').description('show or change settings');

  settings
    .command('show', { isDefault: true })
    .description('show settings')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const s = ctx.services();
      const secretStore = await configuredSecretStoreKind(s.dataDir, s.env);
      const view = { dataDir: s.dataDir, secretStore };
      if (opts.json) return printJson(ctx.io, view);
      ctx.io.stdout(`data dir      ${view.dataDir}\nsecret store  ${secretStore}\n`);
      if (secretStore === 'file') ctx.io.stderr(`warning: ${INSECURE_STORE_WARNING}\n`);
    });

  settings
    .command('secret-store <keychain|file>')
    .description(
      'where secrets live: the OS keychain (default) or an insecure 0600 file; moves existing secrets',
    )
    .option('--yes', 'do not ask for confirmation')
    .action(async (kind: string, opts: { yes?: boolean }) => {
      if (kind !== 'keychain' && kind !== 'file') {
        throw new SwitchboardError('VALIDATION', 'Choose "keychain" or "file".');
      }
      if (kind === 'file') await confirm(ctx, `${INSECURE_STORE_WARNING} Continue?`, opts.yes);
      const { moved } = await switchSecretStore(ctx.services(), kind);
      ctx.io.stdout(
        `Secrets are now stored in the ${kind === 'file' ? 'insecure file store' : 'OS keychain'} (${moved} moved).\n`,
      );
    });
}
