import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Triggers } from '../../../src/domain/policy.js';
import {
  CHURN_PHRASES,
  detectContentTriggers,
  LEGAL_PHRASES,
  MANAGER_REQUEST_PHRASES,
  normaliseForMatching,
} from '../../../src/domain/triggers/index.js';
import { LEGAL_SENSES, MANAGER_SENSES } from '../../../src/domain/triggers/lexicons.js';
import { buildPhraseSet, findPhrases, isNegated } from '../../../src/domain/triggers/phrases.js';
import { ALL_DEFAULTS, message } from './helpers.js';

describe('detectContentTriggers', () => {
  it('returns one hit per kind, in a fixed order, each with evidence', () => {
    const hits = detectContentTriggers(
      message(
        'This is useless. I want to speak to your manager, my lawyer is involved and we lost $25,000. Cancel my subscription.',
        { authorEmail: 'ann@acme.com' },
      ),
      ALL_DEFAULTS,
    );
    expect(hits.map((h) => h.kind)).toEqual(['manager_request', 'high_value', 'legal', 'dissatisfaction']);
    for (const hit of hits) {
      expect(hit.summary).not.toBe('');
      expect(hit.details.length).toBeGreaterThan(0);
      expect(hit.matched.length).toBeGreaterThan(0);
    }
  });

  it('runs only the triggers the policy names', () => {
    const text = 'I want to speak to your manager, my lawyer is involved';
    expect(detectContentTriggers(message(text), {})).toEqual([]);
    const onlyLegal: Triggers = { legal: { path: 'm', phrases: [] } };
    expect(detectContentTriggers(message(text), onlyLegal).map((h) => h.kind)).toEqual(['legal']);
  });

  it('ignores slaBreach and systemic, which are not content triggers', () => {
    const triggers: Triggers = {
      slaBreach: { path: 'tech' },
      systemic: { path: 'tech', minThreads: 3, withinMs: 3_600_000, similarity: 0.5 },
    };
    expect(detectContentTriggers(message('The app is down! Speak to your manager'), triggers)).toEqual([]);
  });

  it('fires nothing on a plain support message', () => {
    expect(
      detectContentTriggers(
        message(
          'Hi team, the export to CSV is missing the date column since yesterday. Can you check? Thanks',
        ),
        ALL_DEFAULTS,
      ),
    ).toEqual([]);
  });

  it('reads what the customer wrote, not quotes or code they pasted', () => {
    const text = [
      'On Tue, 2 Jun 2026, Support <help@example.com> wrote:',
      '> If you want to speak to a manager, or sue us, or cancel my account, reply here. Fee: $50,000.',
    ].join('\n');
    expect(detectContentTriggers(message(text), ALL_DEFAULTS)).toEqual([]);
    const code = 'Here is the log:\n```\nlawsuit.rb:12 fire() $99,999 speak to your manager\n```';
    expect(detectContentTriggers(message(code), ALL_DEFAULTS)).toEqual([]);
  });
});

describe('phrase matching', () => {
  const managerSet = buildPhraseSet(MANAGER_REQUEST_PHRASES, undefined, MANAGER_SENSES);

  it('finds negation within the clause, a few words before the phrase', () => {
    const at = (text: string, phrase: string) => {
      const i = text.indexOf(phrase);
      return isNegated(text, i, i + phrase.length);
    };
    expect(at("I don't want to speak to a manager", 'speak to a manager')).toBe(true);
    expect(at('no need for a manager', 'a manager')).toBe(true);
    expect(at('not asking for a supervisor', 'supervisor')).toBe(true);
    expect(at("I don't care, speak to a manager", 'speak to a manager')).toBe(false);
    expect(at("If it doesn't work I'll sue", 'sue')).toBe(false);
    expect(at('not fixed after three weeks of waiting so I will call my lawyer', 'my lawyer')).toBe(false);
    expect(at('No, I want a manager', 'a manager')).toBe(false);
    expect(at('a manager is not needed', 'a manager')).toBe(true);
  });

  it('keeps the longest of overlapping matches', () => {
    const set = buildPhraseSet(['fire', 'caught fire', 'fire hazard'], undefined, LEGAL_SENSES);
    expect(findPhrases('the charger caught fire', set).map((m) => m.text)).toEqual(['caught fire']);
  });

  it('skips policy patterns that match nothing or do not compile (hand-built policies)', () => {
    const set = buildPhraseSet([], { phrases: ['a*', '(', 'ok'] }, []);
    expect(set.phrases.map((p) => p.source)).toEqual(['ok']);
  });

  it('never throws and finds real phrases in arbitrary unicode (property)', () => {
    const noise = fc.string({ unit: 'grapheme', maxLength: 200 });
    const weird = fc.constantFrom(
      '\u200B',
      '\u200D',
      '\uFEFF',
      '\u202E',
      '\u2067',
      '👩‍👩‍👧',
      '🏳️‍🌈',
      'مرحبا بالعالم',
      'שלום',
      '\uD800',
      '\n> ',
      '```',
      '<@U1>',
      '&gt;',
      '   ',
    );
    fc.assert(
      fc.property(noise, weird, noise, (a, w, b) => {
        const text = `${a}${w} Can I speak to your manager? ${w}${b}`;
        const hits = detectContentTriggers(message(text), ALL_DEFAULTS);
        expect(Array.isArray(hits)).toBe(true);
        const found = findPhrases(normaliseForMatching(`${a}${w}. Can I speak to your manager.`), managerSet);
        // The phrase survives any prefix that does not quote or negate it.
        if (!/[>`<&]|\n|not|no|n't|never|without|nor|none/i.test(a + w))
          expect(found.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on 40,000 characters of arbitrary unicode (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 2_000, maxLength: 2_000 }),
        fc.string({ unit: 'binary', minLength: 500, maxLength: 500 }),
        (graphemes, binary) => {
          const text = (graphemes + binary).repeat(16).slice(0, 40_000);
          const hits = detectContentTriggers(message(text, { recentCustomerTexts: [text] }), ALL_DEFAULTS);
          for (const hit of hits) expect(hit.summary.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 5 },
    );
  });

  it('handles a 40,000-character message with every lexicon', () => {
    const sentence = 'The export is slow again and the dashboard shows a spinner 🌀 for ages. ';
    const long = `${sentence.repeat(Math.ceil(40_000 / sentence.length)).slice(0, 40_000)} I want to speak to your manager`;
    expect(long.length).toBeGreaterThan(40_000);
    const hits = detectContentTriggers(message(long), ALL_DEFAULTS);
    expect(hits.map((h) => h.kind)).toEqual(['manager_request']);
    const noSpaces = 'x'.repeat(40_000);
    expect(detectContentTriggers(message(noSpaces), ALL_DEFAULTS)).toEqual([]);
    const allDigits = '1,'.repeat(20_000);
    expect(detectContentTriggers(message(allDigits), ALL_DEFAULTS)).toEqual([]);
  });

  it('compiles every default phrase', () => {
    for (const list of [MANAGER_REQUEST_PHRASES, LEGAL_PHRASES, CHURN_PHRASES]) {
      expect(buildPhraseSet(list, undefined, []).phrases).toHaveLength(
        new Set(list.map((p) => p.toLowerCase())).size,
      );
    }
  });
});
