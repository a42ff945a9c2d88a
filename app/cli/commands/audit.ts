import path from 'node:path';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { AuditEvent } from '../../audit/audit-event.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../audit/audit-export.js';
import { matchesFilter, timeRange, type AuditFilter } from '../../audit/audit-filter.js';
import { AuditStore, type AuditRow } from '../../audit/audit-store.js';
import { SwitchboardError } from '../../shared/errors.js';
import type { CliContext } from '../main.js';
import { printJson, printTable } from '../output.js';

interface FilterOptions {
  project?: string;
  client?: string;
  session?: string;
  method?: string;
  tool?: string;
  status?: string;
  text?: string;
  since?: string;
  until?: string;
}

function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--project <name>', 'project name or id')
    .option('--client <name>', 'client name from initialize (e.g. claude-code, Cursor)')
    .option('--session <id>', 'bridge session id')
    .option('--method <method>', 'JSON-RPC method; a trailing * matches a prefix (tools/*)')
    .option('--tool <name>', 'tool name (or resource URI / prompt name)')
    .option('--status <status>', 'ok | error')
    .option('--text <text>', 'text anywhere in the (redacted) event')
    .option('--since <when>', '1h | 24h | 7d | today | all | an ISO time')
    .option('--until <when>', 'an ISO time (exclusive)');
}

/** Flags → a validated filter; bad values are usage errors (exit 2) that say what to use. */
function toFilter(opts: FilterOptions): AuditFilter {
  if (opts.status !== undefined && opts.status !== 'ok' && opts.status !== 'error') {
    throw new SwitchboardError(
      'VALIDATION',
      `--status must be ok or error, not ${JSON.stringify(opts.status)}.`,
    );
  }
  const filter: AuditFilter = {
    project: opts.project,
    client: opts.client,
    session: opts.session,
    method: opts.method,
    tool: opts.tool,
    status: opts.status,
    text: opts.text,
    since: opts.since,
    until: opts.until,
  };
  timeRange(filter); // validates --since / --until up front
  return filter;
}

/** A store that skips segments last written before the window opened (faster with --since). */
function storeFor(ctx: CliContext, filter: AuditFilter): AuditStore {
  const { from } = timeRange(filter);
  return new AuditStore(ctx.services().dataDir, {
    skipSegmentsBefore: Number.isFinite(from) ? from : undefined,
    pollMs: 500,
  });
}

const strip = ({ ref: _ref, ...event }: AuditRow): AuditEvent => event;

function tableRows(rows: AuditRow[]): string[][] {
  return rows.map((e) => [
    e.ts,
    e.projectName ?? e.projectId,
    e.client?.name ?? '',
    e.kind,
    e.method ?? '',
    e.target ?? '',
    e.status === 'error' || e.kind === 'error'
      ? `error${e.errorCode !== undefined ? ` ${e.errorCode}` : ''}`
      : (e.status ?? ''),
    e.durationMs !== undefined ? String(Math.round(e.durationMs)) : '',
  ]);
}
const HEADERS = ['TIME', 'PROJECT', 'CLIENT', 'KIND', 'METHOD', 'TARGET', 'STATUS', 'MS'];

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = addFilterOptions(
    program
      .command('audit')
      .description('show what crossed the bridges (newest last); `audit export` writes a file'),
  )
    .option('--limit <n>', 'how many of the newest events to show', '50')
    .option('--json', 'print JSON (with --follow: one event per line)')
    .option('--follow', 'keep printing new events until interrupted')
    .action(async (opts: FilterOptions & { limit: string; json?: boolean; follow?: boolean }) => {
      const filter = toFilter(opts);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 5000) {
        throw new SwitchboardError('VALIDATION', '--limit must be a whole number from 1 to 5000.');
      }
      const store = storeFor(ctx, filter);
      const page = await store.query(filter, { limit });
      const rows = page.events.reverse(); // chronological
      if (!opts.follow) {
        if (opts.json) return printJson(ctx.io, rows.map(strip));
        if (rows.length === 0) {
          ctx.io.stdout(
            'No audit events match. Events appear once a client talks through `switchboard bridge`.\n',
          );
          return;
        }
        return printTable(ctx.io, HEADERS, tableRows(rows));
      }
      await follow(ctx, store, filter, rows, opts.json === true);
    });

  addFilterOptions(
    audit
      .command('export')
      .description('export the selected events as JSON Lines or CSV (oldest first)'),
  )
    .requiredOption('--format <format>', 'jsonl | csv')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (own: FilterOptions & { format: string; out?: string }) => {
      // Commander hands filter flags to `audit` when both define them: merge them back.
      const opts = { ...(audit.opts() as FilterOptions), ...own };
      if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
        throw new SwitchboardError(
          'VALIDATION',
          `--format must be jsonl or csv, not ${JSON.stringify(opts.format)}.`,
        );
      }
      const format = opts.format as ExportFormat;
      const filter = toFilter(opts);
      const store = storeFor(ctx, filter);
      if (opts.out) {
        const file = path.resolve(opts.out);
        const count = await store.exportToFile(filter, format, file);
        ctx.io.stderr(`Exported ${count} event(s) to ${file}\n`);
        return;
      }
      const out = new Writable({
        write(chunk: Buffer, _enc, done) {
          // An export is machine output: written exactly.
          (ctx.io.stdoutExact ?? ctx.io.stdout)(chunk.toString());
          done();
        },
      });
      await store.export(filter, format, out);
    });
}

/** Prints the backlog, then every new matching event until SIGINT/SIGTERM. */
async function follow(
  ctx: CliContext,
  store: AuditStore,
  filter: AuditFilter,
  backlog: AuditRow[],
  json: boolean,
): Promise<void> {
  const print = (rows: AuditRow[]) => {
    if (rows.length === 0) return;
    if (json) {
      (ctx.io.stdoutExact ?? ctx.io.stdout)(
        rows.map((r) => JSON.stringify(strip(r)) + '\n').join(''),
      );
    } else
      ctx.io.stdout(
        tableRows(rows)
          .map((cells) => cells.join('  '))
          .join('\n') + '\n',
      );
  };
  if (!json) ctx.io.stdout(HEADERS.join('  ') + '\n');
  print(backlog);
  await new Promise<void>((resolve) => {
    const off = store.subscribe((rows) => {
      // Relative windows (--since 1h) are evaluated against the filter as given, now.
      print(
        rows.filter((r) => matchesFilter(r, { ...filter, since: undefined, until: filter.until })),
      );
    });
    const stop = () => {
      off();
      store.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Also stop when whoever reads stdout goes away (`| head`).
    process.stdout.once('error', stop);
  });
}
