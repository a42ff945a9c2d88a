// Bridge overhead benchmark (not a test): our bridge vs mcp-remote vs supergateway vs the SDK
// client talking HTTP directly. Prints one JSON document on stdout; progress goes to stderr.
//
//   npm run bench [-- --runs 5 --calls 1000 --throughput 800 --only switchboard,direct --bearer]
// (--bearer adds `switchboard-bearer`: the bridge with a token, so every message also passes the
// echoed-secret check.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bridgeLaunch } from '../app/clients/bridge-command.js';
import { ProjectsService } from '../app/projects/projects-service.js';
import { ROOT, arg, median, round, startUpstream } from './bench-kit.js';
import { createServices } from '../app/services.js';

const RUNS = Number(arg('runs', '5'));
const CALLS = Number(arg('calls', '1000'));
const THROUGHPUT_CALLS = Number(arg('throughput', '800'));
const CONCURRENCY = 16;
const ONLY = arg('only', 'switchboard,mcp-remote,supergateway').split(',').filter(Boolean);
// `switchboard-bearer`: the same bridge with a bearer token, so every message also passes the
// echoed-secret check (a substring test per message) and carries the credential header.
if (process.argv.includes('--bearer')) ONLY.push('switchboard-bearer');
const log = (s: string) => process.stderr.write(s + '\n');

type Variant = { name: string; command: string; args: string[]; env: NodeJS.ProcessEnv };

async function main() {
  const { url, child: upstream } = await startUpstream('upstream-server.mjs');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-bench-'));
  const dataDir = path.join(home, 'data');
  const env = {
    ...process.env,
    HOME: home,
    SWITCHBOARD_HOME: dataDir,
    XDG_CONFIG_HOME: path.join(home, '.config'),
  };
  const project = await new ProjectsService(dataDir).add({ name: 'bench', url });
  // Exactly what an install writes into a client's config for a checkout.
  const launch = bridgeLaunch(
    { kind: 'dev', nodePath: process.execPath, cliPath: path.join(ROOT, 'bin', 'switchboard') },
    project.id,
  );

  const bearer = await new ProjectsService(dataDir).add({
    name: 'bench-bearer',
    url,
    auth: 'bearer',
  });
  const fileStoreEnv = { ...env, SWITCHBOARD_SECRET_STORE: 'file' };
  await createServices({ dataDir, env: fileStoreEnv }).tokens.add({
    project: bearer.id,
    value: 'sbt_benchToken0123456789abcdefABCDEF',
  });
  const bearerLaunch = bridgeLaunch(
    { kind: 'dev', nodePath: process.execPath, cliPath: path.join(ROOT, 'bin', 'switchboard') },
    bearer.id,
  );
  const variants: Variant[] = [
    {
      name: 'switchboard',
      command: launch.command,
      args: launch.args,
      env: { ...env, ...launch.env },
    },
    {
      name: 'switchboard-bearer',
      command: bearerLaunch.command,
      args: bearerLaunch.args,
      env: { ...fileStoreEnv, ...bearerLaunch.env },
    },
    {
      name: 'mcp-remote',
      command: process.execPath,
      args: [path.join(ROOT, 'node_modules', 'mcp-remote', 'dist', 'proxy.js'), url],
      env,
    },
    {
      name: 'supergateway',
      command: process.execPath,
      args: [
        path.join(ROOT, 'node_modules', 'supergateway', 'dist', 'index.js'),
        '--streamableHttp',
        url,
        '--logLevel',
        'none',
      ],
      env,
    },
  ].filter((v) => ONLY.includes(v.name));

  const results: Record<string, Run[]> = { direct: [] };
  for (const v of variants) results[v.name] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // Alternate the order so drift (thermal, other load) spreads evenly.
      const order = run % 2 === 0 ? variants : [...variants].reverse();
      results.direct!.push(await measureDirect(url));
      for (const v of order) {
        log(`run ${run + 1}/${RUNS}: ${v.name}`);
        // A fresh direct client per pairing: SDK v1's HTTP transport adds an abort listener per
        // request and never removes it, so past ~1,500 calls Node prints a warning per call,
        // which would slow the direct side and flatter the ratio.
        const direct = await connectDirect(url);
        try {
          results[v.name]!.push(await measureVariant(v, direct));
        } finally {
          await direct.close();
        }
      }
    }
  } finally {
    upstream.kill('SIGTERM');
    fs.rmSync(home, { recursive: true, force: true });
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, runs]) => [name, summarize(runs)]),
  );
  const ref = summary['mcp-remote'];
  const table = Object.entries(summary).map(([name, s]) => ({
    name,
    coldStartMs: s.coldStartMs,
    coldStartVsMcpRemote: ref?.coldStartMs ? round(s.coldStartMs! / ref.coldStartMs) : null,
    p50Ms: s.p50Ms,
    p90Ms: s.p90Ms,
    p99Ms: s.p99Ms,
    pairedP50VsDirect: s.pairedP50Ratio,
    throughputPerS: s.throughputPerS,
    throughputVsDirect:
      s.throughputPerS && summary.direct?.throughputPerS
        ? round(s.throughputPerS / summary.direct.throughputPerS)
        : null,
    oneMbMs: s.oneMbMs,
    rssMb: s.rssMb,
    privateMb: s.privateMb,
    cpuMsPerCall: s.cpuMsPerCall,
    cpuVsMcpRemote:
      ref?.cpuMsPerCall && s.cpuMsPerCall ? round(s.cpuMsPerCall / ref.cpuMsPerCall) : null,
  }));
  process.stdout.write(
    JSON.stringify(
      {
        machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() },
        settings: {
          runs: RUNS,
          calls: CALLS,
          throughputCalls: THROUGHPUT_CALLS,
          concurrency: CONCURRENCY,
        },
        table,
        runs: results,
      },
      null,
      2,
    ) + '\n',
  );
}

interface Run {
  coldStartMs?: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  pairedP50Ratio?: number;
  throughputPerS: number;
  oneMbMs: number;
  rssMb?: number;
  /** Memory no other process shares (RSS minus the node binary's and libraries' shared pages). */
  privateMb?: number;
  cpuMsPerCall?: number;
}

async function connectDirect(url: string): Promise<Client> {
  const client = new Client({ name: 'bench-direct', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const echo = (c: Client, i: number) =>
  c.callTool({ name: 'echo', arguments: { message: `m${i}` } });

async function latencies(c: Client, n: number, paired?: Client) {
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await echo(c, i);
    mine.push(performance.now() - t);
    if (paired) {
      t = performance.now();
      await echo(paired, i);
      theirs.push(performance.now() - t);
    }
  }
  return { mine, theirs };
}

async function throughput(c: Client): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT_CALLS) await echo(c, next++);
    }),
  );
  return (THROUGHPUT_CALLS / (performance.now() - t)) * 1000;
}

async function oneMb(c: Client): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await c.callTool({ name: 'big', arguments: { bytes: 1024 * 1024 } });
    times.push(performance.now() - t);
  }
  return median(times);
}

async function measureDirect(url: string): Promise<Run> {
  const t = performance.now();
  const c = await connectDirect(url);
  const coldStartMs = performance.now() - t;
  try {
    await latencies(c, 50); // warm-up
    const { mine } = await latencies(c, CALLS);
    return {
      coldStartMs,
      ...percentiles(mine),
      pairedP50Ratio: 1,
      throughputPerS: await throughput(c),
      oneMbMs: await oneMb(c),
    };
  } finally {
    await c.close();
  }
}

async function measureVariant(v: Variant, direct: Client): Promise<Run> {
  const transport = new StdioClientTransport({
    command: v.command,
    args: v.args,
    env: v.env as Record<string, string>,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench-stdio', version: '1' });
  const t = performance.now();
  await client.connect(transport);
  const coldStartMs = performance.now() - t;
  try {
    await latencies(client, 50, direct); // warm-up
    const pid = transport.pid ?? undefined;
    const cpu0 = pid ? cpuMs(pid) : undefined;
    const { mine, theirs } = await latencies(client, CALLS, direct);
    const cpu1 = pid ? cpuMs(pid) : undefined;
    const rssMb = pid ? rss(pid) : undefined;
    const privateMb = pid ? privateMemory(pid) : undefined;
    return {
      coldStartMs,
      ...percentiles(mine),
      pairedP50Ratio: round(median(mine) / median(theirs)),
      throughputPerS: await throughput(client),
      oneMbMs: await oneMb(client),
      ...(rssMb !== undefined ? { rssMb } : {}),
      ...(privateMb !== undefined ? { privateMb } : {}),
      ...(cpu0 !== undefined && cpu1 !== undefined
        ? { cpuMsPerCall: round((cpu1 - cpu0) / CALLS, 3) }
        : {}),
    };
  } finally {
    await client.close();
  }
}

/** utime+stime of a process and its children-in-waiting, in ms (Linux /proc). */
function cpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

function rss(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return round(kb / 1024, 1);
  } catch {
    return undefined;
  }
}

/** Private_Clean + Private_Dirty of a process, in MB (Linux /proc smaps_rollup). */
function privateMemory(pid: number): number | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return round((kb('Private_Clean') + kb('Private_Dirty')) / 1024, 1);
  } catch {
    return undefined;
  }
}

function percentiles(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => round(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0, 3);
  return { p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99) };
}

function summarize(runs: Run[]) {
  const med = (k: keyof Run) => {
    const xs = runs.map((r) => r[k]).filter((x): x is number => typeof x === 'number');
    return xs.length ? round(median(xs), 3) : undefined;
  };
  return {
    coldStartMs: med('coldStartMs'),
    p50Ms: med('p50Ms'),
    p90Ms: med('p90Ms'),
    p99Ms: med('p99Ms'),
    pairedP50Ratio: med('pairedP50Ratio'),
    throughputPerS: med('throughputPerS'),
    oneMbMs: med('oneMbMs'),
    rssMb: med('rssMb'),
    privateMb: med('privateMb'),
    cpuMsPerCall: med('cpuMsPerCall'),
  };
}

await main();
