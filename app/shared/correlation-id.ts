/**
 * Random hex for ids that only need to be unique (bridge session ids, segment file names), never
 * secret or unguessable. Not node:crypto on purpose: loading it costs every bridge process
 * ~0.6 MB (bench/), and these ids grant nothing.
 */
export function correlationHex(bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++) {
    out += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  }
  return out;
}
