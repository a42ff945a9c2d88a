import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStore } from '../audit/audit-store.js';
import { openAuditSegment } from '../audit/segment-writer.js';
import { BridgeErrorCode } from '../bridge/protocol.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { until } from '../testing/until.js';
import { DisconnectedAttempts, TRYING_WINDOW_MS } from './disconnected-attempts.js';

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome();
});
afterEach(() => tmp.cleanup());

describe('calls refused by the kill switch, from the audit log', () => {
  it('names the client and counts its tries; forgets them after ten minutes', async () => {
    const seg = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'prj_a', sessionId: 's1' });
    const refused = {
      projectId: 'prj_a',
      projectName: 'acme',
      sessionId: 's1',
      client: { name: 'Cursor' },
      direction: 'bridge',
      kind: 'error',
      method: 'tools/call',
      status: 'error',
      errorCode: BridgeErrorCode.DISCONNECTED,
    } as const;
    seg.write(refused);
    seg.write({ ...refused, errorCode: BridgeErrorCode.UNREACHABLE });
    await seg.flush();
    let now = Date.now();
    const store = new AuditStore(tmp.dataDir, { pollMs: 50 });
    const attempts = new DisconnectedAttempts(store, () => now);
    let changes = 0;
    const stop = attempts.start(() => changes++);
    try {
      expect(await attempts.list()).toEqual([
        {
          projectId: 'prj_a',
          kind: 'disconnected-trying',
          message:
            'Cursor tried acme once while it is disconnected — reconnect it if that is wanted.',
          tries: { client: 'Cursor', count: 1 },
        },
      ]);
      seg.write(refused);
      seg.write(refused);
      await seg.flush();
      await until(async () => (await attempts.list())[0]?.message.includes('3 times') === true);
      expect((await attempts.list())[0]!.message).toContain('Cursor tried acme 3 times');
      expect((await attempts.list())[0]!.tries).toEqual({ client: 'Cursor', count: 3 });
      now += TRYING_WINDOW_MS + 1_000;
      expect(await attempts.list()).toEqual([]);
      expect(changes).toBeGreaterThanOrEqual(1);
    } finally {
      stop();
      store.close();
      await seg.close();
    }
  });
});
