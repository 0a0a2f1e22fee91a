import { crc32, inflateSync } from 'node:zlib';

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  chunkTypes: string[];
  /** The decompressed image data: one filter byte and the pixel bytes per row. */
  rows: Buffer;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const BYTES_PER_PIXEL: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Reads a PNG the way a strict decoder would and throws on anything a viewer could reject: a
 * wrong signature, a chunk whose CRC does not match, IHDR not first, no IDAT, no IEND at the end,
 * image data that does not inflate to exactly one filtered row per line.
 */
export function readPng(bytes: Uint8Array): PngInfo {
  const png = Buffer.from(bytes);
  if (!SIGNATURE.every((byte, i) => png[i] === byte)) throw new Error('not a PNG signature');
  const chunks: Array<{ type: string; data: Buffer }> = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== png.readUInt32BE(at + 8 + length)) {
      throw new Error(`bad CRC on chunk ${type}`);
    }
    chunks.push({ type, data });
    at += 12 + length;
  }
  const types = chunks.map((c) => c.type);
  if (types[0] !== 'IHDR' || types.at(-1) !== 'IEND') throw new Error(`bad chunk order: ${types.join(' ')}`);
  const header = chunks[0]!.data;
  const info = {
    width: header.readUInt32BE(0),
    height: header.readUInt32BE(4),
    bitDepth: header[8]!,
    colourType: header[9]!,
  };
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  if (idat.length === 0) throw new Error('no image data');
  if (info.colourType === 3 && !types.includes('PLTE')) throw new Error('palette image without PLTE');
  const rows = inflateSync(idat);
  const perPixel = BYTES_PER_PIXEL[info.colourType];
  if (info.bitDepth !== 8 || perPixel === undefined) throw new Error('unexpected pixel format');
  const stride = 1 + info.width * perPixel;
  if (rows.length !== stride * info.height) throw new Error('image data does not match the size');
  for (let y = 0; y < info.height; y++) {
    if (rows[y * stride]! > 4) throw new Error(`row ${y} has an unknown filter`);
  }
  return { ...info, chunkTypes: types, rows };
}
