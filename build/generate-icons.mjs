// Draws Switchboard's app and tray icons and writes them as PNG and ICO files into build/.
// Pure Node (zlib only), so icons are reproducible on any machine:
//   node build/generate-icons.mjs          write the files
//   node build/generate-icons.mjs --check  exit 1 if a committed file's pixels differ
// The glyph is a toggle switch: filled and "on" when connected, outlined and "off" when every
// project is disconnected, "on" with a notification dot when something needs attention. The
// three states differ in shape, not only colour, so macOS template images still tell them apart.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const BUILD_DIR = path.dirname(fileURLToPath(import.meta.url));

// ---- shapes (coordinates in a 16×16 design grid) -------------------------------------------

const pill = (x, y) => {
  // Rounded rectangle from (1,4) to (15,12), radius 4.
  const cx = Math.min(Math.max(x, 5), 11);
  return Math.hypot(x - cx, y - 8) - 4;
};
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const fill = (sdf) => (x, y) => sdf(x, y) <= 0;
const outline = (sdf, width) => (x, y) => Math.abs(sdf(x, y) + width / 2) <= width / 2;

const STATES = ['connected', 'attention', 'disconnected'];

/** Layers painted in order: [inside(x, y), rgba | 'clear']. */
function trayLayers(state, colours) {
  const knobOn = circle(11, 8, 2.4);
  const knobOff = circle(5, 8, 2.4);
  if (state === 'disconnected') {
    return [
      [outline(pill, 1.3), colours.off],
      [fill(knobOff), colours.off],
    ];
  }
  const layers = [
    [fill(pill), state === 'attention' ? colours.attention : colours.on],
    [fill(knobOn), colours.knob],
  ];
  if (state === 'attention') {
    layers.push(
      [fill(circle(13.2, 3.2, 3.6)), 'clear'],
      [fill(circle(13.2, 3.2, 2.6)), colours.badge],
    );
  }
  return layers;
}

const TEMPLATE = {
  on: [0, 0, 0, 255],
  attention: [0, 0, 0, 255],
  off: [0, 0, 0, 255],
  knob: 'clear',
  badge: [0, 0, 0, 255],
};
const COLOUR = {
  on: [46, 160, 67, 255],
  attention: [191, 135, 0, 255],
  off: [128, 134, 142, 255],
  knob: [255, 255, 255, 255],
  badge: [207, 34, 46, 255],
};

function appLayers() {
  const bg = (x, y) => {
    // Rounded square inset by 1 with radius 3.5 (a macOS-style squircle is not needed here).
    const qx = Math.max(Math.abs(x - 8) - 3.5, 0);
    const qy = Math.max(Math.abs(y - 8) - 3.5, 0);
    return Math.hypot(qx, qy) - 3.5 <= 0;
  };
  const scaled = (sdf) => (x, y) => sdf((x - 8) / 0.78 + 8, (y - 8) / 0.78 + 8) * 0.78;
  return [
    [bg, [37, 99, 235, 255]],
    [fill(scaled(pill)), [255, 255, 255, 255]],
    [fill(scaled(circle(11, 8, 2.4))), [37, 99, 235, 255]],
  ];
}

// ---- rasterising ----------------------------------------------------------------------------

/** RGBA pixels, 4×4 supersampled; `clear` layers cut through what is below (destination-out). */
export function render(size, layers) {
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let pxi = 0; pxi < size; pxi++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0; // premultiplied, 0..1
      for (const [inside, colour] of layers) {
        let hits = 0;
        for (let sy = 0; sy < n; sy++) {
          for (let sx = 0; sx < n; sx++) {
            const x = ((pxi + (sx + 0.5) / n) / size) * 16;
            const y = ((py + (sy + 0.5) / n) / size) * 16;
            if (inside(x, y)) hits++;
          }
        }
        const cov = hits / (n * n);
        if (cov === 0) continue;
        if (colour === 'clear') {
          r *= 1 - cov;
          g *= 1 - cov;
          b *= 1 - cov;
          a *= 1 - cov;
        } else {
          const ca = (colour[3] / 255) * cov;
          r = (colour[0] / 255) * ca + r * (1 - ca);
          g = (colour[1] / 255) * ca + g * (1 - ca);
          b = (colour[2] / 255) * ca + b * (1 - ca);
          a = ca + a * (1 - ca);
        }
      }
      const i = (py * size + pxi) * 4;
      px[i] = a > 0 ? Math.round((r / a) * 255) : 0;
      px[i + 1] = a > 0 ? Math.round((g / a) * 255) : 0;
      px[i + 2] = a > 0 ? Math.round((b / a) * 255) : 0;
      px[i + 3] = Math.round(a * 255);
    }
  }
  return px;
}

// ---- encoding -------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(size, pixels) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(pixels.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Decodes the PNGs this script writes (8-bit RGBA, filter 0) back to pixels. */
export function decodePng(buf) {
  let off = 8;
  let size = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') size = data.readUInt32BE(0);
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const px = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    if (raw[y * (size * 4 + 1)] !== 0) throw new Error('unsupported PNG filter');
    px.set(raw.subarray(y * (size * 4 + 1) + 1, (y + 1) * (size * 4 + 1)), y * size * 4);
  }
  return { size, pixels: px };
}

/** An ICO whose entries are PNGs (supported since Windows Vista). */
export function encodeIco(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs.map((p) => p.png)]);
}

/** Splits an ICO written by encodeIco into its PNG entries. */
export function decodeIco(buf) {
  const count = buf.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const e = 6 + 16 * i;
    const len = buf.readUInt32LE(e + 8);
    const at = buf.readUInt32LE(e + 12);
    return buf.subarray(at, at + len);
  });
}

// ---- the files ------------------------------------------------------------------------------

const SUFFIX = { connected: '', attention: '-attention', disconnected: '-disconnected' };
const MAC_NAME = {
  connected: 'tray',
  attention: 'trayAttention',
  disconnected: 'trayDisconnected',
};

/** Every icon file: relative path → list of [size, layers] (one entry per PNG/ICO image). */
export function iconFiles() {
  const files = {
    'icon.png': [[512, appLayers()]],
    'icon.ico': [16, 24, 32, 48, 64, 128, 256].map((s) => [s, appLayers()]),
  };
  for (const state of STATES) {
    files[`tray/${MAC_NAME[state]}Template.png`] = [[16, trayLayers(state, TEMPLATE)]];
    files[`tray/${MAC_NAME[state]}Template@2x.png`] = [[32, trayLayers(state, TEMPLATE)]];
    files[`tray/tray${SUFFIX[state]}.ico`] = [16, 20, 24, 32].map((s) => [
      s,
      trayLayers(state, COLOUR),
    ]);
    files[`tray/tray-linux${SUFFIX[state]}.png`] = [[32, trayLayers(state, COLOUR)]];
  }
  return files;
}

function encodeFile(file, images) {
  const pngs = images.map(([size, layers]) => ({
    size,
    png: encodePng(size, render(size, layers)),
  }));
  return file.endsWith('.ico') ? encodeIco(pngs) : pngs[0].png;
}

function pixelsOf(file, buf) {
  const pngs = file.endsWith('.ico') ? decodeIco(buf) : [buf];
  return pngs.map((png) => decodePng(png));
}

function main() {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, images] of Object.entries(iconFiles())) {
    const target = path.join(BUILD_DIR, file);
    if (check) {
      const current = fs.existsSync(target) ? pixelsOf(file, fs.readFileSync(target)) : [];
      const same =
        current.length === images.length &&
        images.every(([size, layers], i) => {
          const want = render(size, layers);
          return (
            current[i].size === size &&
            Buffer.compare(Buffer.from(current[i].pixels), Buffer.from(want)) === 0
          );
        });
      if (!same) stale.push(file);
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, encodeFile(file, images));
    }
  }
  if (stale.length > 0) {
    process.stderr.write(
      `Icons out of date: ${stale.join(', ')}. Run \`node build/generate-icons.mjs\`.\n`,
    );
    process.exit(1);
  }
  if (!check)
    process.stdout.write(`Wrote ${Object.keys(iconFiles()).length} icon files into ${BUILD_DIR}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
