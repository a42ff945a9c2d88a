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
import {
  CLIENT_METADATA_URL_ENV,
  resolveClientMetadataUrl,
  setClientMetadataUrl,
} from '../../settings/client-metadata-url.js';

export function registerSettingsCommands(program: Command, ctx: CliContext): void {
  const settings = program.command('settings').description('show or change settings');

  settings
    .command('show', { isDefault: true })
    .description('show settings')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const s = ctx.services();
      const secretStore = await configuredSecretStoreKind(s.dataDir, s.env);
      const metadata = await resolveClientMetadataUrl(s.dataDir, s.env);
      const view = {
        dataDir: s.dataDir,
        secretStore,
        ...(metadata.url && {
          clientMetadataUrl: metadata.url,
          clientMetadataUrlSource: metadata.source,
        }),
      };
      if (opts.json) return printJson(ctx.io, view);
      ctx.io.stdout(`data dir      ${view.dataDir}\nsecret store  ${secretStore}\n`);
      ctx.io.stdout(
        `client metadata URL  ${metadata.url ?? '(none)'}${metadata.source === 'env' ? ` (from ${CLIENT_METADATA_URL_ENV})` : ''}\n`,
      );
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

  settings
    .command('client-metadata-url [url]')
    .description(
      `the https URL of Switchboard's OAuth Client ID Metadata Document (${CLIENT_METADATA_URL_ENV} overrides it)`,
    )
    .option('--clear', 'remove the setting')
    .action(async (url: string | undefined, opts: { clear?: boolean }) => {
      if (!url && !opts.clear) {
        throw new SwitchboardError(
          'VALIDATION',
          'Give the URL (switchboard settings client-metadata-url https://example.com/switchboard.json) or --clear.',
        );
      }
      const saved = await setClientMetadataUrl(ctx.services(), opts.clear ? null : url!);
      ctx.io.stdout(
        saved
          ? `Sign-ins use ${saved} as the client id where the authorization server supports client metadata documents.\n`
          : 'Client metadata document URL cleared: sign-ins use a pre-registered client or dynamic registration.\n',
      );
    });
}
