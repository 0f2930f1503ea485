// Draws the app icons into frontend/static/ as PNG files, with no dependency beyond Node:
// shapes are signed distance functions, antialiased per pixel, encoded with node:zlib.
//
//   node frontend/tools/make-icons.mjs
//
// The icon: a white checklist sheet with a green tick on the agency blue. The maskable variant
// fills the whole square and keeps the drawing inside the central 80 % safe zone.

import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'static');

const BLUE = [11, 79, 138];
const WHITE = [255, 255, 255];
const CLIP = [190, 214, 236];
const LINE = [176, 196, 216];
const GREEN = [26, 138, 74];

// Signed distances in units of the icon size (0..1), negative inside.
function roundedRect(x, y, cx, cy, halfW, halfH, radius) {
  const qx = Math.abs(x - cx) - halfW + radius;
  const qy = Math.abs(y - cy) - halfH + radius;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function segment(x, y, ax, ay, bx, by, halfWidth) {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - halfWidth;
}

/** The drawing, as layers painted back to front: [distance function, colour]. */
function layers(maskable) {
  // Maskable icons may be cropped to a circle of 80 % of the size: shrink the drawing into it.
  const s = maskable ? 0.78 : 1;
  const at = (v) => 0.5 + (v - 0.5) * s;
  const len = (v) => v * s;
  const background = maskable
    ? () => -1
    : (x, y) => roundedRect(x, y, 0.5, 0.5, 0.5, 0.5, 0.2);
  const rows = [0.44, 0.56, 0.68].map((row) => (x, y) =>
    segment(x, y, at(0.5), at(row), at(0.66), at(row), len(0.018)));
  const boxes = [0.44, 0.56, 0.68].map((row) => (x, y) =>
    roundedRect(x, y, at(0.385), at(row), len(0.035), len(0.035), len(0.01)));
  return [
    [background, BLUE],
    [(x, y) => roundedRect(x, y, at(0.5), at(0.55), len(0.24), len(0.3), len(0.045)), WHITE],
    [(x, y) => roundedRect(x, y, at(0.5), at(0.26), len(0.1), len(0.045), len(0.025)), CLIP],
    ...rows.map((f) => [f, LINE]),
    ...boxes.map((f) => [f, LINE]),
    // The tick, with a white halo so it stands out from the sheet's lines.
    [tick(at, len(0.065)), WHITE],
    [tick(at, len(0.04)), GREEN],
  ];
}

function tick(at, halfWidth) {
  return (x, y) => Math.min(
    segment(x, y, at(0.53), at(0.6), at(0.62), at(0.69), halfWidth),
    segment(x, y, at(0.62), at(0.69), at(0.8), at(0.45), halfWidth),
  );
}

function render(size, maskable) {
  const pixels = Buffer.alloc(size * size * 4);
  const drawing = layers(maskable);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size, y = (py + 0.5) / size;
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const [distance, colour] of drawing) {
        // Coverage of the pixel: 1 inside, 0 outside, linear across one pixel of edge.
        const cover = Math.max(0, Math.min(1, 0.5 - distance(x, y) * size));
        if (cover === 0) continue;
        const outA = cover + a * (1 - cover);
        r = (colour[0] * cover + r * a * (1 - cover)) / outA;
        g = (colour[1] * cover + g * a * (1 - cover)) / outA;
        b = (colour[2] * cover + b * a * (1 - cover)) / outA;
        a = outA;
      }
      const i = (py * size + px) * 4;
      pixels[i] = Math.round(r);
      pixels[i + 1] = Math.round(g);
      pixels[i + 2] = Math.round(b);
      pixels[i + 3] = Math.round(a * 255);
    }
  }
  return png(size, size, pixels);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG. */
function png(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
]) {
  writeFileSync(join(out, name), render(size, maskable));
  console.log(`wrote ${join(out, name)}`);
}
