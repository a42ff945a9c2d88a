/**
 * The one bound on the size of a single MCP message crossing the bridge, in either direction:
 * a client line on stdin, a JSON response body, an SSE event. One limit for both directions
 * because the same payloads travel both ways (a base64 image a tool returns, the same image a
 * client sends back in a sampling result) and a limit a client can exceed but a server cannot
 * would only move the failure. 64 MiB holds a ~48 MB binary as base64, several times anything
 * an MCP client passes to a model, while keeping a bridge's worst case near 2 × 64 MiB.
 * SWITCHBOARD_MAX_MESSAGE_BYTES overrides it (bytes, at least 1 KiB).
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MIN_MAX_MESSAGE_BYTES = 1024;

export function maxMessageBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SWITCHBOARD_MAX_MESSAGE_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_MESSAGE_BYTES;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= MIN_MAX_MESSAGE_BYTES ? n : DEFAULT_MAX_MESSAGE_BYTES;
}

/** "64 MiB", "1 KiB", "1500 bytes": how the limit is named in errors. */
export function describeBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** A message from the server exceeded the limit; its stream or body was dropped. */
export class MessageTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(
      `the server sent a message larger than the bridge's limit of ${describeBytes(limit)} (SWITCHBOARD_MAX_MESSAGE_BYTES); it was dropped`,
    );
    this.name = 'MessageTooLargeError';
  }
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Counts a response body as it arrives and throws MessageTooLargeError once one message in it
 * passes `limit`: the whole body for JSON, the bytes since the last blank line for an event
 * stream (an event ends at a blank line: two line ends in a row, LF LF, CR CR or LF CR; a CRLF
 * CRLF contains LF CR). It only looks at bytes, so nothing larger than a chunk is ever held.
 */
export function createMessageMeter(
  kind: 'json' | 'event-stream',
  limit: number,
): (chunk: Uint8Array) => void {
  let size = 0;
  let prev = -1;
  if (kind === 'json') {
    return (chunk) => {
      size += chunk.length;
      if (size > limit) throw new MessageTooLargeError(limit);
    };
  }
  return (chunk) => {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const end = lastEventEnd(buf, prev);
    size = end === -1 ? size + buf.length : buf.length - end - 1;
    if (buf.length > 0) prev = buf[buf.length - 1]!;
    if (size > limit) throw new MessageTooLargeError(limit);
  };
}

const CR_CR = Buffer.from('\r\r');

/** Index of the last byte of the last blank line's line end in `buf` (-1: none). */
function lastEventEnd(buf: Buffer, prev: number): number {
  let end = -1;
  // LF followed by LF or CR: a line end, then an empty line.
  for (let from = buf.length - 2; from >= 0;) {
    const i = buf.lastIndexOf(LF, from);
    if (i === -1) break;
    const next = buf[i + 1];
    if (next === LF || next === CR) {
      end = i + 1;
      break;
    }
    from = i - 1;
  }
  const crcr = buf.lastIndexOf(CR_CR);
  if (crcr !== -1 && crcr + 1 > end) end = crcr + 1;
  // The pair may straddle the previous chunk.
  if (end === -1 && buf.length > 0) {
    const first = buf[0];
    if ((prev === LF && (first === LF || first === CR)) || (prev === CR && first === CR)) end = 0;
  }
  return end;
}
