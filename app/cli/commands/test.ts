import type { Command } from 'commander';
import { SwitchboardError } from '../../shared/errors.js';
import { testConnection, type TestReport } from '../../tester/test-connection.js';
import { testProject } from '../../tester/test-project.js';
import type { CliContext } from '../main.js';
import { printJson } from '../output.js';
import { readSecret } from '../secret-input.js';

export function registerTestCommand(program: Command, ctx: CliContext): void {
  program
    .command('test <project-or-url>')
    .description(
      'initialize, list tools, optionally call one; exit 0 pass, 1 transport/auth, 2 contract',
    )
    .option(
      '--token-stdin',
      'read a bearer token from stdin (for a URL, or to override the project token)',
    )
    .option('--tool <name>', 'call this tool')
    .option('--args <json>', 'arguments for --tool, as a JSON object', '{}')
    .option('--expect-tools <names>', 'comma-separated tools that must exist')
    .option('--timeout <ms>', 'per-step timeout in milliseconds', '15000')
    .option('--json', 'print a JSON report')
    .action(async (target: string, opts: TestOpts) => {
      const args = parseArgs(opts.args);
      const timeoutMs = Number(opts.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        throw new SwitchboardError(
          'VALIDATION',
          '--timeout takes a positive number of milliseconds.',
        );
      }
      const services = ctx.services();
      const project = /^https?:\/\//.test(target) ? undefined : await services.projects.get(target);
      const expectTools = opts.expectTools
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      let report: TestReport;
      if (project && !opts.tokenStdin) {
        report = await testProject(
          { dataDir: services.dataDir, env: services.env, project },
          { tool: opts.tool, args, expectTools, timeoutMs },
        );
      } else {
        // A URL, or a project tested with a token given on stdin instead of its own.
        const token = opts.tokenStdin
          ? await readSecret(ctx, { fromStdin: true, prompt: '' })
          : undefined;
        report = await testConnection({
          url: project?.url ?? target,
          headers: {
            ...(project?.headers ?? {}),
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          secretValues: token ? [token] : [],
          tool: opts.tool,
          args,
          expectTools,
          timeoutMs,
          project: project?.name,
        });
      }
      output(ctx, report, !!opts.json);
      ctx.exitCode = report.exitCode;
    });
}

interface TestOpts {
  tokenStdin?: boolean;
  tool?: string;
  args: string;
  expectTools?: string;
  timeout: string;
  json?: boolean;
}

function parseArgs(raw: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SwitchboardError('VALIDATION', `--args must be a JSON object, e.g. '{"text":"hi"}'.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SwitchboardError('VALIDATION', '--args must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function output(ctx: CliContext, r: TestReport, json: boolean): void {
  if (json) return printJson(ctx.io, r);
  const lines: string[] = [];
  const who = r.project ? `${r.project} (${r.url})` : r.url;
  if (r.server)
    lines.push(
      `✓ initialize  ${r.server.name} ${r.server.version}, protocol ${r.protocolVersion ?? '?'}  ${r.timings.initializeMs} ms`,
    );
  if (r.timings.listToolsMs !== undefined)
    lines.push(`✓ tools/list  ${r.tools.length} tools  ${r.timings.listToolsMs} ms`);
  if (r.call && !r.call.isError)
    lines.push(`✓ tools/call  ${r.call.tool}  ${r.timings.callMs} ms  ${r.call.preview}`);
  if (r.failure) lines.push(`✗ ${r.failure.stage}  ${r.failure.message}`);
  if (r.healthz) lines.push(`${r.healthz.ok ? '✓' : '✗'} healthz     ${r.healthz.message}`);
  lines.push(r.ok ? `PASS ${who}` : `FAIL ${who} (${r.failure?.kind} failure, exit ${r.exitCode})`);
  (r.ok ? ctx.io.stdout : ctx.io.stderr)(lines.join('\n') + '\n');
}
