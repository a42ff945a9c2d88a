import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home';
import { AuditStore } from './audit-store';
import { auditDir } from './segment-files';
import { openAuditSegment } from './segment-writer';

// Issue 16 items 3 and 14: a peer can put a token into any field of an audit event, and a token
// holding `"` or `\` appears JSON-escaped in stored text. Real segment files in a temp data dir,
// read back through the store and both export formats.
let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome('sb-audit-redact-');
});
afterEach(async () => {
  await tmp.cleanup();
});

// Short (no pattern matches it), and with the characters JSON escapes.
const SECRETS = ['q7"x\\z9', 'k2v9m'];
const escaped = (s: string) => JSON.stringify(s).slice(1, -1);

async function everythingStored(): Promise<string> {
  const dir = auditDir(tmp.dataDir);
  const files = await fs.readdir(dir);
  const raw = (await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')))).join(
    '',
  );
  const store = new AuditStore(tmp.dataDir);
  await store.refresh();
  const jsonl = path.join(tmp.home, 'out.jsonl');
  const csv = path.join(tmp.home, 'out.csv');
  await store.exportToFile({}, 'jsonl', jsonl);
  await store.exportToFile({}, 'csv', csv);
  const page = await store.query({});
  return [
    raw,
    await fs.readFile(jsonl, 'utf8'),
    await fs.readFile(csv, 'utf8'),
    JSON.stringify(page),
  ].join('\n');
}

describe('audit redaction of known secret values', () => {
  it('reaches every field: method, a short id, client name and version, target, error, detail, preview', async () => {
    const [a, b] = SECRETS as [string, string];
    const seg = openAuditSegment({
      dataDir: tmp.dataDir,
      projectId: 'prj_a',
      projectName: 'acme',
      sessionId: 'ses_1',
    });
    seg.addSecret(a);
    seg.addSecret(b);
    const client = { name: `cli-${a}`, version: b };
    seg.write({
      projectId: 'prj_a',
      direction: 'server->client',
      kind: 'request',
      method: a,
      id: b,
      client,
      payload: { jsonrpc: '2.0', id: b, method: a },
    });
    seg.write({
      projectId: 'prj_a',
      direction: 'client->server',
      kind: 'request',
      method: 'tools/call',
      id: '7',
      target: `t-${b}`,
      client,
      payload: { params: { note: `x${a}y` } },
    });
    seg.write({
      projectId: 'prj_a',
      direction: 'server->client',
      kind: 'error',
      id: '7',
      errorMessage: `bad ${a}`,
      client,
      detail: { why: b },
    });
    await seg.close();
    const all = await everythingStored();
    for (const s of SECRETS) {
      expect(all).not.toContain(s);
      expect(all).not.toContain(escaped(s));
    }
    expect(all).toContain('[REDACTED]');
    // The events are still there, with their non-secret fields.
    expect(all).toContain('tools/call');
  });
});
