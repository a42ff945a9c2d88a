import type { Command } from 'commander';
import { progressLine } from '../../provisioning/progress-text.js';
import { provisioningConsentText } from '../../provisioning/consent-text.js';
import type { EndpointStatus } from '../../provisioning/provisioning-service.js';
import { SwitchboardError } from '../../shared/errors.js';
import type { CliContext } from '../main.js';
import { printJson } from '../output.js';
import { confirm } from '../secret-input.js';

/**
 * `switchboard provision <project> [--accept-full-scope] [--reset]`: provisions the per-tenant
 * endpoint now. Exit 0 when the project ends up per-tenant, 1 (with the reason) when it falls
 * back to the shared endpoint. The full-scope consent is asked interactively; without a TTY it
 * needs --accept-full-scope.
 */
export function registerProvisionCommand(program: Command, ctx: CliContext): void {
  program
    .command('provision <project>')
    .description('provision the per-tenant endpoint of a project (asks for the full-scope consent)')
    .option(
      '--accept-full-scope',
      'consent without a question (needed when stdin is not a terminal)',
    )
    .option('--reset', 'discard the cached per-tenant endpoint first, then provision again')
    .option('--json', 'print JSON')
    .action(
      async (ref: string, opts: { acceptFullScope?: boolean; reset?: boolean; json?: boolean }) => {
        const { provisioning } = ctx.services();
        if (opts.reset) await provisioning.reset(ref);
        const request = await provisioning.consentRequest(ref);
        let consentGiven: 'cli' | undefined;
        if (request.status === 'needed') {
          const text = provisioningConsentText({
            ...request,
            projectName: request.subject.projectName,
          });
          const again = request.changed.length
            ? `\nAsking again: ${request.changed.join(', ')} changed since your last consent.\n`
            : '';
          if (!opts.acceptFullScope && !ctx.stdin.isTTY) {
            throw new SwitchboardError(
              'VALIDATION',
              `${text.risk} Refusing without consent: stdin is not a terminal; pass --accept-full-scope to consent.`,
            );
          }
          if (!opts.acceptFullScope) {
            ctx.io.stderr(
              `${text.title}${again}\n\n${text.risk}\n\n${text.gain}\n${text.decline}\n${text.undo}\n\n`,
            );
            await confirm(ctx, 'Store the key and deploy the private endpoint?', false);
          }
          consentGiven = 'cli';
        }
        const abort = new AbortController();
        const onSigint = () => abort.abort();
        process.once('SIGINT', onSigint);
        let status: EndpointStatus;
        try {
          status = await provisioning.provision(ref, {
            ...(consentGiven ? { consentGiven } : {}),
            signal: abort.signal,
            onProgress: (p) => ctx.io.stderr(`${progressLine(p)}\n`),
          });
        } finally {
          process.off('SIGINT', onSigint);
        }
        ctx.exitCode = status.kind === 'per-tenant' ? 0 : 1;
        if (opts.json) return printJson(ctx.io, status);
        if (status.kind === 'per-tenant') {
          ctx.io.stdout(`${status.projectName}: private (per-tenant) endpoint ${status.url}\n`);
        } else {
          ctx.io.stderr(
            `switchboard: ${status.projectName} uses ${status.reason} → ${status.url}\n`,
          );
        }
      },
    );
}
