import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { redactSecrets } from '../shared/redact.js';
import { withQuerySecrets } from '../tokens/url-secrets.js';
import { APP_VERSION } from '../version.js';

export interface TestConnectionOptions {
  url: string;
  headers: Record<string, string>;
  /** Values to scrub from everything we report (a server may echo them in any field). */
  secretValues?: string[];
  /** Secret query parameters, added to the URL on the wire only (never to the report). */
  query?: Record<string, string>;
  tool?: string;
  args?: Record<string, unknown>;
  expectTools?: string[];
  timeoutMs?: number;
  project?: string;
}

export type FailureKind = 'transport' | 'auth' | 'contract';

export interface TestReport {
  ok: boolean;
  /** 0 pass, 1 transport or auth failure, 2 contract failure (CLI.md). */
  exitCode: 0 | 1 | 2;
  url: string;
  project?: string;
  server?: { name: string; version: string };
  protocolVersion?: string;
  tools: string[];
  missingTools: string[];
  call?: { tool: string; isError: boolean; preview: string };
  timings: { initializeMs?: number; listToolsMs?: number; callMs?: number; totalMs: number };
  failure?: {
    kind: FailureKind;
    stage: 'initialize' | 'tools/list' | 'tools/call' | 'expectations';
    message: string;
    httpStatus?: number;
  };
}

const MAX_TOOL_PAGES = 50;

/**
 * Initialize → list tools → optionally call one, against a Streamable HTTP endpoint. Used by
 * `switchboard test` and by the add-project flow in the UI. Never throws; never reports a secret.
 */
export async function testConnection(opts: TestConnectionOptions): Promise<TestReport> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const scrub = (s: string) => redactSecrets(s, opts.secretValues ?? []);
  const report: TestReport = {
    ok: false,
    exitCode: 1,
    url: opts.url,
    ...(opts.project ? { project: opts.project } : {}),
    tools: [],
    missingTools: [],
    timings: { totalMs: 0 },
  };
  const finish = (failure?: TestReport['failure']): TestReport => {
    report.timings.totalMs = Math.round(performance.now() - started);
    // Everything the server chose (names, versions, tool names, previews) is scrubbed.
    if (report.server) {
      report.server = { name: scrub(report.server.name), version: scrub(report.server.version) };
    }
    report.tools = report.tools.map(scrub);
    report.missingTools = report.missingTools.map(scrub);
    if (report.call) report.call = { ...report.call, preview: scrub(report.call.preview) };
    if (failure) {
      report.failure = { ...failure, message: scrub(failure.message) };
      report.exitCode = failure.kind === 'contract' ? 2 : 1;
      report.ok = false;
    } else {
      report.ok = true;
      report.exitCode = 0;
    }
    return report;
  };

  const transport = new StreamableHTTPClientTransport(
    withQuerySecrets(new URL(opts.url), opts.query ?? {}),
    {
      requestInit: { headers: opts.headers },
    },
  );
  const client = new Client(
    { name: 'switchboard-test', version: APP_VERSION },
    { capabilities: {} },
  );
  const reqOpts = { timeout: timeoutMs, maxTotalTimeout: timeoutMs };
  let stage: NonNullable<TestReport['failure']>['stage'] = 'initialize';
  try {
    let t = performance.now();
    await withTimeout(client.connect(transport, reqOpts), timeoutMs, 'initialize');
    report.timings.initializeMs = Math.round(performance.now() - t);
    const info = client.getServerVersion();
    if (info) report.server = { name: info.name, version: info.version };
    const pv = transport.protocolVersion;
    if (pv) report.protocolVersion = pv;

    stage = 'tools/list';
    t = performance.now();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const res = await client.listTools(cursor ? { cursor } : {}, reqOpts);
      report.tools.push(...res.tools.map((tool) => tool.name));
      cursor = res.nextCursor;
      if (!cursor) break;
    }
    report.timings.listToolsMs = Math.round(performance.now() - t);

    stage = 'expectations';
    report.missingTools = (opts.expectTools ?? []).filter((n) => !report.tools.includes(n));
    if (report.missingTools.length > 0) {
      return finish({
        kind: 'contract',
        stage,
        message: `The server does not offer ${report.missingTools.join(', ')} (it has: ${report.tools.join(', ') || 'no tools'}).`,
      });
    }
    if (opts.tool) {
      stage = 'tools/call';
      if (!report.tools.includes(opts.tool)) {
        return finish({
          kind: 'contract',
          stage,
          message: `The server has no tool "${opts.tool}".`,
        });
      }
      t = performance.now();
      const result = await client.callTool(
        { name: opts.tool, arguments: opts.args ?? {} },
        undefined,
        reqOpts,
      );
      report.timings.callMs = Math.round(performance.now() - t);
      const preview = scrub(JSON.stringify(result.content ?? result).slice(0, 500));
      report.call = { tool: opts.tool, isError: result.isError === true, preview };
      if (result.isError) {
        return finish({
          kind: 'contract',
          stage,
          message: `The tool "${opts.tool}" returned an error: ${preview}`,
        });
      }
    }
    return finish();
  } catch (error) {
    return finish(classify(error, stage, opts.url));
  } finally {
    await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

function classify(
  error: unknown,
  stage: NonNullable<TestReport['failure']>['stage'],
  url: string,
): NonNullable<TestReport['failure']> {
  const e = error as { code?: unknown; message?: string; name?: string };
  const message = e?.message ?? String(error);
  const status =
    typeof e?.code === 'number' && e.code >= 100 && e.code < 600
      ? e.code
      : statusFromMessage(message);
  if (status === 401 || status === 403 || e?.name === 'UnauthorizedError') {
    return {
      kind: 'auth',
      stage,
      message: `The server refused the credentials (HTTP ${status ?? 401}). Check or rotate the project's token.`,
      ...(status ? { httpStatus: status } : {}),
    };
  }
  // A JSON-RPC error from the server (it answered, but not as the contract says).
  if (typeof e?.code === 'number' && e.code < 0 && stage !== 'initialize') {
    return {
      kind: 'contract',
      stage,
      message: `The server answered ${stage} with an error: ${message}`,
    };
  }
  const host = new URL(url).host;
  return {
    kind: 'transport',
    stage,
    message: `Could not complete ${stage} with ${host}: ${message}`,
    ...(status ? { httpStatus: status } : {}),
  };
}

function statusFromMessage(message: string): number | undefined {
  const m = /\b(?:HTTP|status(?: code)?)\s*:?\s*(\d{3})\b/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
