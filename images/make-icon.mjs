// Draws images/icon.png (128x128): a bold arrow straight across (the offloaded fast path) under a
// thin dotted detour (the classic forward path with its rule chain). Plain node + zlib, so the
// icon can be regenerated without image tools: `node images/make-icon.mjs`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4; // 4x4 supersampling per pixel for anti-aliased edges

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const BG_TOP = hex('#10293b');
const BG_BOTTOM = hex('#1b4a63');
const SLOW = hex('#7fa3b8');
const FAST = hex('#3ee0a1');

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const s = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry);
  const d1 = s(x, y, ax, ay, bx, by);
  const d2 = s(x, y, bx, by, cx, cy);
  const d3 = s(x, y, cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

// The detour: the upper half of a circle, drawn as a dashed stroke with round ends, plus three
// "rule" dots sitting on it.
const ARC = { cx: 64, cy: 80, r: 38, width: 5 };
function onSlowPath(x, y) {
  const dx = x - ARC.cx;
  const dy = y - ARC.cy;
  const dist = Math.hypot(dx, dy);
  if (dy > 0) return false;
  const angle = Math.atan2(-dy, dx); // 0 (right) .. PI (left)
  const dash = (angle / Math.PI) * 9; // 9 segments, every other one drawn
  const onStroke = Math.abs(dist - ARC.r) <= ARC.width / 2 && Math.floor(dash) % 2 === 0;
  const onDot = [0.25, 0.5, 0.75].some((t) => {
    const a = Math.PI * t;
    return Math.hypot(x - (ARC.cx + ARC.r * Math.cos(a)), y - (ARC.cy - ARC.r * Math.sin(a))) <= 7;
  });
  return onStroke || onDot;
}

function onFastPath(x, y) {
  const shaft = inRoundedRect(x, y, 16, 73, 94, 87, 7);
  const head = inTriangle(x, y, [84, 58], [114, 80], [84, 102]);
  return shaft || head;
}

function shade(x, y) {
  if (!inRoundedRect(x, y, 0, 0, SIZE, SIZE, 26)) return null;
  if (onFastPath(x, y)) return FAST;
  if (onSlowPath(x, y)) return SLOW;
  const t = y / SIZE;
  return BG_TOP.map((c, i) => c + (BG_BOTTOM[i] - c) * t);
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // PNG filter type: none
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const color = shade(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (!color) continue;
        // Premultiplied accumulation, so edge pixels blend towards transparent, not black.
        color.forEach((c, i) => (acc[i] += c));
        acc[3] += 255;
      }
    }
    const n = SAMPLES * SAMPLES;
    const alpha = acc[3] / n;
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    for (let i = 0; i < 3; i++) raw[o + i] = alpha ? Math.round(acc[i] / (acc[3] / 255)) : 0;
    raw[o + 3] = Math.round(alpha);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
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

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // colour type: RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
