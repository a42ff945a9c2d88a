import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditSegment } from '../audit/segment-writer.js';
import { createServices } from '../services.js';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// Issue 16 item 10: peer-chosen text with terminal escape sequences, through the built CLI.
let home: TempHome;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  home = await makeTempHome('sb-esc-');
  env = { ...home.env, SWITCHBOARD_SECRET_STORE: 'file' };
});
afterEach(() => home.cleanup());

const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J\u001b[H';
const CSI8 = '\u009b31m';
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('control characters in human output', () => {
  it('audit neutralises them (the same Io serves --follow); audit --json keeps the exact text', async () => {
    const seg = openAuditSegment({
      dataDir: home.dataDir,
      projectId: 'prj_a',
      projectName: 'acme',
      sessionId: 's1',
    });
    const method = `tools/call${TITLE}`;
    seg.write({
      projectId: 'prj_a',
      direction: 'client->server',
      kind: 'request',
      method,
      id: '1',
      target: `x${CLEAR}${CSI8}`,
    });
    await seg.close();
    const human = await runCliProcess(['audit'], { env });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).not.toMatch(RAW);
    expect(human.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(human.stdout).toContain('\\x9b31m');
    const json = await runCliProcess(['audit', '--json'], { env });
    const rows = JSON.parse(json.stdout) as Array<{ method: string; target: string }>;
    expect(rows[0]?.method).toBe(method);
    expect(rows[0]?.target).toBe(`x${CLEAR}${CSI8}`);
  });

  it('doctor and clients neutralise an entry name and path', async () => {
    const services = createServices({ dataDir: home.dataDir, env });
    const cursor = (await services.clients.configPath({ client: 'cursor' })).path;
    await fs.mkdir(path.dirname(cursor), { recursive: true });
    const evil = `evil${CLEAR}`;
    await fs.writeFile(
      cursor,
      JSON.stringify({ mcpServers: { [evil]: { url: 'https://svc.example.com/mcp' } } }),
    );
    const doctor = await runCliProcess(['doctor'], { env });
    expect(doctor.stdout + doctor.stderr).toContain('evil\\x1b[2J');
    expect(doctor.stdout + doctor.stderr).not.toMatch(RAW);
    const clients = await runCliProcess(['clients'], { env });
    expect(clients.stdout + clients.stderr).not.toMatch(RAW);
  });
});
