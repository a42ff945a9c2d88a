// `npm run conformance`: the MCP conformance server suite against our conformance-target server,
// once directly and once through `switchboard bridge` (behind a test-only HTTP front); the
// counts must match. Prints per-scenario results and ends with
// `conformance: N passed, M failed` (checks through the bridge).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProjectsService } from '../app/projects/projects-service.js';
import { startConformanceFront } from '../app/testing/conformance-front.js';
import { startConformanceServer } from '../app/testing/conformance-server.js';
import { REPO_ROOT } from '../app/testing/run-cli.js';

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
async function runSuite(url: string, outDir: string): Promise<Map<string, Check[]>> {
  fs.mkdirSync(outDir, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, 'server', '--url', url, '-o', outDir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
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

/** The client suite: the bridge as the HTTP client, one scenario at a time (sse-retry is timed). */
const CLIENT_SCENARIOS = [
  'initialize',
  'tools_call',
  'sse-retry',
  'elicitation-sep1034-client-defaults',
];

async function runClientScenario(scenario: string, outDir: string): Promise<Check[] | undefined> {
  fs.mkdirSync(outDir, { recursive: true });
  const command = `${process.execPath} ${path.join(REPO_ROOT, 'out', 'conformance', 'conformance-client.mjs')}`;
  // The scenario servers listen on every interface: run them in a private network namespace
  // whose only interface is its own loopback.
  const script = `ip link set lo up && exec "$0" "$@"`;
  const args = [
    '-n',
    'sh',
    '-c',
    script,
    process.execPath,
    RUNNER,
    'client',
    '--command',
    command,
    '--scenario',
    scenario,
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

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-conformance-'));
const target = await startConformanceServer();
const dataDir = path.join(work, 'data');
await new ProjectsService(dataDir).add({ name: 'conformance', url: target.url });
const env = {
  ...process.env,
  HOME: work,
  SWITCHBOARD_HOME: dataDir,
  SWITCHBOARD_SECRET_STORE: 'file',
};
const front = await startConformanceFront({ project: 'conformance', env });
let exitCode: number;
try {
  process.stderr.write(`[conformance] server suite direct against ${target.url}\n`);
  const direct = await runSuite(target.url, path.join(work, 'direct'));
  process.stderr.write(`[conformance] server suite through the bridge (${front.url})\n`);
  const bridged = await runSuite(front.url, path.join(work, 'bridged'));
  const names = [...new Set([...direct.keys(), ...bridged.keys()])].sort();
  for (const name of names) {
    const d = verdict(direct.get(name));
    const b = verdict(bridged.get(name));
    const failures = (bridged.get(name) ?? [])
      .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
      .map((c) => `${c.id}: ${c.errorMessage ?? c.status}`)
      .join('; ');
    process.stdout.write(
      `${name.padEnd(36)} direct ${d.padEnd(7)} bridge ${b}${d !== b ? '   <-- differs' : ''}${failures ? `  (${failures.slice(0, 300)})` : ''}\n`,
    );
  }
  const clientRuns = new Map<string, Check[]>();
  for (const scenario of CLIENT_SCENARIOS) {
    process.stderr.write(
      `[conformance] client scenario ${scenario} with the bridge as the client\n`,
    );
    const checks = await runClientScenario(scenario, path.join(work, 'client', scenario));
    if (checks) clientRuns.set(`client-${scenario}`, checks);
    const failures = (checks ?? [])
      .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
      .map((c) => `${c.id}: ${c.errorMessage ?? c.status}`)
      .join('; ');
    process.stdout.write(
      `${`client-${scenario}`.padEnd(36)} bridge ${verdict(checks)}${failures ? `  (${failures.slice(0, 300)})` : ''}\n`,
    );
  }
  const dc = count(direct);
  const bc = count(bridged);
  const cc = count(clientRuns);
  const clientMissing = CLIENT_SCENARIOS.length - clientRuns.size;
  const same = dc.passed === bc.passed && dc.failed === bc.failed;
  process.stdout.write(
    `direct: ${dc.passed} passed, ${dc.failed} failed; through the bridge: ${bc.passed} passed, ${bc.failed} failed${same ? ' (same)' : ' (DIFFERENT)'}\n`,
  );
  process.stdout.write(
    `client suite (bridge as the HTTP client): ${cc.passed} passed, ${cc.failed} failed${clientMissing ? `, ${clientMissing} scenario(s) produced no result` : ''}\n`,
  );
  const failed = bc.failed + cc.failed + clientMissing;
  process.stdout.write(`conformance: ${bc.passed + cc.passed} passed, ${failed} failed\n`);
  exitCode = failed === 0 && same ? 0 : 1;
} finally {
  await front.close();
  await target.close();
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
