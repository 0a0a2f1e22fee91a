import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoneyAmounts } from '../../../src/domain/triggers/index.js';

const one = (text: string, currencies: string[] = []) => {
  const amounts = parseMoneyAmounts(text, currencies);
  expect(amounts, text).toHaveLength(1);
  return amounts[0]!;
};

describe('parseMoneyAmounts', () => {
  it.each([
    ['$12,500', 12_500, undefined, 'dollar'],
    ['AUD 12k', 12_000, 'AUD', undefined],
    ['aud 12k', 12_000, 'AUD', undefined],
    ['12.5K dollars', 12_500, undefined, 'dollar'],
    ['€3.2m', 3_200_000, 'EUR', undefined],
    ['USD 9,999.99', 9_999.99, 'USD', undefined],
    ['USD9,999.99', 9_999.99, 'USD', undefined],
    ['A$15,000', 15_000, 'AUD', undefined],
    ['AU$15,000', 15_000, 'AUD', undefined],
    ['US$500', 500, 'USD', undefined],
    ['NZ$ 20,000', 20_000, 'NZD', undefined],
    ['£20k', 20_000, 'GBP', undefined],
    ['15,000 AUD', 15_000, 'AUD', undefined],
    ['12500AUD', 12_500, 'AUD', undefined],
    ['AUD$12,500', 12_500, 'AUD', undefined],
    ['AUD $12,500', 12_500, 'AUD', undefined],
    ['$12,500 AUD', 12_500, 'AUD', undefined],
    ['$5 million', 5_000_000, undefined, 'dollar'],
    ['$1.5bn', 1_500_000_000, undefined, 'dollar'],
    ['5 grand', 5_000, undefined, 'local'],
    ['200 bucks', 200, undefined, 'dollar'],
    ['20,000 Australian dollars', 20_000, 'AUD', undefined],
    ['300 euros', 300, 'EUR', undefined],
    ['50 quid', 50, 'GBP', undefined],
    ['₹12,50,000', 1_250_000, 'INR', undefined],
    ['3.200,50 €', 3_200.5, 'EUR', undefined],
    ['€1.234.567', 1_234_567, 'EUR', undefined],
    ['€12,50', 12.5, 'EUR', undefined],
    ['$12,500.', 12_500, undefined, 'dollar'],
  ])('reads %j as %d', (text, value, currency, ambiguous) => {
    const amount = one(text);
    expect(amount.value).toBe(value);
    expect(amount.currency).toBe(currency);
    expect(amount.ambiguous).toBe(ambiguous);
    expect(amount.text).toBe(text.replace(/\.$/, ''));
  });

  it('finds amounts inside sentences, with their position', () => {
    expect(parseMoneyAmounts('We paid $12,500, then another 300 EUR and £20k.')).toEqual([
      { text: '$12,500', index: 8, value: 12_500, ambiguous: 'dollar' },
      { text: '300 EUR', index: 30, value: 300, currency: 'EUR' },
      { text: '£20k', index: 42, value: 20_000, currency: 'GBP' },
    ]);
  });

  it('reads "A $500 fee" as a bare dollar, not Australian', () => {
    expect(one('A $500 fee')).toEqual({ text: '$500', index: 2, value: 500, ambiguous: 'dollar' });
  });

  it('recognises a configured currency outside the built-in list, in capitals only', () => {
    expect(one('TRY 50,000', ['TRY'])).toMatchObject({ value: 50_000, currency: 'TRY' });
    expect(parseMoneyAmounts('try 50000 times', ['TRY'])).toEqual([]);
  });

  it.each([
    'order 12500',
    'order #12500 has not arrived',
    'error 50000',
    'ERR-50000 on startup',
    'call me on 0412 345 678',
    'our number is +61 2 9999 9999',
    'it happened on 12/05/2026 at 10:30',
    'I walked 10k steps',
    'the job is 50% done',
    'CPU at 99.5%',
    'version 1.2.3 of the app',
    'we have 12,500 users',
    'ticket INV-20391',
    '3x faster',
    '10km away',
    'try 50000 times',
  ])('finds no money in %j', (text) => {
    expect(parseMoneyAmounts(text)).toEqual([]);
  });

  it('formats amounts for the card', () => {
    expect(formatMoney(12_500, 'AUD')).toBe('AUD 12,500');
    expect(formatMoney(9_999.99, 'USD')).toBe('USD 9,999.99');
    expect(formatMoney(0.5, 'EUR')).toBe('EUR 0.50');
  });
});

describe('parseMoneyAmounts properties', () => {
  // Cents as integers, so every generated value has an exact two-decimal form.
  const cents = fc.integer({ min: 0, max: 99_999_999_999 });
  const english = (value: number, fraction: boolean) =>
    value.toLocaleString('en-US', { minimumFractionDigits: fraction ? 2 : 0, maximumFractionDigits: 2 });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 50 }), (a, b) => {
        const amounts = parseMoneyAmounts(`${a} $${b} ${a}k AUD ${b}`, ['AUD']);
        for (const amount of amounts) expect(Number.isFinite(amount.value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('parses formatted amounts back, with each kind of currency marker', () => {
    fc.assert(
      fc.property(
        cents,
        fc.boolean(),
        fc.constantFrom('$#', 'A$#', 'AUD #', '# AUD', '€#', '£#', 'USD #', '# dollars', 'US$#'),
        fc.constantFrom('', 'It cost ', 'We lost '),
        fc.constantFrom('', '.', ' last month', ', please refund'),
        (c, withGrouping, form, before, after) => {
          const value = c / 100;
          const written = withGrouping ? english(value, !Number.isInteger(value)) : String(value);
          const text = `${before}${form.replace('#', written)}${after}`;
          const amounts = parseMoneyAmounts(text);
          expect(amounts, text).toHaveLength(1);
          expect(amounts[0]!.value).toBeCloseTo(value, 2);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('applies k, m and bn multipliers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.constantFrom(['k', 1e3], ['m', 1e6], ['bn', 1e9]),
        (n, [suffix, factor]) => {
          expect(parseMoneyAmounts(`$${n}${suffix}`)[0]?.value).toBe(n * (factor as number));
        },
      ),
    );
  });

  it('finds no money in numbers without a currency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.constantFrom('order ', 'error ', 'ticket #', '', 'v'),
        (n, word) => {
          expect(parseMoneyAmounts(`${word}${n}`)).toEqual([]);
          expect(parseMoneyAmounts(`${word}${n.toLocaleString('en-US')}`)).toEqual([]);
        },
      ),
    );
  });
});
