import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoneyAmounts } from '../../src/domain/triggers/money.js';
import { normaliseForMatching } from '../../src/domain/triggers/normalise.js';

/** Property tests of money amounts in chat text (the high_value trigger and the card's key facts). */

/** Words with no currency meaning, and no digits, to embed amounts in. */
const WORDS = [
  'please',
  'refund',
  'the',
  'order',
  'was',
  'charged',
  'twice',
  'today',
  'invoice',
  'Hi',
  'team',
  'ok',
];
const filler = fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((w) => w.join(' '));

/** An English-style number: thousands with commas, optional cents. */
function english(value: number, cents: number | undefined): string {
  const whole = value.toLocaleString('en-US');
  return cents === undefined ? whole : `${whole}.${String(cents).padStart(2, '0')}`;
}
/** A European-style number: thousands with dots, decimal comma. */
function european(value: number, cents: number | undefined): string {
  const whole = value.toLocaleString('de-DE');
  return cents === undefined ? whole : `${whole},${String(cents).padStart(2, '0')}`;
}

const MARKERS: Array<{ write: (n: string) => string; currency?: string; ambiguous?: string }> = [
  { write: (n) => `$${n}`, ambiguous: 'dollar' },
  { write: (n) => `A$${n}`, currency: 'AUD' },
  { write: (n) => `US$${n}`, currency: 'USD' },
  { write: (n) => `€${n}`, currency: 'EUR' },
  { write: (n) => `£${n}`, currency: 'GBP' },
  { write: (n) => `AUD ${n}`, currency: 'AUD' },
  { write: (n) => `usd ${n}`, currency: 'USD' },
  { write: (n) => `${n} EUR`, currency: 'EUR' },
  { write: (n) => `${n} dollars`, ambiguous: 'dollar' },
  { write: (n) => `${n} euros`, currency: 'EUR' },
  { write: (n) => `${n} Australian dollars`, currency: 'AUD' },
];

describe('parseMoneyAmounts', () => {
  it('finds an amount with a currency marker anywhere in the text, English or European separators', () => {
    fc.assert(
      fc.property(
        filler,
        filler,
        fc.integer({ min: 1, max: 999_999_999 }),
        fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
        fc.constantFrom(...MARKERS),
        fc.constantFrom(english, european),
        (before, after, value, cents, marker, style) => {
          // "1.234" alone is ambiguous (1234 or 1.234): European style is tested where it cannot be.
          fc.pre(style === english || value >= 1_000_000 || cents !== undefined || value < 1000);
          const written = marker.write(style(value, cents));
          const text = `${before} ${written} ${after}`.trim();
          const amounts = parseMoneyAmounts(text);
          expect(amounts).toHaveLength(1);
          const [amount] = amounts;
          expect(amount!.value).toBe((value * 100 + (cents ?? 0)) / 100);
          expect(amount!.currency).toBe(marker.currency);
          expect(amount!.ambiguous).toBe(marker.ambiguous);
          expect(text.slice(amount!.index, amount!.index + amount!.text.length)).toBe(amount!.text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('as the trigger reads a chat message: amounts in brackets, quotes, bold, at a sentence end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
        fc.constantFrom(
          ['(', ')'],
          ['"', '"'],
          ['*', '*'],
          ['_', '_'],
          ['~', '~'],
          ['', '.'],
          ['', ','],
          ['', '!'],
          ['', '?'],
          ['', '…'],
          ['—', ';'],
          ['', "'s"],
        ),
        fc.constantFrom(...MARKERS),
        (value, cents, [open, close], marker) => {
          const text = `the refund ${open}${marker.write(english(value, cents))}${close} is late`;
          const amounts = parseMoneyAmounts(normaliseForMatching(text));
          expect(amounts.map((a) => a.value)).toEqual([(value * 100 + (cents ?? 0)) / 100]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads multipliers: 12k, 3.5m, 2bn, 5 grand, 10 million', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.constantFrom(
          ['k', 1e3],
          ['K', 1e3],
          ['m', 1e6],
          ['bn', 1e9],
          [' thousand', 1e3],
          [' million', 1e6],
        ),
        fc.constantFrom('$', '€', 'AUD '),
        filler,
        (n, [suffix, factor], prefix, around) => {
          const [amount] = parseMoneyAmounts(`${around} ${prefix}${n}${suffix} ${around}`);
          expect(amount?.value).toBe(n * (factor as number));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a number without a currency marker is never money: order numbers, codes, versions, percentages, dates', () => {
    const notMoney = fc.oneof(
      fc.integer({ min: 0, max: 10 ** 9 }).map(String),
      fc.integer({ min: 0, max: 10 ** 9 }).map((n) => n.toLocaleString('en-US')),
      fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map(([a, b, c]) => `${a}.${b}.${c}`),
      fc.nat(1000).map((n) => `${n}%`),
      fc.tuple(fc.nat(31), fc.nat(12)).map(([d, m]) => `${d}/${m}`),
      fc.nat(99_999).map((n) => `#${n}`),
      fc.nat(99_999).map((n) => `E${n}`),
      fc.nat(99_999).map((n) => `INV-${n}`),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(notMoney, fc.constantFrom(...WORDS)), { maxLength: 10 }), (parts) => {
        expect(parseMoneyAmounts(parts.join(' '))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any text, and every amount it returns is finite and sits where it says', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom(...'$€£AUDusd0123456789.,k m -%/'.split('')), maxLength: 300 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        for (const amount of parseMoneyAmounts(t)) {
          expect(Number.isFinite(amount.value)).toBe(true);
          expect(t.slice(amount.index, amount.index + amount.text.length)).toBe(amount.text);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays linear on long runs of digits and separators (a 40,000-character message)', () => {
    // A catastrophic pattern would not finish; the test's own timeout is the check.
    for (const unit of ['1,', '1.', '12,34', '$1,000 ', `${'9'.repeat(50)} `]) {
      const text = unit.repeat(Math.ceil(40_000 / unit.length));
      expect(Array.isArray(parseMoneyAmounts(text))).toBe(true);
    }
  });
});
