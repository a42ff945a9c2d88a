// Protocol-era benchmark (not a test): a 2025 stdio client through our bridge to a
// 2026-07-28-only server, vs `mcp-remote --protocol auto`, vs an SDK v2 client talking HTTP
// directly; our bridge in the 2025 era vs a v1 client direct, and vs the least a forwarder can do
// (bench/forwarder-floor.ts, the per-call floor); cold start as a ratio to a trivial Node stdio
// server (the runtime floor); and 10 bridges' summed PSS next to 10 idle Node processes. All ratios are measured in the same run. JSON on stdout, progress on stderr.
//
//   npm run bench -- --era [--runs 3 --calls 300 --cold 20] [--memory-only] [--against DIR]
//
// `--against DIR` adds another built checkout's bridge (DIR/bin/switchboard) to every paired part:
// this VM's speed changes by 2× within a day, so a change is judged only against its old build
// in the same run (`…VsAgainst` in the table, `coldStart.medianRatioToAgainst`).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2Http,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bridgeLaunch } from '../app/clients/bridge-command.js';
import { ProjectsService } from '../app/projects/projects-service.js';
import { ROOT, arg, median, round, startUpstream } from './bench-kit.js';

const RUNS = Number(arg('runs', '3'));
const CALLS = Number(arg('calls', '300'));
const FLEET = 10;
const COLD_PAIRS = Number(arg('cold', '20'));
const MEMORY_ONLY = process.argv.includes('--memory-only');
const AGAINST = arg('against', '');
/** The `--against` build's variant of one of ours (`switchboard-modern` → `against-modern`). */
const againstOf = (name: string) =>
  AGAINST && name.startsWith('switchboard-')
    ? name.replace(/^switchboard-/, 'against-')
    : undefined;
const log = (s: string) => process.stderr.write(s + '\n');

type Variant = { name: string; command: string; args: string[]; env: NodeJS.ProcessEnv };
interface Caller {
  call(i: number): Promise<unknown>;
  close(): Promise<void>;
}

async function main() {
  if (AGAINST && !fs.existsSync(path.join(AGAINST, 'out', 'cli', 'switchboard.cjs'))) {
    throw new Error(`--against ${AGAINST}: no built checkout there (run \`npm run build\` in it)`);
  }
  const modern = await startUpstream('modern-upstream-server.mjs');
  const legacy = await startUpstream('upstream-server.mjs');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-era-bench-'));
  const dataDir = path.join(home, 'data');
  // What a client passes a server it spawns: a stripped environment plus the entry's env.
  const base = {
    HOME: home,
    PATH: process.env.PATH ?? '',
    SWITCHBOARD_HOME: dataDir,
    SWITCHBOARD_SECRET_STORE: 'file',
  };
  const projects = new ProjectsService(dataDir);
  const pModern = await projects.add({ name: 'modern', url: modern.url });
  const pLegacy = await projects.add({ name: 'legacy', url: legacy.url });
  const launch = (id: string, root = ROOT) => {
    const l = bridgeLaunch(
      { kind: 'dev', nodePath: process.execPath, cliPath: path.join(root, 'bin', 'switchboard') },
      id,
    );
    return { command: l.command, args: l.args, env: { ...base, ...l.env } };
  };
  const variants: Record<string, Variant> = {
    floor: {
      name: 'floor',
      command: process.execPath,
      args: [path.join(ROOT, 'out', 'bench', 'floor-server.mjs')],
      env: base,
    },
    'switchboard-modern': { name: 'switchboard-modern', ...launch(pModern.id) },
    'mcp-remote-auto': {
      name: 'mcp-remote-auto',
      command: process.execPath,
      args: [
        path.join(ROOT, 'node_modules', 'mcp-remote', 'dist', 'proxy.js'),
        modern.url,
        '--protocol',
        'auto',
      ],
      env: base,
    },
    'switchboard-legacy': { name: 'switchboard-legacy', ...launch(pLegacy.id) },
    // The per-call floor of any bridge in the 2025 era (bench/forwarder-floor.ts).
    'forwarder-floor': {
      name: 'forwarder-floor',
      command: process.execPath,
      args: [path.join(ROOT, 'out', 'bench', 'forwarder-floor.mjs'), legacy.url],
      env: base,
    },
    ...(AGAINST
      ? {
          'against-modern': { name: 'against-modern', ...launch(pModern.id, AGAINST) },
          'against-legacy': { name: 'against-legacy', ...launch(pLegacy.id, AGAINST) },
        }
      : {}),
  };
  const bridges = Object.keys(variants).filter((n) => /^(switchboard|against)-/.test(n));
  // One spawn each first, so the era cache and the bridge's code cache are warm (what every
  // spawn after the first sees); that first spawn's own cold start is reported too.
  const firstSpawn: Record<string, number> = {};
  for (const name of bridges) {
    const t = performance.now();
    const c = await connectStdio(variants[name]!);
    firstSpawn[name] = round(performance.now() - t, 1);
    await c.caller.close();
  }

  const results: Record<string, Array<Record<string, number>>> = {};
  const push = (name: string, r: Record<string, number>) => (results[name] ??= []).push(r);
  try {
    for (let run = 0; run < (MEMORY_ONLY ? 0 : RUNS); run++) {
      const order = Object.values(variants);
      if (run % 2 === 1) order.reverse();
      push('direct-v2-modern', {
        coldStartMs: await timeConnect(() => connectV2Direct(modern.url)),
      });
      push('direct-v1-legacy', {
        coldStartMs: await timeConnect(() => connectV1Direct(legacy.url)),
      });
      for (const v of order) {
        log(`run ${run + 1}/${RUNS}: ${v.name}`);
        const t = performance.now();
        const c = await connectStdio(v);
        const coldStartMs = performance.now() - t;
        try {
          if (v.name === 'floor') {
            push(v.name, { coldStartMs });
            continue;
          }
          // A fresh direct client per pairing: SDK v1's HTTP transport adds an abort listener
          // per request and never removes it, so past ~1,500 calls Node prints a warning per
          // call, which would slow the direct side and flatter the ratio.
          const paired =
            v.name.endsWith('-legacy') || v.name === 'forwarder-floor'
              ? await connectV1Direct(legacy.url)
              : await connectV2Direct(modern.url);
          try {
            await latencies(c.caller, 30, paired); // warm-up
            const { mine, theirs } = await latencies(c.caller, CALLS, paired);
            push(v.name, {
              coldStartMs,
              p50Ms: median(mine),
              pairedP50VsDirect: median(mine) / median(theirs),
            });
          } finally {
            await paired.close();
          }
        } finally {
          await c.caller.close();
        }
      }
    }
    const coldStart = MEMORY_ONLY
      ? undefined
      : await pairedColdStarts(variants, ['floor', ...bridges]);
    log('memory: 10 bridges vs 10 idle node processes');
    const memory = await fleetMemory(variants['switchboard-modern']!);
    const summary = Object.fromEntries(
      Object.entries(results).map(([name, runs]) => [name, summarize(runs)]),
    );
    const floor = summary.floor?.coldStartMs;
    const forwarderP50 = summary['forwarder-floor']?.p50Ms;
    const table = Object.entries(summary).map(([name, s]) => ({
      name,
      ...s,
      coldStartVsFloor: floor && s.coldStartMs ? round(s.coldStartMs / floor) : null,
      ...(name === 'switchboard-legacy' && forwarderP50 && s.p50Ms
        ? { p50VsForwarderFloor: round(s.p50Ms / forwarderP50) }
        : {}),
      ...againstRatios(name, s, summary),
    }));
    process.stdout.write(
      JSON.stringify(
        {
          machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() },
          settings: { runs: RUNS, calls: CALLS, fleet: FLEET },
          table,
          firstSpawnColdStartMs: firstSpawn,
          coldStart,
          memory,
          runs: results,
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    modern.child.kill('SIGTERM');
    legacy.child.kill('SIGTERM');
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function connectStdio(v: Variant): Promise<{ caller: Caller; pid: number | undefined }> {
  const transport = new StdioClientTransport({
    command: v.command,
    args: v.args,
    env: v.env as Record<string, string>,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'era-bench', version: '1' });
  await client.connect(transport);
  return {
    caller: {
      call: (i) => client.callTool({ name: 'echo', arguments: { message: `m${i}` } }),
      close: () => client.close(),
    },
    pid: transport.pid ?? undefined,
  };
}

/**
 * Cold start against the floor, spawn by spawn: one spawn per run is at the mercy of whatever
 * else the machine does in that second, so COLD_PAIRS rounds alternate the floor and the bridges
 * (order rotating) and each bridge spawn is divided by the floor spawn next to it (and, with
 * `--against`, by the other build's spawn of the same era).
 */
async function pairedColdStarts(variants: Record<string, Variant>, names: string[]) {
  const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const ratios: Record<string, number[]> = {};
  const vsAgainst: Record<string, number[]> = {};
  log(`cold start: ${COLD_PAIRS} rounds of ${names.join(' / ')}`);
  for (let r = 0; r < COLD_PAIRS; r++) {
    const spawnMs: Record<string, number> = {};
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length]!;
      const t = performance.now();
      const c = await connectStdio(variants[name]!);
      spawnMs[name] = performance.now() - t;
      await c.caller.close();
      ms[name]!.push(spawnMs[name]);
    }
    for (const name of names.filter((n) => n !== 'floor')) {
      (ratios[name] ??= []).push(spawnMs[name]! / spawnMs.floor!);
      const other = againstOf(name);
      if (other) (vsAgainst[name] ??= []).push(spawnMs[name]! / spawnMs[other]!);
    }
  }
  const medians = (xs: Record<string, number[]>, digits?: number) =>
    Object.fromEntries(Object.entries(xs).map(([n, v]) => [n, round(median(v), digits)]));
  return {
    rounds: COLD_PAIRS,
    medianMs: medians(ms, 1),
    medianRatioToFloor: medians(ratios),
    ...(AGAINST ? { medianRatioToAgainst: medians(vsAgainst, 3) } : {}),
  };
}

/** With `--against`: this build's p50 and cold start over the other build's, per era. */
function againstRatios(
  name: string,
  s: Record<string, number>,
  summary: Record<string, Record<string, number>>,
): Record<string, number> {
  const againstName = againstOf(name);
  const other = againstName ? summary[againstName] : undefined;
  if (!other) return {};
  const ratio = (k: string) =>
    s[k] && other[k] ? { [`${k}VsAgainst`]: round(s[k] / other[k]!, 3) } : {};
  return { ...ratio('p50Ms'), ...ratio('pairedP50VsDirect'), ...ratio('coldStartMs') };
}

async function connectV2Direct(url: string): Promise<Caller> {
  const client = new V2Client(
    { name: 'era-bench-direct', version: '1' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(new V2Http(new URL(url)));
  return {
    call: (i) => client.callTool({ name: 'echo', arguments: { message: `m${i}` } }),
    close: () => client.close(),
  };
}

async function connectV1Direct(url: string): Promise<Caller> {
  const client = new Client({ name: 'era-bench-direct', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return {
    call: (i) => client.callTool({ name: 'echo', arguments: { message: `m${i}` } }),
    close: () => client.close(),
  };
}

async function timeConnect(connect: () => Promise<Caller>): Promise<number> {
  const t = performance.now();
  const c = await connect();
  const ms = performance.now() - t;
  await c.close();
  return ms;
}

async function latencies(c: Caller, n: number, paired: Caller) {
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await c.call(i);
    mine.push(performance.now() - t);
    t = performance.now();
    await paired.call(i);
    theirs.push(performance.now() - t);
  }
  return { mine, theirs };
}

/**
 * Summed PSS of 10 bridges (connected, a few calls made) vs 10 idle Node processes, twice: 1.5 s
 * after the calls (start-up garbage still there), and idle, 12 s after the calls, once V8's memory
 * reducer has run (about 8 s after a process starts), which is how a client's bridge spends most
 * of its life. Then a burst of concurrent calls in every bridge, and idle again.
 */
async function fleetMemory(bridge: Variant) {
  const bridges: Array<Awaited<ReturnType<typeof connectStdio>>> = [];
  for (let i = 0; i < FLEET; i++) bridges.push(await connectStdio(bridge));
  const idle: ChildProcess[] = [];
  const sample = () => {
    const each = bridges.map((b) => (b.pid ? pss(b.pid) : 0));
    const bridgesPssMb = sum(each);
    const idlePssMb = sum(idle.map((c) => (c.pid ? pss(c.pid) : 0)));
    return {
      bridgesPssMb: round(bridgesPssMb, 1),
      eachBridgePssMb: each.map((mb) => round(mb, 1)),
      idleNodePssMb: round(idlePssMb, 1),
      ratio: idlePssMb ? round(bridgesPssMb / idlePssMb) : null,
    };
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    for (const b of bridges) for (let i = 0; i < 5; i++) await b.caller.call(i);
    for (let i = 0; i < FLEET; i++) {
      idle.push(
        spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' }),
      );
    }
    await sleep(1500);
    const afterCalls = sample();
    await sleep(10_500);
    const idleAfterCalls = sample();
    for (const b of bridges) {
      for (let round = 0; round < 10; round++) {
        await Promise.all(Array.from({ length: 20 }, (_, i) => b.caller.call(i)));
      }
    }
    await sleep(Number(process.env.BURST_IDLE_MS ?? 12_000));
    const idleAfterBurst = sample();
    return { afterCalls, idle: idleAfterCalls, idleAfter200CallsBurst: idleAfterBurst };
  } finally {
    for (const c of idle) c.kill('SIGTERM');
    for (const b of bridges) await b.caller.close();
  }
}

/** Proportional set size in MB (Linux /proc smaps_rollup): shared pages split among sharers. */
function pss(pid: number): number {
  try {
    const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function summarize(runs: Array<Record<string, number>>) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(
    keys.map((k) => [
      k,
      round(median(runs.map((r) => r[k]).filter((x) => x !== undefined) as number[]), 3),
    ]),
  );
}

await main();
