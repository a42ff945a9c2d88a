import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Message } from './protocol.js';
import { StdioLineTransport } from './stdio-line-transport.js';
import { keepWireText, wireLine, wireText } from './wire-text.js';

describe('wire text', () => {
  it('forwards a received line exactly as it came (number forms, spacing, key order)', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const t = new StdioLineTransport(input, output);
    const received: Message[] = [];
    t.onmessage = (m) => received.push(m);
    await t.start();
    const line = '{"id":1, "jsonrpc":"2.0","method":"tools/call","params":{"n":1.50,"e":1e3}}';
    input.write(line + '\n');
    await new Promise((r) => setImmediate(r));
    expect(received).toHaveLength(1);
    await t.send(received[0]!);
    expect(output.read()?.toString()).toBe(line + '\n');
    // A message the bridge built itself is serialised as usual.
    await t.send({ jsonrpc: '2.0', id: 2, result: {} });
    expect(output.read()?.toString()).toBe('{"jsonrpc":"2.0","id":2,"result":{}}\n');
    await t.close();
  });

  it('never puts kept text with a line break on a line', () => {
    const m = { jsonrpc: '2.0', id: 1, result: { a: 1 } };
    keepWireText(m, '{\n  "jsonrpc": "2.0",\n  "id": 1,\n  "result": { "a": 1 }\n}');
    expect(wireLine(m)).toBe('{"jsonrpc":"2.0","id":1,"result":{"a":1}}');
    expect(wireText(m)).toContain('\n');
    expect(wireText({ x: 1 })).toBe('{"x":1}');
  });
});
