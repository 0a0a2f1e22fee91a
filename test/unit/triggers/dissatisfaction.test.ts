import { describe, expect, it } from 'vitest';
import type { Triggers } from '../../../src/domain/policy.js';
import {
  DEFAULT_SENTIMENT_BELOW,
  scoreSentiment,
  sentimentTrend,
} from '../../../src/domain/triggers/index.js';
import { hitOf } from './helpers.js';

describe('dissatisfaction: churn phrases', () => {
  it.each([
    ['I want to cancel my subscription', 'cancel my subscription'],
    ['Please close my account', 'close my account'],
    ['cancel my account now', 'cancel my account'],
    ["We're switching to Zendesk next month", 'switching to'],
    ['honestly thinking of moving to a competitor', 'moving to a competitor'],
    ['what a waste of money', 'waste of money'],
    ['I want a refund', 'want a refund'],
    ['I want my money back', 'my money back'],
    ["I'm done with you people", "I'm done with you"],
    ['Never using this again', 'Never using this again'],
    ['I will never buy from you again', 'I will never buy from you again'],
    ["We won't be renewing", "We won't be renewing"],
    ["I'm taking my business elsewhere", 'taking my business elsewhere'],
    ['I will be leaving a 1-star review', 'will be leaving a 1-star review'],
    ['Fed up with this', 'Fed up'],
  ])('fires on %j', (text, phrase) => {
    const hit = hitOf('dissatisfaction', text);
    expect(hit?.matched).toContain(phrase);
    expect(hit?.summary).toMatch(/^Customer is unhappy and may leave: ".+" \(sentiment -?\d+\)$/);
    expect(hit?.details[0]).toBe(`Churn phrase "${phrase}" (default phrase)`);
  });

  it.each([
    "I don't want to cancel my account, just pause it",
    'I do not want to close my account',
    "I'm not switching to a competitor, just asking",
    'not a waste of money at all, love it',
    'switching to the annual plan would be great',
    'switching to dark mode breaks the layout',
    'We are switching to monthly billing',
    'How do I cancel my order?',
    'cancel my subscription to the newsletter please',
    "I'm leaving you a voicemail now",
    "my subscription won't renew, the card was declined",
    "> I want a refund\nSorry, ignore that, it's sorted",
  ])('does not fire on %j', (text) => {
    expect(hitOf('dissatisfaction', text)).toBeUndefined();
  });
});

describe('dissatisfaction: sentiment', () => {
  it.each([
    'This is useless',
    'Your product is absolute rubbish and your support is a joke',
    'I am so frustrated and disappointed with this',
    'Appalling. Unacceptable.',
    'this is a scam 😡',
  ])('fires on the very negative %j', (text) => {
    const hit = hitOf('dissatisfaction', text);
    expect(hit?.summary).toMatch(/sentiment -\d+/);
    expect(hit?.details.join('\n')).toMatch(
      /Sentiment score -\d+ \(AFINN, threshold -3 \(default\), fires at or below\)/,
    );
  });

  it.each([
    'I get error 500 when I try to log in and the app crashed',
    'The sync is broken and stuck, and it failed again',
    'I was charged twice this month, can you check?',
    'Sorry to bother you, the export is missing a column',
    'Thanks, that fixed it!',
    'This is not bad at all',
    'not useless, just slow',
  ])('does not fire on the calm or factual %j', (text) => {
    expect(hitOf('dissatisfaction', text)).toBeUndefined();
  });

  it('defaults to -3 and honours sentimentBelow from the policy', () => {
    expect(DEFAULT_SENTIMENT_BELOW).toBe(-3);
    const strict: Triggers = { dissatisfaction: { path: 'm', phrases: [], sentimentBelow: -6 } };
    expect(hitOf('dissatisfaction', 'This is useless', strict)).toBeUndefined();
    const hit = hitOf('dissatisfaction', 'Useless, rubbish, a joke', strict);
    expect(hit?.summary).toBe('Very negative customer message (sentiment -8, threshold -6)');
    expect(hit?.matched).toEqual(['Useless', 'rubbish', 'joke'].map((w) => w.toLowerCase()));
  });

  it('fires at the threshold itself', () => {
    expect(scoreSentiment('This is useless').score).toBe(-3);
    expect(hitOf('dissatisfaction', 'This is useless')).toBeDefined();
  });

  it('scores words with the support-domain lexicon, negation included', () => {
    expect(scoreSentiment('useless joke')).toEqual({
      score: -5,
      words: [
        { word: 'useless', score: -3 },
        { word: 'joke', score: -2 },
      ],
    });
    expect(scoreSentiment('not good').score).toBeLessThan(0);
    expect(scoreSentiment('error crash problem stuck failed').score).toBe(0);
  });
});

describe('dissatisfaction: trend over the thread', () => {
  it('is worsening, steady or improving against the earlier customer messages', () => {
    expect(sentimentTrend(-6, ['Hi, a quick question', 'Still waiting, this is annoying'])).toEqual({
      trend: 'worsening',
      scores: [0, -2, -6],
    });
    expect(sentimentTrend(-3, ['useless', 'rubbish']).trend).toBe('steady');
    expect(sentimentTrend(2, ['useless', 'rubbish']).trend).toBe('improving');
    expect(sentimentTrend(-3, [])).toEqual({ trend: undefined, scores: [-3] });
  });

  it('puts the trend in the summary and the details', () => {
    const hit = hitOf('dissatisfaction', 'This is useless, a total joke', undefined, {
      recentCustomerTexts: ['Hi, quick question about invoices', 'Still not working, this is annoying'],
    });
    expect(hit?.summary).toBe(
      'Customer is unhappy and may leave: "This is useless, a total joke" (sentiment -5, worsening)',
    );
    expect(hit?.details).toEqual([
      'Churn phrase "total joke" (default phrase)',
      'Sentiment score -5 (AFINN, threshold -3 (default), fires at or below): useless -3, joke -2',
      'Mood trend: worsening (scores of the last 3 customer messages, oldest first: 0, -2, -5)',
    ]);
  });

  it('says when there is no earlier message', () => {
    expect(hitOf('dissatisfaction', 'This is useless')?.details).toContain(
      'Mood trend: no earlier customer messages in this thread',
    );
  });
});

describe('dissatisfaction phrases from the policy', () => {
  it('extends or replaces the churn phrases, keeping the sentiment check', () => {
    const extend: Triggers = { dissatisfaction: { path: 'm', phrases: ['port my number out'] } };
    const replace: Triggers = {
      dissatisfaction: { path: 'm', phrases: ['port my number out'], replaceDefaults: true },
    };
    expect(hitOf('dissatisfaction', 'I will port my number out', extend)).toBeDefined();
    expect(hitOf('dissatisfaction', 'cancel my subscription', extend)).toBeDefined();
    expect(hitOf('dissatisfaction', 'cancel my subscription', replace)).toBeUndefined();
    expect(hitOf('dissatisfaction', 'I will port my number out', replace)).toBeDefined();
    expect(hitOf('dissatisfaction', 'This is useless', replace)).toBeDefined();
  });
});
