import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOUR_TYPE_PALETTE = 3;
const PALETTE_SIZE = 256;

/**
 * An opaque picture as an 8-bit palette PNG: one byte per pixel instead of resvg's four, about a
 * third of resvg's own PNG, small enough to embed in a Teams card. A chart has a few flat colours
 * plus the antialiasing of text and edges, usually well under 256 colours, and then the PNG is
 * lossless. Past 256 (a month of ten triggers), the rarest colours, all antialiasing shades, take
 * the nearest kept colour, which no one sees at this size.
 *
 * `rgba` holds width × height pixels, four bytes each; alpha is ignored (the picture has a background).
 */
export function encodeOpaquePng(rgba: Uint8Array, width: number, height: number): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('pixel data does not match the size');
  const { palette, indexOf } = paletteOf(rgba);

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per palette index
  header[9] = COLOUR_TYPE_PALETTE;
  // bytes 10-12: deflate, adaptive filtering, no interlace (all zero)

  const entries = Buffer.alloc(palette.length * 3);
  palette.forEach((colour, index) => {
    entries.writeUIntBE(colour, index * 3, 3);
  });

  // Filter type 0 (none) on every row: on flat chart colours it compresses better than the
  // predicting filters, which turn each antialiased edge into noise.
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rows[y * (width + 1) + 1 + x] = indexOf(rgbAt(rgba, (y * width + x) * 4));
    }
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', entries),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The 256 most used colours (0xRRGGBB), and each colour's index in them or in its nearest. */
function paletteOf(rgba: Uint8Array) {
  const uses = new Map<number, number>();
  for (let i = 0; i < rgba.length; i += 4) {
    const colour = rgbAt(rgba, i);
    uses.set(colour, (uses.get(colour) ?? 0) + 1);
  }
  // Ties broken by the colour itself, so the same picture always gives the same bytes.
  const palette = [...uses.keys()]
    .sort((a, b) => (uses.get(b) ?? 0) - (uses.get(a) ?? 0) || a - b)
    .slice(0, PALETTE_SIZE);
  const index = new Map(palette.map((colour, i) => [colour, i]));
  const indexOf = (colour: number): number => {
    let found = index.get(colour);
    if (found === undefined) {
      found = nearest(colour, palette);
      index.set(colour, found);
    }
    return found;
  };
  return { palette, indexOf };
}

function nearest(colour: number, palette: number[]): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  palette.forEach((candidate, i) => {
    const dr = ((colour >> 16) & 0xff) - ((candidate >> 16) & 0xff);
    const dg = ((colour >> 8) & 0xff) - ((candidate >> 8) & 0xff);
    const db = (colour & 0xff) - (candidate & 0xff);
    const distance = dr * dr + dg * dg + db * db;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  });
  return best;
}

function rgbAt(rgba: Uint8Array, i: number): number {
  return ((rgba[i] ?? 0) << 16) | ((rgba[i + 1] ?? 0) << 8) | (rgba[i + 2] ?? 0);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// zlib.crc32 only exists from Node 20.15 on; the package promises any Node 20.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
