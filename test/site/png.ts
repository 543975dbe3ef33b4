// A PNG decoder just large enough to look at a screenshot Chromium made (8-bit RGB or RGBA, not
// interlaced): the pixels, so a test can tell a page that rendered from a blank one without an image
// library. PNG (ISO/IEC 15948): chunks IHDR, IDAT (zlib), IEND; each scanline starts with a filter byte.
import { inflateSync } from "node:zlib";

export interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(buf: Buffer): Pixels {
  if (buf.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") throw new Error("not a PNG");
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colour = body[9];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || body[12] !== 0)
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${body[12]}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[y * stride + x - channels]! : 0;
      const b = y > 0 ? data[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels]! : 0;
      const v = line[x]!;
      const pred =
        filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c);
      data[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels, data };
}

/** The number of distinct colours, and the share of pixels that are not the most common colour. */
export function colourStats(p: Pixels): { distinct: number; notBackground: number } {
  const counts = new Map<number, number>();
  for (let i = 0; i < p.data.length; i += p.channels) {
    const k = (p.data[i]! << 16) | (p.data[i + 1]! << 8) | p.data[i + 2]!;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const total = p.width * p.height;
  const top = Math.max(...counts.values());
  return { distinct: counts.size, notBackground: (total - top) / total };
}
