import { describe, expect, it } from 'vitest';
import { SseParser, Utf8Chunks } from './lean-http-transport.js';

// The transport itself is exercised end to end against real servers (bridge-faults, bridge-
// everything, conformance); this covers the event-stream parser's edge cases directly.
function parse(chunks: string[]) {
  const events: Array<[string, string]> = [];
  const ids: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser({
    onEvent: (event, data) => events.push([event, data]),
    onId: (id) => ids.push(id),
    onRetry: (ms) => retries.push(ms),
  });
  for (const c of chunks) parser.push(c);
  return { events, ids, retries };
}

describe('SseParser', () => {
  const stream =
    ': keep-alive\r\nid: 1\r\nretry: 250\r\n\r\nevent: message\r\nid: 2\r\ndata: {"a":\r\ndata:1}\r\n\r\n' +
    'event: other\ndata: x\n\ndata: last\r\r';

  it('reads fields, comments, multi-line data and every line ending', () => {
    expect(parse([stream])).toEqual({
      events: [
        ['message', '{"a":\n1}'],
        ['other', 'x'],
        ['', 'last'],
      ],
      ids: ['1', '2'],
      retries: [250],
    });
  });

  it('gives the same result however the stream is split, including inside a CRLF', () => {
    const whole = parse([stream]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse([stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
    expect(parse([...stream])).toEqual(whole);
  });

  it('ignores an empty id, a bad retry and unknown fields, and waits for the blank line', () => {
    expect(parse(['id:\nretry: 1s\nfoo: bar\ndata: {}\n', 'data'])).toEqual({
      events: [],
      ids: [],
      retries: [],
    });
    expect(parse(['id:\nretry: 1s\nfoo: bar\ndata: {}\n\n']).events).toEqual([['', '{}']]);
  });
});

describe('Utf8Chunks', () => {
  const text = 'data: {"t":"héllo € 𝄞 ok"}\n\n';
  const bytes = Buffer.from('\ufeff' + text, 'utf8');

  it('decodes a stream cut at every byte, a BOM dropped, like one TextDecoder', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new Utf8Chunks();
      const out = d.decode(bytes.subarray(0, cut)) + d.decode(bytes.subarray(cut)) + d.end();
      expect(out, `cut at ${cut}`).toBe(text);
    }
  });

  it('decodes byte by byte, and a character cut off by the end becomes U+FFFD', () => {
    const d = new Utf8Chunks();
    let out = '';
    for (const b of bytes) out += d.decode(Buffer.from([b]));
    expect(out + d.end()).toBe(text);
    const cutOff = new Utf8Chunks();
    expect(cutOff.decode(Buffer.from([0x61, 0xe2, 0x82])) + cutOff.end()).toBe('a\ufffd');
  });

  it('decodes invalid bytes inside a chunk of whole characters as a TextDecoder does', () => {
    // The chunk ends in ASCII, so it is decoded without a StringDecoder; the result must not differ.
    const bad = Buffer.from([0x61, 0xff, 0xe2, 0x82, 0x62, 0xc3, 0x28, 0x7d]);
    const d = new Utf8Chunks();
    expect(d.decode(bad) + d.end()).toBe(new TextDecoder().decode(bad));
    // And once a decoder exists (a chunk ended inside a character), the same holds after it.
    const e = new Utf8Chunks();
    expect(
      e.decode(Buffer.from([0x61, 0xe2])) +
        e.decode(Buffer.from([0x82, 0xac])) +
        e.decode(bad) +
        e.end(),
    ).toBe('a€' + new TextDecoder().decode(bad));
  });
});
