import { describe, expect, it } from 'vitest';
import { escalateForm } from '../../../adapters/teams/forms.js';
import { type AdaptiveCard, renderAdaptiveCard } from '../../../adapters/teams/render-adaptive-card.js';
import { beforeEscalatingCard, outcomeCard } from '../../../adapters/teams/suggestions-card.js';
import { transcriptCard } from '../../../adapters/teams/transcript-card.js';
import type { TranscriptLine, TranscriptPage } from '../../../src/app/transcript.js';
import { buildEscalationCard } from '../../../src/domain/build-escalation-card.js';
import { ESCALATION_STATUSES } from '../../../src/domain/escalation.js';
import type { SimilarPast } from '../../../src/domain/knowledge.js';
import {
  makeEscalation,
  makeIssue,
  makeKnowledgeEntry,
  makeMessage,
  makeSimilarPast,
} from '../../support/core/domain-builders.js';
import { storyPolicy } from '../../support/story/story-policy.js';
import {
  adaptiveCardProblems,
  cardBytes,
  hasLoneSurrogate,
} from '../../support/teams/validate-adaptive-card.js';

/**
 * The Teams side of "help the frontline resolve more", card by card: the escalate form and the
 * mention's card with similar past escalations, "View conversation" on escalation cards, and the
 * conversation dialog's pages. Every card validates with Microsoft's `adaptivecards` library and
 * stays within 28 KB whatever the text.
 */

const BUDGET_BYTES = 28 * 1024;
const NOW = new Date('2026-03-05T00:00:00.000Z');
const SPECIALIST = 'teams:00000000-0000-4000-8000-0000000000b1';
const NAMES = new Map([
  [SPECIALIST, 'Bob Specialist'],
  ['slack:U0SPEC', 'Sasha Slack'],
]);
const issue = makeIssue({
  id: 'iss_form1',
  number: 12,
  channel: 'teams:19:support@thread.tacv2',
  threadId: '1700000000123',
});

function expectValid(json: AdaptiveCard) {
  expect(json).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
  expect(adaptiveCardProblems(json)).toEqual([]);
  expect(cardBytes(json)).toBeLessThan(BUDGET_BYTES);
  expect(hasLoneSurrogate(JSON.stringify(json))).toBe(false);
}

interface Element {
  type?: string;
  title?: string;
  text?: string;
  verb?: string;
  data?: Record<string, unknown>;
  associatedInputs?: string;
  items?: Element[];
  actions?: Element[];
  body?: Element[];
}
const all = (e: Element): Element[] => [
  e,
  ...[...(e.body ?? []), ...(e.items ?? []), ...(e.actions ?? [])].flatMap(all),
];
const containers = (card: AdaptiveCard) => (card.body as Element[]).filter((e) => e.type === 'Container');
const shownText = (e: Element) =>
  all(e)
    .filter((x) => x.type === 'TextBlock')
    .map((x) => x.text)
    .join('\n');

/** Three past fixes: a Slack thread with a reusable answer, a Teams thread, a local-workspace one. */
const suggestions: SimilarPast[] = [
  makeSimilarPast(
    makeKnowledgeEntry({ id: 'kno_a', escalationNumber: 3, answer: 'Press "Clear export cache".' }),
  ),
  makeSimilarPast(
    makeKnowledgeEntry({
      id: 'kno_b',
      escalationNumber: 5,
      channel: 'teams:19:support@thread.tacv2',
      threadId: '1700000000999',
      resolvedBy: SPECIALIST,
      rootCause: 'system_issue',
      resolutionNote: 'Restarted the *export worker* for <@slack:U0SPEC>.',
    }),
  ),
  makeSimilarPast(makeKnowledgeEntry({ id: 'kno_c', escalationNumber: 9, channel: 'local:support' })),
];
const view = { suggestions, names: NAMES, now: NOW };

describe('the escalate form with similar past escalations', () => {
  const policy = storyPolicy('teams');

  it('shows each as a Container with its facts and "This solved it", and the submit says "Escalate anyway"', () => {
    const form = escalateForm(policy, issue, 'Export fails with E42', undefined, view);
    expectValid(form);
    const shown = containers(form);
    expect(shown).toHaveLength(3);
    const [answer, noted, local] = shown.map(shownText);
    expect(answer).toContain('#3');
    expect(answer).toContain('Answer');
    expect(answer).toContain('Press "Clear export cache".');
    expect(answer).toContain('Resolved by Sasha Slack 3d ago');
    expect(answer).toContain('[Open thread](https://slack.com/archives/C0SUPPORT/p1770000000000100)');
    expect(noted).toContain('#5');
    expect(noted).toContain('System issue');
    expect(noted).toContain('Resolved by Bob Specialist');
    // Core markup as Teams shows it: bold, and people by name.
    expect(noted).toContain('Restarted the **export worker** for Sasha Slack.');
    expect(noted).toContain('https://teams.microsoft.com/l/message/');
    // A local-workspace thread has no address Teams could open.
    expect(local).toContain('#9');
    expect(local).not.toContain('Open thread');

    const solved = shown.map((c) => all(c).find((e) => e.title === 'This solved it'));
    expect(solved).toEqual(
      ['kno_a', 'kno_b', 'kno_c'].map((id) => ({
        type: 'Action.Submit',
        title: 'This solved it',
        associatedInputs: 'none',
        data: { solvedEntryId: id, issueId: 'iss_form1' },
      })),
    );
    expect(form.actions).toEqual([
      { type: 'Action.Submit', title: 'Escalate anyway', data: { issueId: 'iss_form1' } },
    ]);
  });

  it('a fix from the last minute is "just now", not "in 0m"', () => {
    const fresh = [{ ...suggestions[1]!, resolvedAt: new Date(NOW.getTime() - 20_000) }];
    const form = escalateForm(policy, issue, 'Export fails', undefined, { ...view, suggestions: fresh });
    expect(shownText(containers(form)[0]!)).toContain('Resolved by Bob Specialist just now');
  });

  it('without suggestions it is the plain form', () => {
    const form = escalateForm(policy, issue, 'Export fails', undefined, { ...view, suggestions: [] });
    expectValid(form);
    expect(containers(form)).toEqual([]);
    expect(form.actions).toEqual([
      { type: 'Action.Submit', title: 'Escalate', data: { issueId: 'iss_form1' } },
    ]);
  });

  it('stays valid and small with 40,000-character fixes and names, and the error shown again', () => {
    const huge = '🔥 cache '.repeat(5000);
    const big = suggestions.map((s) => ({ ...s, text: huge }));
    const names = new Map([...NAMES].map(([id, name]) => [id, `${name} ${huge}`]));
    const form = escalateForm(policy, issue, huge, 'Say why: the specialist reads this first.', {
      suggestions: big,
      names,
      now: NOW,
    });
    expectValid(form);
    expect(form.body[0]).toMatchObject({ color: 'Attention' });
  });
});

describe('the card a mention gets before escalating', () => {
  const request = { issueId: 'iss_form1', reason: 'export still failing', path: 'tech', priority: 'P2' };

  it('lists the suggestions with "This solved it" and has one "Escalate anyway" carrying the request', () => {
    const card = beforeEscalatingCard(view, request, { issueNumber: 12, agentName: 'Alice Agent' });
    expectValid(card);
    expect(shownText(card as Element)).toContain('Alice Agent: 3 similar escalations were solved before');
    const solved = all(card as Element).filter((e) => e.title === 'This solved it');
    expect(solved.map((s) => [s.type, s.verb, s.data])).toEqual(
      ['kno_a', 'kno_b', 'kno_c'].map((entryId) => ['Action.Execute', 'solved_it', { entryId, ...request }]),
    );
    expect(card.actions).toEqual([
      { type: 'Action.Execute', verb: 'escalate_anyway', title: 'Escalate anyway', data: request },
    ]);
  });

  it('keeps a very long reason within the card budget', () => {
    const card = beforeEscalatingCard(
      view,
      { ...request, reason: 'why '.repeat(10_000) },
      { issueNumber: 12 },
    );
    expectValid(card);
  });

  it('once answered, shows the outcome and no buttons', () => {
    const done = outcomeCard('⏫ Escalated to L2 Tech as #4.', 'Issue #12 is already closed.');
    expectValid(done);
    expect(done.actions).toBeUndefined();
    expect(all(done as Element).some((e) => e.type?.startsWith('Action.'))).toBe(false);
  });
});

describe('"View conversation" on escalation cards', () => {
  it.each(ESCALATION_STATUSES)('%s: opens the conversation dialog with task/fetch', (status) => {
    const card = buildEscalationCard({
      escalation: makeEscalation({
        status,
        claimedBy: SPECIALIST,
        claimedAt: NOW,
        resolvedBy: SPECIALIST,
        resolvedAt: NOW,
        rootCause: 'other',
        bouncedBy: SPECIALIST,
        bouncedAt: NOW,
      }),
      issue: makeIssue({ messageCount: 45 }),
      messages: [makeMessage({ text: 'Export fails' })],
      history: [],
      timeZone: 'Australia/Sydney',
    });
    const json = renderAdaptiveCard(card, NAMES);
    expectValid(json);
    const button = all(json as Element).find((e) => e.data?.view === 'conversation');
    expect(button).toEqual({
      type: 'Action.Submit',
      title: 'View conversation (45)',
      data: { msteams: { type: 'task/fetch' }, escalationId: 'esc_test1', view: 'conversation' },
    });
    // In the body: the five buttons Teams shows stay for acting.
    expect((json.actions ?? []) as Element[]).not.toContainEqual(button);
  });
});

describe('the conversation dialog', () => {
  const line = (i: number, overrides: Partial<TranscriptLine> = {}): TranscriptLine => ({
    authorId: i % 2 ? 'slack:U0CUSTOMER' : 'teams:00000000-0000-4000-8000-0000000000b1',
    authorName: i % 2 ? 'Casey Customer' : 'Bob Specialist',
    role: i % 2 ? 'customer' : 'staff',
    text: `Message number ${i}`,
    at: new Date(NOW.getTime() + i * 60_000),
    edited: false,
    ...overrides,
  });
  const page = (n: number, pages: number, lines: TranscriptLine[]): TranscriptPage => ({
    escalationId: 'esc_test1',
    escalationNumber: 7,
    issueNumber: 3,
    channel: 'slack:C0SUPPORT',
    threadId: '1770000000.000100',
    total: pages * 40,
    page: n,
    pages,
    lines,
  });
  const options = { names: new Map<string, string>(), timeZone: 'Australia/Sydney' };
  const turns = (card: AdaptiveCard) => ((card.actions ?? []) as Element[]).map((a) => [a.title, a.data]);

  it('shows author, time and text of each message, and "Page N of M"', () => {
    const card = transcriptCard(page(1, 3, [line(41), line(42, { edited: true })]), options);
    expectValid(card);
    const [first, second] = containers(card).map(shownText);
    expect(first).toMatch(/^\*\*Casey Customer\*\* · customer · .+\nMessage number 41$/);
    expect(second).toMatch(/^\*\*Bob Specialist\*\* · .+ · edited\nMessage number 42$/);
    expect(shownText(card as Element)).toContain('Page 2 of 3 · 120 messages');
    expect(shownText(card as Element)).toContain('[Open thread](https://slack.com/archives/C0SUPPORT/p');
  });

  it('has Newer on the first page, Older on the last, both between, none on a single page', () => {
    const data = (to: number) => ({ escalationId: 'esc_test1', view: 'conversation', page: to });
    expect(turns(transcriptCard(page(0, 3, [line(1)]), options))).toEqual([['Newer', data(1)]]);
    expect(turns(transcriptCard(page(1, 3, [line(41)]), options))).toEqual([
      ['Older', data(0)],
      ['Newer', data(2)],
    ]);
    expect(turns(transcriptCard(page(2, 3, [line(81)]), options))).toEqual([['Older', data(1)]]);
    const single = transcriptCard(page(0, 1, [line(1)]), options);
    expect(single.actions).toBeUndefined();
  });

  it('names an author Escalator never learned by their platform id', () => {
    const card = transcriptCard(
      page(0, 1, [line(1, { authorName: null, authorId: 'slack:U0GHOST' })]),
      options,
    );
    expect(shownText(card as Element)).toContain('**slack:U0GHOST**');
  });

  it('an empty thread says why there is nothing to show', () => {
    const card = transcriptCard({ ...page(0, 1, []), total: 0 }, options);
    expectValid(card);
    expect(shownText(card as Element)).toContain('Page 1 of 1 · 0 messages');
    expect(shownText(card as Element)).toContain('No messages of this thread are kept');
  });

  it.each([
    ['plain text', 'Checkout broken. '.repeat(2400)],
    ['emoji', '🔥🧾💳'.repeat(7000)],
    ['right-to-left text', 'הלקוח לא יכול לשלם. العميل لا يستطيع الدفع. '.repeat(1000)],
  ])('40 messages of 40,000 characters of %s stay within 28 KB, each cut visibly', (_name, huge) => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      line(i + 1, { text: huge, authorName: `Name ${huge}` }),
    );
    const card = transcriptCard(page(0, 2, lines), options);
    expectValid(card);
    expect(containers(card)).toHaveLength(40);
    for (const text of containers(card).map((c) => c.items![1]!.text!)) expect(text.endsWith('…')).toBe(true);
  });
});
