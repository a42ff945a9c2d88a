import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCliProcess } from '../testing/run-cli';
import { makeTempHome, type TempHome } from '../testing/temp-home';
import { AuditEventSchema, type AuditEvent } from './audit-event';
import { openAuditSegment } from './segment-writer';
import { sampleExchange } from './testing/sample-events';

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome('sb-audit-cli-');
});
afterEach(async () => {
  await tmp.cleanup();
});

/** 17 tool calls (34 events) one minute apart ending now; call 16 fails. */
async function seed(sessionId = 'ses_cli', projectId = 'prj_cli', client = 'claude-code') {
  const sink = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId,
    projectName: 'cli-proj',
    sessionId,
  });
  const now = Date.now();
  for (let i = 0; i < 17; i++) {
    const ts = new Date(now - (17 - i) * 60_000).toISOString();
    for (const e of sampleExchange(i, { projectId, client, ts })) sink.write(e);
  }
  await sink.close();
}

const cli = (args: string[]) => runCliProcess(args, { env: tmp.env });

test('audit lists, filters and prints JSON', async () => {
  await seed();
  const all = await cli(['audit', '--json', '--limit', '100']);
  expect(all.code, all.stderr).toBe(0);
  const events = (JSON.parse(all.stdout) as AuditEvent[]).map((e) => AuditEventSchema.parse(e));
  expect(events).toHaveLength(34);
  expect(events[0]!.ts <= events[33]!.ts).toBe(true); // chronological

  const errors = await cli(['audit', '--project', 'cli-proj', '--status', 'error', '--json']);
  expect(JSON.parse(errors.stdout)).toMatchObject([{ kind: 'error', id: '16', errorCode: -32603 }]);

  const tool = await cli(['audit', '--tool', 'add', '--client', 'claude-code', '--json']);
  expect((JSON.parse(tool.stdout) as AuditEvent[]).map((e) => e.id)).toEqual([
    '1',
    '1',
    '7',
    '7',
    '13',
    '13',
  ]);

  const recent = await cli(['audit', '--since', '150s', '--method', 'tools/*', '--json']);
  expect((JSON.parse(recent.stdout) as AuditEvent[]).map((e) => e.id)).toEqual([
    '15',
    '15',
    '16',
    '16',
  ]);

  const limited = await cli(['audit', '--limit', '3']);
  expect(limited.code).toBe(0);
  const lines = limited.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^TIME\s+PROJECT\s+CLIENT\s+KIND\s+METHOD\s+TARGET\s+STATUS\s+MS$/);
  expect(lines).toHaveLength(4);
  expect(lines[3]).toMatch(
    /cli-proj\s+claude-code\s+error\s+tools\/call\s+sampleLLM\s+error -32603/,
  );

  const none = await cli(['audit', '--project', 'nope']);
  expect(none.stdout).toContain('No audit events match');
});

test('bad flags are usage errors that say what to use', async () => {
  const since = await cli(['audit', '--since', 'last tuesday']);
  expect(since.code).toBe(2);
  expect(since.stderr).toContain('Use 1h, 24h, 7d, today');
  const status = await cli(['audit', '--status', 'weird']);
  expect(status.code).toBe(2);
  expect(status.stderr).toContain('--status must be ok or error');
  const format = await cli(['audit', 'export', '--format', 'xml']);
  expect(format.code).toBe(2);
  expect(format.stderr).toContain('--format must be jsonl or csv');
});

test('audit export writes JSON Lines to stdout and CSV to a file', async () => {
  await seed();
  const jsonl = await cli(['audit', 'export', '--format', 'jsonl', '--status', 'error']);
  expect(jsonl.code, jsonl.stderr).toBe(0);
  const rows = jsonl.stdout
    .trimEnd()
    .split('\n')
    .map((l) => AuditEventSchema.parse(JSON.parse(l)));
  expect(rows.map((r) => r.id)).toEqual(['16']);
  const out = path.join(tmp.home, 'sel.csv');
  const csv = await cli(['audit', 'export', '--format', 'csv', '--tool', 'echo', '--out', out]);
  expect(csv.code, csv.stderr).toBe(0);
  expect(csv.stderr).toContain(`Exported 6 event(s) to ${out}`);
  const text = await fs.readFile(out, 'utf8');
  expect(text.trimEnd().split('\r\n')).toHaveLength(7);
  expect(text.split('\r\n')[0]).toMatch(
    /^ts,project,projectId,session,client,direction,kind,method/,
  );
});

test('audit --follow prints new events as they are written, then stops on SIGTERM', async () => {
  await seed();
  const child = spawn(process.execPath, [CLI_PATH, 'audit', '--follow', '--json', '--limit', '2'], {
    env: tmp.env,
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = async (pred: () => boolean) => {
    for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
  };
  try {
    await waitFor(() => out.split('\n').length > 2);
    expect(out.trimEnd().split('\n')).toHaveLength(2); // the backlog
    const live = openAuditSegment({
      dataDir: tmp.dataDir,
      projectId: 'prj_cli',
      sessionId: 'live',
    });
    live.write({
      projectId: 'prj_cli',
      direction: 'bridge',
      kind: 'session-start',
      detail: { pid: 1 },
    });
    await live.close();
    await waitFor(() => out.includes('session-start'));
    const last = JSON.parse(out.trimEnd().split('\n').pop()!) as AuditEvent;
    expect(last).toMatchObject({ kind: 'session-start', sessionId: 'live' });
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
});
