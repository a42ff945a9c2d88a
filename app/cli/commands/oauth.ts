import type { Command } from 'commander';
import type { OAuthConsentPreviewDto } from '../../contract/oauth-contract.js';
import { openInBrowser } from '../../oauth/browser-opener.js';
import { SwitchboardError } from '../../shared/errors.js';
import type { CliContext } from '../main.js';
import { printJson } from '../output.js';
import { confirm } from '../secret-input.js';

const CLIENT_LABEL: Record<OAuthConsentPreviewDto['client']['kind'], string> = {
  'pre-registered': 'pre-registered client',
  'metadata-document': 'client metadata document',
  dynamic: 'registers itself dynamically',
};

/** The consent facts, as the window's dialog shows them, for the terminal. */
export function consentText(p: OAuthConsentPreviewDto): string {
  const scopes = p.scopes.length
    ? p.scopes.map((s) => `${s.scope} (${s.source.replace('_', ' ')})`).join(', ')
    : 'none requested (the server decides)';
  const lines = [
    `Sign in to ${p.project}${p.fullScope ? `  [FULL SCOPE: ${p.fullScopeReason ?? ''}]` : ''}`,
    `  server       ${p.serverUrl}`,
    `  resource     ${p.resource}`,
    `  issuer       ${p.issuer}`,
    `  client       ${p.client.clientId ? `${p.client.clientId} (${CLIENT_LABEL[p.client.kind]})` : CLIENT_LABEL[p.client.kind]}`,
    `  scopes       ${scopes}`,
    ...(p.scopesSupported.length ? [`  advertised   ${p.scopesSupported.join(', ')}`] : []),
    `  shared with  ${p.sharedWith.length ? p.sharedWith.join(', ') : 'no installed clients yet'}`,
    `  tokens kept  ${p.storage === 'keychain' ? 'in the OS keychain' : 'in the insecure file store'}`,
    ...(p.changed.length ? [`  asking again because this changed: ${p.changed.join(', ')}`] : []),
  ];
  return lines.join('\n') + '\n';
}

export function registerOAuthCommands(program: Command, ctx: CliContext): void {
  program
    .command('login <project>')
    .description('sign in to an OAuth project in your browser (consent first)')
    .option('--scope <scopes>', 'comma-separated scopes to request instead of the server’s')
    .option('--no-browser', 'only print the sign-in URL')
    .option(
      '--consent',
      'agree to the sign-in without a prompt (needed when stdin is not a terminal)',
    )
    .option('--timeout <seconds>', 'how long to wait for the browser', '300')
    .option('--json', 'print JSON')
    .action(
      async (
        ref: string,
        opts: {
          scope?: string;
          browser: boolean;
          consent?: boolean;
          timeout: string;
          json?: boolean;
        },
      ) => {
        const services = ctx.services();
        const timeoutS = Number(opts.timeout);
        if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
          throw new SwitchboardError(
            'VALIDATION',
            '--timeout takes a number of seconds, e.g. 300.',
          );
        }
        const scopes = opts.scope
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const grant = await services.oauth.signIn(ref, {
          ...(scopes?.length ? { scopes } : {}),
          source: 'cli',
          timeoutMs: timeoutS * 1000,
          confirm: async (plan) => {
            ctx.io.stderr(consentText(await services.oauth.previewOf(plan)));
            if (opts.consent) return true;
            if (!ctx.stdin.isTTY) {
              throw new SwitchboardError(
                'VALIDATION',
                'Consent needed and stdin is not a terminal: run again with --consent to agree to the sign-in above.',
              );
            }
            await confirm(ctx, 'Open the browser and sign in?', false);
            return true;
          },
          open: async (url) => {
            ctx.io.stderr(`Open this URL to sign in (waiting up to ${timeoutS} s):\n${url.href}\n`);
            if (!opts.browser) return;
            await openInBrowser(url, services.env).catch((e: Error) =>
              ctx.io.stderr(`${e.message}\n`),
            );
          },
          onStage: (stage) => {
            if (stage === 'exchanging') ctx.io.stderr('Browser answered; getting tokens…\n');
          },
        });
        if (opts.json) return printJson(ctx.io, await services.oauth.grant(ref));
        ctx.io.stdout(
          `Signed in to ${ref} at ${grant.issuer}; scopes: ${grant.scopes.join(' ') || '—'}; ${grant.refreshPresent ? 'refreshes automatically' : 'no refresh token: sign in again when it expires'}.\n`,
        );
      },
    );

  program
    .command('logout <project>')
    .description('sign out: revoke the tokens at the server where offered, then delete them')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const result = await ctx.services().oauth.signOut(ref);
      if (opts.json) return printJson(ctx.io, result);
      if (result.revocationError) {
        ctx.io.stderr(
          `Could not revoke at the server (${result.revocationError}); deleted locally anyway.\n`,
        );
      }
      ctx.io.stdout(
        `Signed out of ${ref}${result.revoked.length ? ` (revoked: ${result.revoked.join(', ')})` : ''}; its tokens are deleted.\n`,
      );
    });
}
