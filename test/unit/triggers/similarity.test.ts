import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normaliseForMatching,
  similarityTokens,
  textSimilarity,
} from '../../../src/domain/triggers/similarity.js';

describe('normaliseForMatching', () => {
  it.each([
    ['Hey <@U0AGENT>, can you help?', 'Hey , can you help?'],
    ['see <https://status.example.com|the status page> now', 'see the status page now'],
    ['broken: <https://example.com/order/12500>', 'broken:'],
    ['in <#C0SUPPORT|support> and <!here>', 'in #support and'],
    ['*bold* _italic_ ~strike~ snake_case', 'bold italic strike snake_case'],
    ['> quoted line\nmy own words', 'my own words'],
    ['&gt; quoted by Slack\nmine &amp; yours', 'mine & yours'],
    ['before\n```\ncode block\n```\nafter', 'before after'],
    ['an unclosed ```code block', 'an unclosed'],
    ['use `npm ci` please', 'use npm ci please'],
    [
      'My reply.\n\nOn Mon, 3 Jun 2026 at 10:00, Ann <ann@example.com> wrote:\n> old text\n> more',
      'My reply.',
    ],
    ['Reply\n-----Original Message-----\nFrom: someone', 'Reply'],
    ['<p>Hello <at>Escalator</at></p><blockquote>quoted</blockquote><p>world</p>', 'Hello world'],
    ['<a href="https://x.test">the link</a> &nbsp;text', 'the link text'],
    ['don’t “quote” me', 'don\'t "quote" me'],
    ['zero\u200Bwidth\uFEFF and\u00A0spaces\t\n here', 'zerowidth and spaces here'],
    ['a < b and c > d', 'a < b and c > d'],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseForMatching(input)).toBe(expected);
  });
});

describe('textSimilarity', () => {
  it.each([
    [
      'Checkout is failing with a payment error since this morning',
      'Payments fail at checkout, getting an error since 9am',
    ],
    [
      "I can't log in to the dashboard, it says 502 Bad Gateway",
      'Login to the dashboard is broken: 502 bad gateway when signing in',
    ],
    ['The app is down for us, nothing loads', 'Is your app down? Nothing is loading for our team'],
    [
      'Since the update this morning the mobile app crashes on launch',
      "mobile app crashing every time I open it after today's update",
    ],
    [
      'Emails are not being delivered to our customers',
      "our customers aren't receiving any of the emails we send",
    ],
    ['Order 12345 has not arrived', 'my order 99812 still has not arrived'],
  ])('scores the same problem described differently above 0.5: %j / %j', (a, b) => {
    expect(textSimilarity(a, b)).toBeGreaterThan(0.5);
  });

  it.each([
    ['Can you update the billing address on invoice INV-20391?', 'The app is down for us, nothing loads'],
    ['How do I export my contacts to CSV?', 'I was charged twice for my subscription this month'],
    [
      'Please change my account email to new@example.com',
      'The mobile app crashes on launch since the update',
    ],
    ['Where can I find the API rate limits?', 'Our printer integration stopped printing labels'],
  ])('scores unrelated messages below 0.2: %j / %j', (a, b) => {
    expect(textSimilarity(a, b)).toBeLessThan(0.2);
  });

  it('is 1 for identical texts and for texts that differ only in markup, case and ids', () => {
    expect(textSimilarity('The app is down', 'The app is down')).toBe(1);
    expect(textSimilarity('The APP is *down* <@U123>', 'the app is down')).toBe(1);
    expect(textSimilarity('order 12345 missing', 'order 99812 missing')).toBe(1);
    expect(textSimilarity('', '')).toBe(1);
    expect(textSimilarity('the', 'a')).toBe(0);
    expect(textSimilarity('the app is down', '')).toBe(0);
  });

  it('ignores quoted text and code', () => {
    expect(textSimilarity('> The app is down\nHow do I export to CSV?', 'How do I export to CSV?')).toBe(1);
  });

  it('normalises tokens: stopwords out, stems, synonyms, numbers and ids', () => {
    expect(
      similarityTokens('I keep getting errors when signing in, ticket AB-1234, code 502, id 1234567'),
    ).toEqual(['fail', 'login', 'ticket', '<id>', 'code', '502', '<num>']);
  });

  it('reads the names of Object methods as words (a thread about a constructor is compared, not thrown out)', () => {
    expect(similarityTokens('the constructor and toString of valueOf')).toEqual([
      'constructor',
      'tostr',
      'valueof',
    ]);
    expect(textSimilarity('Help with constructor', 'constructor help')).toBe(1);
  });

  it('is symmetric, within 0..1, and 1 on itself (property)', () => {
    const words = fc.constantFrom(
      'app',
      'down',
      'login',
      'error',
      'payment',
      'the',
      'is',
      'crash',
      '502',
      'order',
      '12345',
      'slow',
      'export',
      'csv',
      '😡',
      'שלום',
    );
    const sentence = fc.array(words, { maxLength: 20 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(sentence, sentence, (a, b) => {
        const ab = textSimilarity(a, b);
        expect(ab).toBe(textSimilarity(b, a));
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        expect(textSimilarity(a, a)).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 500 }),
        fc.string({ unit: 'binary', maxLength: 500 }),
        (a, b) => {
          const s = textSimilarity(a, b);
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
