import { SwitchboardError } from '../shared/errors.js';
import type { CliContext } from './main.js';

const MAX_SECRET_BYTES = 64 * 1024;

/**
 * Secrets come only from stdin (`--token-stdin`) or an interactive prompt with echo off — never
 * from argv or the environment (CLI.md).
 */
export async function readSecret(
  ctx: CliContext,
  opts: { fromStdin: boolean; prompt: string },
): Promise<string> {
  if (opts.fromStdin) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.stdin) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += b.length;
      if (size > MAX_SECRET_BYTES)
        throw new SwitchboardError('VALIDATION', 'The token on stdin is larger than 64 KB.');
      chunks.push(b);
    }
    const value = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
    if (!value)
      throw new SwitchboardError('VALIDATION', '--token-stdin was given but stdin was empty.');
    return value;
  }
  if (!ctx.stdin.isTTY) {
    throw new SwitchboardError(
      'VALIDATION',
      'No token given: pipe it in with --token-stdin (it is never read from arguments).',
    );
  }
  return promptHidden(ctx, opts.prompt);
}

async function promptHidden(ctx: CliContext, prompt: string): Promise<string> {
  const stdin = ctx.stdin as NodeJS.ReadStream;
  ctx.io.stderr(prompt);
  stdin.setRawMode?.(true);
  stdin.resume();
  let value = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (data: Buffer) => {
        for (const ch of data.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            resolve(value);
            return;
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            reject(new SwitchboardError('REFUSED', 'Cancelled.'));
            return;
          }
          if (ch === '\u007f') value = value.slice(0, -1);
          else value += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode?.(false);
    stdin.pause();
    ctx.io.stderr('\n');
  }
}

/**
 * Asks before a destructive action. `--yes` skips it; without a TTY and without `--yes` we refuse
 * and say so (CLI.md).
 */
export async function confirm(
  ctx: CliContext,
  question: string,
  yes: boolean | undefined,
): Promise<void> {
  if (yes) return;
  if (!ctx.stdin.isTTY) {
    throw new SwitchboardError(
      'VALIDATION',
      `${question} Refusing without confirmation: stdin is not a terminal; pass --yes.`,
    );
  }
  ctx.io.stderr(`${question} [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    const stdin = ctx.stdin as NodeJS.ReadStream;
    stdin.resume();
    stdin.once('data', (d: Buffer) => {
      stdin.pause();
      resolve(d.toString('utf8').trim());
    });
  });
  if (!/^y(es)?$/i.test(answer))
    throw new SwitchboardError('REFUSED', 'Cancelled; nothing was changed.');
}
