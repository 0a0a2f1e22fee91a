import { describe, expect, it } from 'vitest';
import type { Triggers } from '../../../src/domain/policy.js';
import { accountMatchKind } from '../../../src/domain/triggers/index.js';
import { hitOf } from './helpers.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const accounts: Triggers = {
  highValue: {
    path: 'management',
    accounts: [
      { match: 'acme.com', tier: 'enterprise' },
      { match: 'T0GLOBEX', tier: 'gold' },
      { match: TENANT, tier: 'platinum' },
      { match: 'slack:U0VIP' },
    ],
  },
};

const amounts = (currency = 'AUD'): Triggers => ({
  highValue: { path: 'management', accounts: [], amountOver: { value: 10_000, currency } },
});

describe('high_value: listed accounts', () => {
  it.each([
    [{ authorEmail: 'ann@acme.com' }, 'acme.com', 'enterprise', 'e-mail domain of ann@acme.com'],
    [{ authorEmail: 'Bob@EU.Acme.COM' }, 'acme.com', 'enterprise', 'e-mail domain of bob@eu.acme.com'],
    [{ authorTeamId: 'T0GLOBEX' }, 'T0GLOBEX', 'gold', 'Slack team T0GLOBEX'],
    [{ authorTeamId: TENANT.toUpperCase() }, TENANT, 'platinum', `Microsoft tenant ${TENANT.toUpperCase()}`],
    [{ authorId: 'slack:U0VIP' }, 'slack:U0VIP', undefined, 'user slack:U0VIP'],
  ])('matches %j', (author, match, tier, how) => {
    const hit = hitOf('high_value', 'Hello, a quick question', accounts, author);
    expect(hit?.summary).toBe(`Listed account ${match}${tier ? ` (${tier} tier)` : ''}`);
    expect(hit?.details).toEqual([`Listed account ${match}, tier ${tier ?? 'not set'}: matched on ${how}`]);
    expect(hit?.matched).toEqual([match]);
  });

  it.each([
    [{ authorEmail: 'ann@notacme.com' }],
    [{ authorEmail: 'ann@acme.com.evil.io' }],
    [{ authorEmail: 'acme.com@gmail.com' }],
    [{ authorTeamId: 'T0OTHER' }],
    [{ authorTeamId: 't0globex' }],
    [{ authorId: 'slack:U0NOBODY' }],
    [{ authorId: 'teams:U0VIP' }],
    [{}],
  ])('does not match %j', (author) => {
    expect(hitOf('high_value', 'Hello', accounts, author)).toBeUndefined();
  });

  it('tells the kinds of account match apart', () => {
    expect(accountMatchKind('acme.com')).toBe('domain');
    expect(accountMatchKind('eu.acme.co.uk')).toBe('domain');
    expect(accountMatchKind('T0123ABC')).toBe('slackTeam');
    expect(accountMatchKind(TENANT)).toBe('tenant');
    expect(accountMatchKind('slack:U0123')).toBe('user');
    expect(accountMatchKind('teams:29:1abc')).toBe('user');
    expect(accountMatchKind('Acme Corp')).toBeUndefined();
    expect(accountMatchKind('ann@acme.com')).toBeUndefined();
    expect(accountMatchKind('acme')).toBeUndefined();
  });
});

describe('high_value: amounts over the threshold (strictly over)', () => {
  it.each([
    ['We were billed $12,500 for nothing', '$12,500', 'AUD 12,500 ($ taken as AUD)'],
    ['That is AUD 12k of stock', 'AUD 12k', 'AUD 12,000'],
    ['we lost 12.5K dollars', '12.5K dollars', 'AUD 12,500 ($ taken as AUD)'],
    ['the order was A$15,000', 'A$15,000', 'AUD 15,000'],
    ['invoice total 15,000 AUD', '15,000 AUD', 'AUD 15,000'],
    ['about 20 grand', '20 grand', 'AUD 20,000 ("grand" taken as AUD)'],
  ])('fires on %j', (text, fragment, read) => {
    const hit = hitOf('high_value', text, amounts());
    expect(hit?.matched).toEqual([fragment]);
    expect(hit?.summary).toContain(`Amount "${fragment}"`);
    expect(hit?.summary).toContain('over the AUD 10,000 threshold');
    expect(hit?.details).toEqual([`Amount "${fragment}" = ${read}: over the AUD 10,000 threshold`]);
  });

  it.each([
    'A $500 fee',
    'exactly $10,000 a year, as budgeted',
    'USD 9,999.99',
    '$9,999.99',
    'order 12500',
    'error 50000',
    'call me on 0412 345 678',
    'on 12/05/2026',
    'I walked 10k steps',
    '50% of 20000 users',
    '€3.2m',
    '£20k',
    '> We lost $50,000\nsorry, that was another customer',
  ])('does not fire on %j', (text) => {
    expect(hitOf('high_value', text, amounts())).toBeUndefined();
  });

  it('reports amounts in other currencies without comparing them', () => {
    const hit = hitOf('high_value', 'We lost $12,500 plus €3.2m and £20k', amounts());
    expect(hit?.matched).toEqual(['$12,500']);
    expect(hit?.details).toEqual([
      'Amount "$12,500" = AUD 12,500 ($ taken as AUD): over the AUD 10,000 threshold',
      'Amount "€3.2m" = EUR 3,200,000: not compared, the threshold is in AUD and amounts are not converted',
      'Amount "£20k" = GBP 20,000: not compared, the threshold is in AUD and amounts are not converted',
    ]);
  });

  it('takes a bare $ as USD when the policy currency is not a dollar, and does not compare it', () => {
    expect(hitOf('high_value', 'We lost $50,000', amounts('EUR'))).toBeUndefined();
    expect(hitOf('high_value', 'We lost €50,000', amounts('EUR'))?.summary).toBe(
      'Amount "€50,000" (EUR 50,000) over the EUR 10,000 threshold',
    );
    expect(hitOf('high_value', 'We lost $50,000', amounts('USD'))?.details[0]).toContain('($ taken as USD)');
  });

  it('shows the account and the amounts together, small amounts included', () => {
    const both: Triggers = {
      highValue: {
        path: 'm',
        accounts: [{ match: 'acme.com', tier: 'enterprise' }],
        amountOver: { value: 10_000, currency: 'AUD' },
      },
    };
    const hit = hitOf('high_value', 'A $500 fee and a $20,000 order', both, { authorEmail: 'ann@acme.com' });
    expect(hit?.summary).toBe(
      'Listed account acme.com (enterprise tier); Amount "$20,000" (AUD 20,000) over the AUD 10,000 threshold',
    );
    expect(hit?.details).toEqual([
      'Listed account acme.com, tier enterprise: matched on e-mail domain of ann@acme.com',
      'Amount "$500" = AUD 500 ($ taken as AUD): not over the AUD 10,000 threshold',
      'Amount "$20,000" = AUD 20,000 ($ taken as AUD): over the AUD 10,000 threshold',
    ]);
    expect(hit?.matched).toEqual(['acme.com', '$20,000']);
  });
});
