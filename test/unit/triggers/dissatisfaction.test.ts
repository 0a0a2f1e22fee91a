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
    ['seriously considering cancelling, third outage this month', 'considering cancelling'],
    ["we've decided not to renew", 'decided not to renew'],
    ['please stop wasting my time', 'stop wasting my time'],
    ["you've lost a customer", "you've lost a customer"],
    ['moving everything to HubSpot', 'moving everything to'],
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
    'Can I get a refund for the duplicate charge?',
    'refund us the $10,450 please, the service was down for 2 days',
    'We are switching to SSO next month, any docs?',
    'I am moving to a new office next week, update my address',
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
    expect(hit?.summary).toMatch(/sentiment -\d+(?:\.\d)?/);
    expect(hit?.details.join('\n')).toMatch(
      /Sentiment score -\d+(?:\.\d)? \(AFINN, threshold -3 \(default\), fires at or below\)/,
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
    expect(hit?.summary).toBe('Very negative customer message (sentiment -9, threshold -6)');
    expect(hit?.matched).toEqual(['Useless', 'rubbish', 'joke'].map((w) => w.toLowerCase()));
  });

  it('fires at the threshold itself', () => {
    expect(scoreSentiment('This is useless').score).toBe(-3);
    expect(hitOf('dissatisfaction', 'This is useless')).toBeDefined();
  });

  it('scores words with the support-domain lexicon, negation included', () => {
    expect(scoreSentiment('useless joke')).toEqual({
      score: -6,
      words: [
        { word: 'useless', score: -3 },
        { word: 'joke', score: -3 },
      ],
    });
    // Negation flips at half strength; intensifiers add a quarter or a half.
    expect(scoreSentiment('not good').score).toBe(-1.5);
    expect(scoreSentiment('not bad').score).toBe(1.5);
    expect(scoreSentiment('really annoying').score).toBe(-2.5);
    expect(scoreSentiment('extremely unhappy').score).toBe(-3);
    expect(scoreSentiment('not very good').score).toBeLessThan(0);
    expect(scoreSentiment('error crash problem stuck failed').score).toBe(0);
  });
});

describe('dissatisfaction: trend over the thread', () => {
  it('is worsening, steady or improving against the earlier customer messages', () => {
    expect(sentimentTrend(-6, ['Hi, a quick question', 'Still waiting, this is annoying'])).toEqual({
      trend: 'worsening',
      scores: [0, -2, -6],
      total: -8,
    });
    expect(sentimentTrend(-3, ['useless', 'rubbish']).trend).toBe('steady');
    expect(sentimentTrend(2, ['useless', 'rubbish']).trend).toBe('improving');
    expect(sentimentTrend(-3, [])).toEqual({ trend: undefined, scores: [-3], total: -3 });
  });

  it('puts the trend in the summary and the details', () => {
    const hit = hitOf('dissatisfaction', 'This is useless, a total joke', undefined, {
      recentCustomerTexts: ['Hi, quick question about invoices', 'Still not working, this is annoying'],
    });
    expect(hit?.summary).toBe(
      'Customer is unhappy and may leave: "This is useless, a total joke" (sentiment -6, worsening)',
    );
    expect(hit?.details).toEqual([
      'Churn phrase "total joke" (default phrase)',
      'Sentiment score -6 (AFINN, threshold -3 (default), fires at or below): useless -3, joke -3',
      'Mood trend: worsening (scores of the last 3 customer messages, oldest first: 0, -2, -6)',
      'Thread mood -8 over the last 3 customer messages (fires at or below -6)',
    ]);
  });

  it('fires on a neutral message after a run of very negative ones (thread mood)', () => {
    const recentCustomerTexts = [
      'this is terrible',
      "I'm furious, we've lost a whole day",
      "worst experience we've had with any vendor",
    ];
    const hit = hitOf('dissatisfaction', 'still not working.', undefined, { recentCustomerTexts });
    expect(hit?.summary).toBe(
      'Customer has been very negative over the last 4 messages (thread mood -11, threshold -3 (default))',
    );
    expect(hit?.details.at(-1)).toBe(
      'Thread mood -11 over the last 4 customer messages (fires at or below -6)',
    );
    expect(hit?.matched).toEqual(['still not working.']);
    // A positive message ends it, and one bad message before a neutral one is not a mood.
    expect(
      hitOf('dissatisfaction', 'thanks, that fixed it!', undefined, { recentCustomerTexts }),
    ).toBeUndefined();
    expect(
      hitOf('dissatisfaction', 'still not working.', undefined, {
        recentCustomerTexts: ['this is terrible'],
      }),
    ).toBeUndefined();
  });

  it('reads polite, modest and third-party idioms as such', () => {
    for (const text of [
      'hate to bother you again, but did you get a chance to look at my last message?',
      "sorry for the dumb question, where's the API key page?",
      'our customers hate waiting for invoices, can we automate sending them?',
    ]) {
      expect(hitOf('dissatisfaction', text), text).toBeUndefined();
    }
    expect(hitOf('dissatisfaction', 'this is a f***ing disaster')).toBeDefined();
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
