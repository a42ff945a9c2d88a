// Bridge memory under a hostile server (not a test): the server answers a tools/call with an
// SSE event whose line never ends, up to --gb gigabytes; we sample the bridge's RSS while it
// streams. Prints one JSON document on stdout.
//
//   npm run bench:rss [-- --gb 6 --limit 67108864 --transport lean|sdk]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectsService } from '../app/projects/projects-service.js';
import { startHostileServer } from '../app/testing/hostile-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : (process.argv[i + 1] ?? dflt);
};
const GB = Number(arg('gb', '6'));
const LIMIT = arg('limit', '');
const TRANSPORT = arg('transport', 'lean');

const rssBytes = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
};

async function main() {
  const max = GB * 1024 ** 3;
  let sent = 0;
  const chunk = Buffer.alloc(256 * 1024, 'x');
  const server = await startHostileServer({
    onRequest: ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":"');
      const pump = () => {
        while (sent < max && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (sent >= max) res.end();
      };
      pump();
    },
  });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-bench-rss-'));
  const dataDir = path.join(home, 'data');
  await new ProjectsService(dataDir).add({ name: 'rss', url: server.url });
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'switchboard'), 'bridge', '--project', 'rss'],
    {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        SWITCHBOARD_HOME: dataDir,
        SWITCHBOARD_BRIDGE_TRANSPORT: TRANSPORT,
        ...(LIMIT ? { SWITCHBOARD_MAX_MESSAGE_BYTES: LIMIT } : {}),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines: Array<Record<string, unknown>> = [];
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
      lines.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
      buf = buf.slice(nl + 1);
    }
  });
  const send = (m: object) => child.stdin.write(JSON.stringify(m) + '\n');
  const waitFor = async (id: unknown, timeoutMs: number) => {
    for (let waited = 0; waited < timeoutMs; waited += 20) {
      const found = lines.find((m) => m.id === id);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  };
  send({
    jsonrpc: '2.0',
    id: 'init',
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'rss' } },
  });
  await waitFor('init', 10_000);
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await new Promise((r) => setTimeout(r, 300));
  const baseline = rssBytes(child.pid!);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(child.pid!))), 20);
  const started = performance.now();
  send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'endless', arguments: {} } });
  const answer = await waitFor(1, 600_000);
  const answeredMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 500));
  clearInterval(sampler);
  const after = rssBytes(child.pid!);
  const alive = child.exitCode === null;
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  await server.close();
  fs.rmSync(home, { recursive: true, force: true });
  const limit = LIMIT ? Number(LIMIT) : 64 * 1024 * 1024;
  process.stdout.write(
    JSON.stringify(
      {
        bench: 'bridge-rss-endless-sse-line',
        transport: TRANSPORT,
        offeredBytes: max,
        sentBeforeCutBytes: sent,
        limitBytes: limit,
        baselineRssBytes: baseline,
        peakRssBytes: peak,
        rssAfterBytes: after,
        boundBytes: 2 * limit + baseline,
        withinBound: peak < 2 * limit + baseline,
        answerCode: (answer?.error as { code?: number } | undefined)?.code ?? null,
        answeredAfterMs: Math.round(answeredMs),
        bridgeAlive: alive,
      },
      null,
      2,
    ) + '\n',
  );
}

void main();
