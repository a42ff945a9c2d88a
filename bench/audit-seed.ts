/**
 * Seeds a data dir with `events` audit events written through the real segment writer: 250
 * sessions, 5 projects, 4 clients, spread over 7 days. Shared by the audit benchmarks.
 */
import { openAuditSegment } from '../app/audit/segment-writer.js';
import { sampleExchange } from '../app/audit/testing/sample-events.js';

const SESSIONS = 250;
const CLIENTS = ['claude-code', 'cursor', 'vscode', 'codex'];
export const DAY = 86_400_000;

export async function generate(dataDir: string, now: number, events: number): Promise<number> {
  const perSession = Math.floor(events / SESSIONS / 2); // exchanges
  const span = (7 * DAY) / SESSIONS;
  let written = 0;
  for (let s = 0; s < SESSIONS; s++) {
    const projectId = `prj_${s % 5}`;
    const client = CLIENTS[s % CLIENTS.length]!;
    const sink = openAuditSegment({
      dataDir,
      projectId,
      projectName: `project-${s % 5}`,
      sessionId: `ses_${s}`,
      maxBufferedEvents: 1_000_000,
      maxBufferedBytes: 1024 * 1024 * 1024,
    });
    const start = now - 7 * DAY + s * span;
    for (let i = 0; i < perSession; i++) {
      const ts = new Date(start + (i / perSession) * span * 0.9).toISOString();
      const [req, res] = sampleExchange(i, { projectId, client, ts });
      // A selective needle: one tool called once per 10 000 calls.
      if ((s * perSession + i) % 10_000 === 4242) {
        req.target = 'rare-tool';
        res.target = 'rare-tool';
      }
      sink.write(req);
      sink.write(res);
      if (i % 2000 === 1999) await sink.flush();
    }
    await sink.close();
    written += perSession * 2;
  }
  return written;
}
