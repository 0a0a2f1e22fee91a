import { readFileSync } from 'node:fs';

/** The width in pixels of one line of text at a font size, as the font itself lays it out. */
export type MeasureText = (text: string, fontSize: number) => number;

/**
 * Text widths from a TrueType font's own advance widths (tables `head`, `hhea`, `hmtx` and a
 * Unicode `cmap`). Vega lays out legends and axis labels by these widths; without a canvas it
 * guesses 0.8 em per character, which spreads a legend far wider than the glyphs resvg draws.
 * Kerning is left out: it moves a word by a fraction of a pixel.
 */
export function fontMeasure(ttfFile: string): MeasureText {
  const font = readFileSync(ttfFile);
  const table = (tag: string): number => {
    const count = font.readUInt16BE(4);
    for (let i = 0; i < count; i++) {
      const entry = 12 + 16 * i;
      if (font.toString('latin1', entry, entry + 4) === tag) return font.readUInt32BE(entry + 8);
    }
    throw new Error(`${ttfFile} has no '${tag}' table`);
  };
  const unitsPerEm = font.readUInt16BE(table('head') + 18);
  const metricsCount = font.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const glyphOf = unicodeGlyphs(font, table('cmap'));

  const advance = (glyph: number): number =>
    font.readUInt16BE(hmtx + 4 * Math.min(glyph, metricsCount - 1)) / unitsPerEm;
  const perChar = new Map<number, number>();
  return (text, fontSize) => {
    let em = 0;
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0;
      let width = perChar.get(code);
      if (width === undefined) {
        width = advance(glyphOf(code));
        perChar.set(code, width);
      }
      em += width;
    }
    return em * fontSize;
  };
}

/** Code point → glyph id, from the cmap's Windows Unicode BMP subtable (format 4); 0 is "missing". */
function unicodeGlyphs(font: Buffer, cmap: number): (code: number) => number {
  const count = font.readUInt16BE(cmap + 2);
  let sub = -1;
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + 8 * i;
    const platform = font.readUInt16BE(record);
    const encoding = font.readUInt16BE(record + 2);
    const offset = cmap + font.readUInt32BE(record + 4);
    if (platform === 3 && encoding === 1 && font.readUInt16BE(offset) === 4) sub = offset;
  }
  if (sub < 0) throw new Error('the font has no Unicode (format 4) character map');

  const segments = font.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  return (code) => {
    if (code > 0xffff) return 0;
    for (let s = 0; s < segments; s++) {
      if (font.readUInt16BE(ends + 2 * s) < code) continue;
      const start = font.readUInt16BE(starts + 2 * s);
      if (start > code) return 0;
      const delta = font.readUInt16BE(deltas + 2 * s);
      const rangeOffsetAt = rangeOffsets + 2 * s;
      const rangeOffset = font.readUInt16BE(rangeOffsetAt);
      if (rangeOffset === 0) return (code + delta) & 0xffff;
      const glyph = font.readUInt16BE(rangeOffsetAt + rangeOffset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
