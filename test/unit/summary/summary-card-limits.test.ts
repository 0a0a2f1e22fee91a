import type { HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { renderBlockKit } from '../../../adapters/slack/render-block-kit.js';
import { renderAdaptiveCard } from '../../../adapters/teams/render-adaptive-card.js';
import { buildEscalationCard } from '../../../src/domain/build-escalation-card.js';
import type { Card } from '../../../src/domain/card.js';
import type { ThreadMessage } from '../../../src/domain/issue.js';
import { SECTION_BUDGET, SUMMARY_HEADINGS } from '../../../src/domain/summary/summary-sections.js';
import { makeEscalation, makeIssue } from '../../support/core/domain-builders.js';
import {
  adaptiveCardProblems,
  cardBytes,
  hasLoneSurrogate,
} from '../../support/teams/validate-adaptive-card.js';

const START = new Date('2026-03-02T00:00:00.000Z');
const CUSTOMER = 'slack:UCUST1';
const AGENTS = ['slack:U0ALICE', 'slack:U0BOB', 'slack:U0CAROL'];
const PRODUCTS = ['Acme Billing', 'Acme API', 'Payroll Sync'];

/** 28 KB: our Adaptive Card budget (Teams takes about 100 KB). */
const ADAPTIVE_BUDGET_BYTES = 28 * 1024;

/** A thread of `count` messages of `length` characters, each made by `body(i)` repeated to fill it. */
function thread(count: number, length: number, body: (i: number) => string): ThreadMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const text = body(i)
      .repeat(Math.ceil(length / body(i).length))
      .slice(0, length);
    const staff = i % 3 === 1;
    return {
      id: `msg_${i}`,
      issueId: 'iss_test1',
      messageId: `1770000000.${String(i).padStart(6, '0')}`,
      authorId: staff ? AGENTS[i % AGENTS.length]! : CUSTOMER,
      authorRole: staff ? 'staff' : 'customer',
      text,
      sentAt: new Date(START.getTime() + i * 60_000),
      editedAt: null,
      deletedAt: null,
    } satisfies ThreadMessage;
  });
}

const THREADS: Array<[string, (i: number) => string]> = [
  [
    'long prose with facts scattered through it',
    (i) =>
      `Message ${i}: the nightly export to Acme Billing failed again for order #${10_000 + i} ` +
      `(invoice INV-2026-${String(i).padStart(4, '0')}), we were charged $${i + 1},250 and the log shows ` +
      `E${1000 + i} and ERR_CONNECTION_RESET, then HTTP 502; write to user${i}@acme.com. `,
  ],
  ['one 2,000-character word', () => 'x'],
  ['emoji only', () => '🔥🧾💳'],
  ['Slack markup', (i) => `<@U0ALICE> see <https://acme.com/orders/${i}|order ${i}> and <!channel> `],
];

function card(messages: ThreadMessage[]): Card {
  return buildEscalationCard({
    escalation: makeEscalation({
      reason: 'r'.repeat(2000),
      evidence: {
        summary: 'The customer asked for a manager.',
        details: ['Phrase: "speak to your manager"'],
      },
    }),
    issue: makeIssue({ openedAt: START, messageCount: messages.length }),
    messages,
    history: [],
    products: PRODUCTS,
    now: new Date(START.getTime() + 600 * 60_000),
    timeZone: 'Australia/Sydney',
  });
}

function expectWithinSlackLimits(blocks: KnownBlock[]) {
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const block of blocks) {
    if (block.type === 'header') expect((block as HeaderBlock).text.text.length).toBeLessThanOrEqual(150);
    if (block.type !== 'section') continue;
    const section = block as SectionBlock;
    if (section.text) expect(section.text.text.length).toBeLessThanOrEqual(3000);
    for (const field of section.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
  }
}

const sectionText = (c: Card, heading: string) => c.sections.find((s) => s.heading === heading)?.text;

describe.each(THREADS)('a card for a 500-message thread of 2,000-character messages: %s', (_name, body) => {
  const messages = thread(500, 2000, body);
  const built = card(messages);

  it('has the summary sections in place of the old quotes, each within its budget', () => {
    const headings = built.sections.map((s) => s.heading);
    expect(headings).toEqual(
      expect.arrayContaining([
        SUMMARY_HEADINGS.problem,
        SUMMARY_HEADINGS.facts,
        SUMMARY_HEADINGS.tried,
        SUMMARY_HEADINGS.latest,
        SUMMARY_HEADINGS.mood,
        SUMMARY_HEADINGS.timeline,
      ]),
    );
    expect(headings).not.toContain('First customer message');
    const budgets: Record<string, number> = {
      [SUMMARY_HEADINGS.problem]: SECTION_BUDGET.problem,
      [SUMMARY_HEADINGS.facts]: SECTION_BUDGET.facts,
      [SUMMARY_HEADINGS.tried]: SECTION_BUDGET.tried,
      [SUMMARY_HEADINGS.latest]: SECTION_BUDGET.latest,
      [SUMMARY_HEADINGS.mood]: SECTION_BUDGET.mood,
      [SUMMARY_HEADINGS.timeline]: SECTION_BUDGET.timeline,
    };
    for (const section of built.sections) {
      if (budgets[section.heading])
        expect(section.text.length).toBeLessThanOrEqual(budgets[section.heading]!);
    }
  });

  it('says where it had to cut', () => {
    expect(sectionText(built, SUMMARY_HEADINGS.problem)).toMatch(/… \(cut to fit\)$/);
    expect(sectionText(built, SUMMARY_HEADINGS.latest)).toMatch(/… \(cut to fit\)$/);
    expect(sectionText(built, SUMMARY_HEADINGS.tried)).toMatch(/… \d+ more staff replies not shown$/);
    expect(sectionText(built, SUMMARY_HEADINGS.timeline)).toContain(
      'Messages: 500 (333 from the customer, 167 from staff)',
    );
  });

  it("renders as Block Kit inside Slack's limits without Slack-side cuts", () => {
    const { blocks, text } = renderBlockKit(built);
    expectWithinSlackLimits(blocks);
    expect(text.length).toBeLessThanOrEqual(3000);
    // Every section fits as the summary cut it: the renderer had nothing left to cut.
    expect(JSON.stringify(blocks)).not.toContain('cut to fit Slack');
    expect(JSON.stringify(blocks)).not.toContain('Some sections were left out');
  });

  it('renders as a valid Adaptive Card under 28 KB', () => {
    const json = renderAdaptiveCard(built, new Map([[CUSTOMER, 'Carla Customer']]));
    expect(adaptiveCardProblems(json)).toEqual([]);
    expect(cardBytes(json)).toBeLessThan(ADAPTIVE_BUDGET_BYTES);
    expect(hasLoneSurrogate(JSON.stringify(json))).toBe(false);
  });
});

describe('the key facts of a thread full of them', () => {
  const built = card(thread(500, 2000, THREADS[0]![1]));
  const facts = sectionText(built, SUMMARY_HEADINGS.facts)!;

  it('lists the most relevant, every kind, and counts the rest', () => {
    for (const kind of ['Reference', 'Amount', 'Error', 'Product', 'E-mail'])
      expect(facts).toContain(`• ${kind}: `);
    const more = /… (\d+) more facts$/.exec(facts);
    expect(Number(more?.[1])).toBeGreaterThan(1000);
  });

  it('never shows an e-mail address unmasked', () => {
    expect(JSON.stringify(built)).not.toMatch(/user\d+@acme\.com/);
    expect(facts).toMatch(/u\*\*\*@acme\.com/);
  });
});
