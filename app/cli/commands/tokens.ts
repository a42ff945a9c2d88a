import type { Command } from 'commander';
import { relativeTime } from '../../shared/humanize.js';
import { TOKEN_KINDS, type TokenKind } from '../../tokens/token.js';
import type { IssuedToken } from '../../tokens/tokens-service.js';
import { SwitchboardError } from '../../shared/errors.js';
import type { CliContext } from '../main.js';
import { printJson, printTable } from '../output.js';
import { confirm, readSecret } from '../secret-input.js';
import { warnIfInsecureStore } from './store-warning.js';

export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program
    .command('token')
    .description('add, mint, list, rotate, revoke and remove tokens');

  token
    .command('list')
    .description('list tokens (values are never shown)')
    .option('--project <name>', 'only this project')
    .option('--json', 'print JSON')
    .action(async (opts: { project?: string; json?: boolean }) => {
      const list = await ctx.services().tokens.list(opts.project);
      if (opts.json) return printJson(ctx.io, list);
      if (list.length === 0) {
        ctx.io.stdout('No tokens. Add one: switchboard token add <project> --token-stdin\n');
        return;
      }
      printTable(
        ctx.io,
        ['PROJECT', 'NAME', 'KIND', 'SOURCE', 'FINGERPRINT', 'STATUS', 'EXPIRES', 'LAST USED'],
        list.map((t) => [
          t.projectName,
          t.name,
          t.kind === 'secret-header' ? `header ${t.headerName}` : t.kind,
          t.source,
          t.fingerprint,
          t.status,
          t.expiresAt ? relativeTime(t.expiresAt) : 'never',
          relativeTime(t.lastUsedAt),
        ]),
      );
    });

  token
    .command('add <project>')
    .description('store a token you already have (read from stdin or a prompt)')
    .option('--name <name>', 'a name for it (default: "default")')
    .option('--expires <when>', '30d | 12h | never | ISO date', 'never')
    .option('--kind <kind>', `one of ${TOKEN_KINDS.join(', ')}`, 'bearer')
    .option('--header <name>', 'for --kind secret-header: the header that carries it')
    .option('--param <name>', 'for --kind query-secret: the URL query parameter that carries it')
    .option('--token-stdin', 'read the token from stdin')
    .option('--json', 'print JSON')
    .action(async (project: string, opts: AddOpts) => {
      const kind = parseKind(opts.kind);
      const value = await readSecret(ctx, {
        fromStdin: !!opts.tokenStdin,
        prompt: `Token for ${project}: `,
      });
      const issued = await ctx.services().tokens.add({
        project,
        value,
        name: opts.name,
        kind,
        expires: opts.expires,
        headerName: opts.header,
        queryParam: opts.param,
      });
      await warnIfInsecureStore(ctx);
      printIssued(ctx, issued, !!opts.json, false);
    });

  token
    .command('mint <project>')
    .description("mint a project-scoped token through the server's issuing API; shown once")
    .option('--name <name>', 'a name for it')
    .option('--ttl <ttl>', '30d | 12h | never | ISO date', '30d')
    .option('--json', 'print JSON')
    .action(async (project: string, opts: { name?: string; ttl: string; json?: boolean }) => {
      const issued = await ctx.services().tokens.mint({ project, name: opts.name, ttl: opts.ttl });
      await warnIfInsecureStore(ctx);
      printIssued(ctx, issued, !!opts.json, true);
    });

  token
    .command('rotate <project>')
    .description(
      'replace the active token (minted anew where possible, else pasted) and revoke the old one',
    )
    .option('--name <name>', 'the token to rotate (default: the active bearer)')
    .option('--token-stdin', 'read the new value from stdin')
    .option('--ttl <ttl>', 'expiry of the new token: 30d | 12h | never | ISO date')
    .option('--json', 'print JSON')
    .action(
      async (
        project: string,
        opts: { name?: string; tokenStdin?: boolean; ttl?: string; json?: boolean },
      ) => {
        const services = ctx.services();
        const p = await services.projects.get(project);
        const records = await services.tokens.recordsFor(p.id);
        const old = opts.name
          ? records.find((r) => r.name === opts.name && !r.revokedAt)
          : records.find((r) => r.kind === 'bearer' && !r.revokedAt);
        const canMint = !!(old?.issuer && p.issuer);
        const value =
          opts.tokenStdin || !canMint
            ? await readSecret(ctx, {
                fromStdin: !!opts.tokenStdin,
                prompt: `New token for ${project}: `,
              })
            : undefined;
        const issued = await services.tokens.rotate({
          project,
          name: opts.name,
          value,
          ttl: opts.ttl,
        });
        printIssued(ctx, issued, !!opts.json, issued.token.source === 'minted');
      },
    );

  token
    .command('revoke <project> <token-name>')
    .description('revoke a token (server-side where possible) and delete it from the keychain')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (project: string, name: string, opts: { yes?: boolean; json?: boolean }) => {
      await confirm(
        ctx,
        `Revoke token "${name}" of ${project}? Clients using it will stop working.`,
        opts.yes,
      );
      const t = await ctx.services().tokens.revoke({ project, token: name });
      if (opts.json) return printJson(ctx.io, t);
      ctx.io.stdout(
        `Revoked ${t.name} (${t.fingerprint})${t.issuer ? ' at its issuer' : ''} and deleted its value.\n`,
      );
    });

  token
    .command('remove <project> <token-name>')
    .description('revoke if still active, then forget the token')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (project: string, name: string, opts: { yes?: boolean; json?: boolean }) => {
      await confirm(ctx, `Remove token "${name}" of ${project}?`, opts.yes);
      const t = await ctx.services().tokens.remove({ project, token: name });
      if (opts.json) return printJson(ctx.io, t);
      ctx.io.stdout(`Removed ${t.name} (${t.fingerprint}).\n`);
    });
}

interface AddOpts {
  name?: string;
  expires: string;
  kind: string;
  header?: string;
  param?: string;
  tokenStdin?: boolean;
  json?: boolean;
}

function parseKind(kind: string): TokenKind {
  if ((TOKEN_KINDS as readonly string[]).includes(kind)) return kind as TokenKind;
  throw new SwitchboardError('VALIDATION', `--kind must be one of ${TOKEN_KINDS.join(', ')}.`);
}

/**
 * The one place a token value is printed: on stdout, once, when it was minted (the user has no
 * other copy). A pasted token is never echoed back.
 */
function printIssued(
  ctx: CliContext,
  issued: IssuedToken,
  json: boolean,
  showValue: boolean,
): void {
  const { token, replaced } = issued;
  if (json) {
    return printJson(ctx.io, {
      token,
      ...(showValue ? { value: issued.value } : {}),
      ...(replaced ? { replaced } : {}),
      ...(issued.switchedToBearer ? { switchedToBearer: true } : {}),
    });
  }
  ctx.io.stderr(
    `${replaced ? 'Rotated' : 'Stored'} token ${token.name} for ${token.projectName} (fingerprint ${token.fingerprint}, ${
      token.expiresAt ? `expires ${relativeTime(token.expiresAt)}` : 'no expiry'
    }).\n`,
  );
  if (replaced) ctx.io.stderr(`Revoked the old token (fingerprint ${replaced.fingerprint}).\n`);
  if (issued.switchedToBearer) {
    ctx.io.stderr(
      `Project ${token.projectName} used no authentication; it now sends this token as a bearer token.\n`,
    );
  }
  if (showValue) {
    ctx.io.stderr('This is the only time the value is shown:\n');
    ctx.io.stdout(issued.value + '\n');
  }
}
