import fsp from 'node:fs/promises';

export interface ScannedLine {
  offset: number;
  length: number;
  value: unknown;
}

// 1 MB slices keep each synchronous parse step short while main indexes a large store.
const CHUNK = 1024 * 1024;

/**
 * Reads the complete lines of a JSON Lines file from `from` to its current end. A last line
 * without its newline (a write in progress, or torn by a crash) is left for the next scan, so
 * the returned `end` is always the start of an incomplete line or the end of the file. A line
 * that is not JSON is reported through `onBadLine` and skipped; it never stops the scan.
 */
export async function scanLines(
  file: string,
  from: number,
  onLines: (lines: ScannedLine[]) => void,
  onBadLine: (offset: number) => void = () => undefined,
): Promise<number> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch {
    return from; // Deleted meanwhile (retention) or not yet readable: nothing to index.
  }
  let pos = from;
  try {
    const size = (await handle.stat()).size;
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = pos;
    while (pos < size) {
      const want = Math.min(CHUNK, size - pos);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(chunk, 0, want, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk;
      const bufLen = carry.length + bytesRead;
      const lines: ScannedLine[] = [];
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl === -1 || nl >= bufLen) break;
        if (nl > start) {
          const offset = carryStart + start;
          try {
            lines.push({
              offset,
              length: nl - start,
              value: JSON.parse(buf.toString('utf8', start, nl)) as unknown,
            });
          } catch {
            onBadLine(offset);
          }
        }
        start = nl + 1;
      }
      if (lines.length) onLines(lines);
      carry = Buffer.from(buf.subarray(start, bufLen));
      carryStart += start;
    }
    return carryStart;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
