import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHURN_PHRASES,
  LEGAL_PHRASES,
  MANAGER_REQUEST_PHRASES,
  normaliseForMatching,
} from '../../../src/domain/triggers/index.js';
import { CHURN_SENSES, LEGAL_SENSES, MANAGER_SENSES } from '../../../src/domain/triggers/lexicons.js';
import { buildPhraseSet, findPhrases, type PhraseSet } from '../../../src/domain/triggers/phrases.js';

// A phrase set first asks one pattern made of all its phrases whether any can match (a message
// usually matches none). That shortcut must never change what is found.

const FIXTURES = new URL('../../fixtures/triggers/', import.meta.url);
const texts = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.jsonl'))
  .flatMap((name) => readFileSync(new URL(name, FIXTURES), 'utf8').split('\n'))
  .filter((line) => line.trim())
  .map((line) => normaliseForMatching((JSON.parse(line) as { text: string }).text));

const withoutShortcut = (set: PhraseSet): PhraseSet => ({ ...set, anyPhrase: undefined });

const DEFAULT_SETS = {
  manager: buildPhraseSet(MANAGER_REQUEST_PHRASES, undefined, MANAGER_SENSES),
  legal: buildPhraseSet(LEGAL_PHRASES, undefined, LEGAL_SENSES),
  churn: buildPhraseSet(CHURN_PHRASES, undefined, CHURN_SENSES),
};

describe('the any-phrase shortcut', () => {
  it.each(Object.entries(DEFAULT_SETS))(
    'finds what the phrases find one by one: %s, every fixture',
    (_, set) => {
      expect(set.anyPhrase).toBeDefined();
      expect(texts.length).toBeGreaterThan(100);
      for (const text of texts)
        expect(findPhrases(text, set)).toEqual(findPhrases(text, withoutShortcut(set)));
    },
  );

  it('finds what the phrases find one by one on arbitrary text built from their words', () => {
    const words = [
      ...texts.join(' ').split(/\s+/).slice(0, 400),
      'manager',
      'lawyer',
      'cancel',
      "don't",
      'no',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 30 }), (picked) => {
        const text = picked.join(' ');
        for (const set of Object.values(DEFAULT_SETS)) {
          expect(findPhrases(text, set)).toEqual(findPhrases(text, withoutShortcut(set)));
        }
      }),
    );
  });

  it('a policy phrase that refers back to a group still matches', () => {
    // In one alternation `\\1` would point at the first phrase's group.
    const set = buildPhraseSet(['(refund|credit) now'], { phrases: ['(urgent) \\1'] }, []);
    expect(set.anyPhrase).toBeUndefined();
    expect(findPhrases('this is urgent urgent', set).map((m) => m.text)).toEqual(['urgent urgent']);
  });

  it('a hand-built phrase that is not a pattern on its own keeps its odd meaning', () => {
    // Wrapped as the phrase compiler wraps it, `a)|(b` means "a after a boundary, or b before one".
    const set = buildPhraseSet([], { phrases: ['zz)|(qq'] }, []);
    expect(set.anyPhrase).toBeUndefined();
    expect(findPhrases('xqq', set).map((m) => m.text)).toEqual(['qq']);
  });
});
