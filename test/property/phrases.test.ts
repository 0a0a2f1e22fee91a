import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHURN_PHRASES,
  CHURN_SENSES,
  LEGAL_PHRASES,
  LEGAL_SENSES,
  MANAGER_REQUEST_PHRASES,
  MANAGER_SENSES,
} from '../../src/domain/triggers/lexicons.js';
import { normaliseForMatching } from '../../src/domain/triggers/normalise.js';
import { buildPhraseSet, findPhrases } from '../../src/domain/triggers/phrases.js';

/** Property tests of the phrase matcher behind the manager-request, legal and churn triggers. */

/** Words that neither negate, nor end a clause, nor change a word's sense. */
const FILLER = [
  'please',
  'the',
  'customer',
  'said',
  'today',
  'order',
  'invoice',
  'my',
  'about',
  'we',
  'really',
  'again',
  'hello',
];
const filler = fc.array(fc.constantFrom(...FILLER), { maxLength: 10 }).map((w) => w.join(' '));
const word = fc.stringMatching(/^[a-z]{3,9}$/).filter((w) => !FILLER.includes(w));
/** A policy phrase of plain words, as an admin adds one ("refund policy breach"). */
const plainPhrase = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const randomCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
const policySet = (phrase: string) => buildPhraseSet([], { phrases: [phrase], replaceDefaults: true }, []);

const DEFAULT_SETS = [
  buildPhraseSet(MANAGER_REQUEST_PHRASES, undefined, MANAGER_SENSES),
  buildPhraseSet(LEGAL_PHRASES, undefined, LEGAL_SENSES),
  buildPhraseSet(CHURN_PHRASES, undefined, CHURN_SENSES),
];
/** Things customers write that the default lexicons must catch wherever they sit in a message. */
const DEFAULT_EXAMPLES: Array<[number, string]> = [
  [0, 'can I speak to your manager'],
  [0, 'put me through to someone senior'],
  [0, 'I want a supervisor'],
  [1, 'my lawyer will be in touch'],
  [1, 'this is a GDPR breach'],
  [2, 'I will cancel my subscription'],
  [2, 'you have lost a customer'],
];

describe('findPhrases', () => {
  it('a phrase embedded in other words is found where it is, as the customer wrote it, in any case', () => {
    fc.assert(
      fc.property(
        plainPhrase.chain((p) => fc.tuple(fc.constant(p), randomCase(p))),
        filler,
        filler,
        ([phrase, written], before, after) => {
          const lead = before ? `${before} ` : '';
          const text = `${lead}${written}${after ? ` ${after}` : ''}.`;
          const matches = findPhrases(text, policySet(phrase));
          expect(matches.map((m) => [m.text, m.index])).toEqual([[written, lead.length]]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('only whole words match: a phrase glued to other letters or digits is not found', () => {
    fc.assert(
      fc.property(plainPhrase, fc.stringMatching(/^[a-z0-9]{1,3}$/), fc.boolean(), (phrase, glue, front) => {
        const text = front ? `hello ${glue}${phrase} hello` : `hello ${phrase}${glue} hello`;
        expect(findPhrases(text, policySet(phrase))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('the default lexicons catch their examples anywhere in a message, in any case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DEFAULT_EXAMPLES).chain(([set, e]) => fc.tuple(fc.constant(set), randomCase(e))),
        filler,
        filler,
        ([set, example], before, after) => {
          const text = `${before}. ${example}. ${after}`;
          expect(findPhrases(text, DEFAULT_SETS[set]!).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('zero-width and bidi characters slipped into a phrase do not hide it once the text is normalised', () => {
    const invisible = fc.constantFrom(
      '\u200B',
      '\u200C',
      '\u200D',
      '\u2060',
      '\uFEFF',
      '\u00AD',
      '\u202A',
      '\u2066',
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...DEFAULT_EXAMPLES),
        fc.array(fc.tuple(fc.nat(), invisible), { minLength: 1, maxLength: 5 }),
        ([set, example], insertions) => {
          let hidden = example;
          for (const [at, ch] of insertions) {
            const i = at % (hidden.length + 1);
            hidden = hidden.slice(0, i) + ch + hidden.slice(i);
          }
          expect(findPhrases(normaliseForMatching(hidden), DEFAULT_SETS[set]!).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws on any text, and every match is a slice of the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        for (const set of DEFAULT_SETS) {
          for (const m of findPhrases(text, set))
            expect(text.slice(m.index, m.index + m.text.length)).toBe(m.text);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('stays fast on long adversarial text (no catastrophic backtracking): 40,000 characters per set', () => {
    // Repeated pieces of the lexicons' own patterns are where a backtracking regex would blow up;
    // the test's timeout is the check (a catastrophic pattern would not finish at all).
    const pieces = [
      'speak to ',
      'a a a a ',
      'manager or ',
      'someone senior ',
      'want a ',
      '-----',
      'switching to the ',
      'never again ',
      `${'x'.repeat(39)} or `,
    ];
    for (const piece of pieces) {
      const text = piece.repeat(Math.ceil(40_000 / piece.length));
      for (const set of DEFAULT_SETS) expect(Array.isArray(findPhrases(text, set))).toBe(true);
    }
  });
});
