import { describe, expect, it } from 'vitest';
import { oneLine, truncate } from '../../../src/domain/text.js';

/** True when a string has a lone (unpaired) surrogate, i.e. an emoji cut in half. */
function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

describe('truncate', () => {
  it('leaves text that fits alone', () => {
    expect(truncate('hello', 5)).toBe('hello');
  });

  it('cuts to the limit and ends with the marker', () => {
    const cut = truncate('abcdefghij', 6);
    expect(cut).toBe('abcde…');
    expect(cut.length).toBe(6);
  });

  it('uses a custom marker within the limit', () => {
    const cut = truncate('a'.repeat(100), 30, ' (cut)');
    expect(cut).toBe(`${'a'.repeat(24)} (cut)`);
  });

  it.each([4, 5, 6, 7, 8, 9, 10])('never splits an emoji (limit %i)', (max) => {
    const text = '😀😀😀😀😀😀😀😀'; // each emoji is a surrogate pair
    const cut = truncate(text, max);
    expect(hasLoneSurrogate(cut)).toBe(false);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(max);
  });

  it('keeps an emoji whole when the cut falls in its middle', () => {
    // 'ab' + '😀' (2 code units) + ...; max 4 → cut at 3 would split the emoji.
    expect(truncate('ab😀cdef', 4)).toBe('ab…');
  });
});

describe('oneLine', () => {
  it('collapses newlines and runs of spaces', () => {
    expect(oneLine('  first\n\n second\t third  ')).toBe('first second third');
  });
});
