import { describe, expect, it } from 'vitest';
import type { Message } from '../protocol.js';
import { LegacyTranslator, type TranslatorLink } from './legacy-translator.js';

// The translator on its own, with a recording link in place of the era upstream: the order of a
// session's end and a pending change stream is hard to hit on purpose with real processes (the
// bridge end-to-end suites in era-modern-server.test.ts cover the streams themselves).
function translatorWithPendingListen() {
  const logs: string[] = [];
  const sent: Message[] = [];
  let rejectListen: (error: Error) => void = () => undefined;
  const link: TranslatorLink = {
    send: (m) => {
      sent.push(m);
      if ('method' in m && m.method === 'subscriptions/listen') {
        return new Promise<void>((_, reject) => (rejectListen = reject));
      }
      return Promise.resolve();
    },
    toClient: () => undefined,
    abort: () => undefined,
    streamLost: () => undefined,
    describeFailure: (error) => `failed (${(error as Error).name})`,
    log: (line) => logs.push(line),
    project: 'modern',
  };
  const translator = new LegacyTranslator(
    { supportedVersions: ['2026-07-28'], capabilities: { tools: { listChanged: true } } },
    link,
  );
  return { translator, logs, sent, rejectListen: (e: Error) => rejectListen(e) };
}

async function openListen(t: ReturnType<typeof translatorWithPendingListen>) {
  await t.translator.fromClient({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {} },
  } as Message);
  await t.translator.fromClient({ jsonrpc: '2.0', method: 'notifications/initialized' } as Message);
  expect(t.sent.map((m) => ('method' in m ? m.method : ''))).toEqual(['subscriptions/listen']);
}

const settle = () => new Promise((r) => setImmediate(r));
const abortError = () => Object.assign(new Error('ended by the bridge'), { name: 'AbortError' });

describe('the change stream at the session’s end', () => {
  it('says nothing when the session closes while the stream is still being opened', async () => {
    const t = translatorWithPendingListen();
    await openListen(t);
    t.translator.close();
    t.rejectListen(abortError());
    await settle();
    expect(t.logs).toEqual([]);
  });

  it('still reports a stream that fails while the session is open', async () => {
    const t = translatorWithPendingListen();
    await openListen(t);
    t.rejectListen(Object.assign(new Error('socket hang up'), { name: 'Error' }));
    await settle();
    t.translator.close(); // no reopen after the test
    expect(t.logs).toEqual(['change stream: failed (Error)']);
  });
});
