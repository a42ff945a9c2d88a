import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StdioLineTransport } from './stdio-line-transport.js';

/** A client's stdout pipe that is not read for now: writes queue up past its buffer. */
function stalledPipe() {
  const chunks: Buffer[] = [];
  let release: (() => void) | undefined;
  const gate = new Promise<void>((r) => (release = r));
  const output = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      void gate.then(() => cb());
    },
  });
  return { output, chunks, release: () => release!() };
}

describe('StdioLineTransport writes', () => {
  it('a burst of big answers into a full pipe waits on one drain listener, and all arrive', async () => {
    const pipe = stalledPipe();
    const t = new StdioLineTransport(new PassThrough(), pipe.output);
    await t.start();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const big = 'x'.repeat(20_000);
      const sends = Array.from({ length: 40 }, (_, id) =>
        t.send({ jsonrpc: '2.0', id, result: { text: big } }),
      );
      await new Promise((r) => setImmediate(r));
      expect(pipe.output.listenerCount('drain')).toBe(1);
      pipe.release();
      await Promise.all(sends);
      const lines = Buffer.concat(pipe.chunks).toString('utf8').trim().split('\n');
      expect(lines.map((l) => (JSON.parse(l) as { id: number }).id)).toEqual(
        Array.from({ length: 40 }, (_, i) => i),
      );
      expect(pipe.output.listenerCount('drain')).toBe(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a close ends the wait of sends stuck behind a pipe nobody reads', async () => {
    const pipe = stalledPipe();
    const t = new StdioLineTransport(new PassThrough(), pipe.output);
    await t.start();
    const big = 'y'.repeat(40_000);
    const stuck = t.send({ jsonrpc: '2.0', id: 1, result: { text: big } });
    await t.close();
    await expect(stuck).resolves.toBeUndefined();
    expect(pipe.output.listenerCount('drain')).toBe(0);
  });
});
