import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStore } from '../audit/audit-store.js';
import { openAuditSegment } from '../audit/segment-writer.js';
import { BridgeErrorCode } from '../bridge/protocol.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { AuthFailures } from './auth-failures.js';
import { until } from '../testing/until.js';

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome();
});
afterEach(() => tmp.cleanup());

describe('auth failures from the audit log', () => {
  it('flags a project after an AUTH error and clears it after a success', async () => {
    const seg = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'prj_a', sessionId: 's1' });
    const base = { projectId: 'prj_a', projectName: 'acme', sessionId: 's1' } as const;
    seg.write({
      ...base,
      direction: 'server->client',
      kind: 'response',
      method: 'tools/list',
      status: 'ok',
    });
    seg.write({
      ...base,
      direction: 'bridge',
      kind: 'error',
      method: 'tools/call',
      status: 'error',
      errorCode: BridgeErrorCode.AUTH,
      errorMessage: 'Switchboard (acme): token expired — rotate it in Switchboard.',
    });
    seg.write({
      ...base,
      direction: 'bridge',
      kind: 'error',
      status: 'error',
      errorCode: BridgeErrorCode.UNREACHABLE,
    });
    await seg.flush();

    const store = new AuditStore(tmp.dataDir, { pollMs: 50 });
    const failures = new AuthFailures(store);
    let changes = 0;
    const stop = failures.start(() => changes++);
    try {
      expect(await failures.list()).toEqual([
        {
          projectId: 'prj_a',
          kind: 'auth-failed',
          message: 'acme: sign-in failed — token expired — rotate it in Switchboard.',
        },
      ]);
      seg.write({
        ...base,
        direction: 'server->client',
        kind: 'response',
        method: 'tools/call',
        status: 'ok',
      });
      await seg.flush();
      await until(async () => (await failures.list()).length === 0);
      expect(changes).toBeGreaterThanOrEqual(2);
    } finally {
      stop();
      store.close();
      await seg.close();
    }
  });
});
