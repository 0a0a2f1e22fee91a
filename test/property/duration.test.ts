import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DURATION_HINT, formatDuration, parseDuration } from '../../src/config/duration.js';

/** Property tests of the policy's durations (`30s`, `15m`, `4h`, `2d`, `1w`). */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const unit = fc.constantFrom(...(Object.keys(UNIT_MS) as Array<keyof typeof UNIT_MS>));
const WELL_FORMED = /^[1-9][0-9]*[smhdw]$/;

describe('parseDuration and formatDuration', () => {
  it('"<n><unit>" parses to n units in milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), unit, (n, u) => {
        expect(parseDuration(`${n}${u}`)).toBe(n * UNIT_MS[u]);
      }),
      { numRuns: 300 },
    );
  });

  it('what formatDuration writes parses back to the same milliseconds, in the largest exact unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), unit, (n, u) => {
        const ms = n * UNIT_MS[u];
        const text = formatDuration(ms);
        expect(text).toMatch(WELL_FORMED);
        expect(parseDuration(text)).toBe(ms);
        // No larger unit would also have been exact.
        const larger = Object.values(UNIT_MS).filter(
          (m) => m > UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS],
        );
        for (const m of larger) expect(ms % m).not.toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('anything else is refused with an Error that shows the text and says what to write', () => {
    const junk = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: fc.constantFrom(...'0123456789smhdwSMHDW .-+_msec'.split('')), maxLength: 8 }),
      fc.tuple(fc.integer(), unit).map(([n, u]) => `${n}${u}`),
      fc.tuple(fc.integer({ min: 1, max: 99 }), unit).map(([n, u]) => ` ${n}${u}`),
      fc.tuple(fc.integer({ min: 1, max: 99 }), unit).map(([n, u]) => `${n}${u.toUpperCase()}`),
      fc.tuple(fc.integer({ min: 1, max: 99 }), unit).map(([n, u]) => `0${n}${u}`),
      fc.tuple(fc.double({ min: 0.01, max: 99, noNaN: true }), unit).map(([n, u]) => `${n}${u}`),
    );
    fc.assert(
      fc.property(junk, (text) => {
        fc.pre(!WELL_FORMED.test(text));
        expect(() => parseDuration(text)).toThrow(Error);
        try {
          parseDuration(text);
        } catch (error) {
          expect((error as Error).message).toContain(JSON.stringify(text));
          expect((error as Error).message).toContain(DURATION_HINT);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a duration too long to count in milliseconds exactly is refused, never rounded', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 16n, max: 10n ** 40n }), unit, (n, u) => {
        expect(() => parseDuration(`${n}${u}`)).toThrow(/too long a duration/);
      }),
      { numRuns: 100 },
    );
  });
});
