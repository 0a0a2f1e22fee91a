import { describe, expect, it } from 'vitest';
import { escalateForm } from '../../../adapters/teams/forms.js';
import { type AdaptiveCard, renderAdaptiveCard } from '../../../adapters/teams/render-adaptive-card.js';
import { buildEscalationCard } from '../../../src/domain/build-escalation-card.js';
import { ESCALATION_STATUSES, type Escalation, TRIGGER_KINDS } from '../../../src/domain/escalation.js';
import type { Issue, ThreadMessage } from '../../../src/domain/issue.js';
import { ROOT_CAUSES } from '../../../src/domain/policy.js';
import { makeEscalation, makeIssue, makeMessage, TECH_PATH } from '../../support/core/domain-builders.js';
import { storyPolicy } from '../../support/story/story-policy.js';
import {
  adaptiveCardProblems,
  cardBytes,
  hasLoneSurrogate,
} from '../../support/teams/validate-adaptive-card.js';

/**
 * Every Adaptive Card the Teams adapter sends (escalation cards in each status, with and without a
 * warning banner, and the "Escalate" message-action form) parses and validates with Microsoft's
 * `adaptivecards` library, stays far below Teams' message size limit, and shows what people need.
 */

const CLAIMED_AT = new Date('2026-03-02T01:00:00.000Z');
const DONE_AT = new Date('2026-03-02T02:00:00.000Z');
const SPECIALIST = 'teams:00000000-0000-4000-8000-0000000000b1';
const AGENT = 'teams:00000000-0000-4000-8000-0000000000a1';
const CUSTOMER = 'teams:00000000-0000-4000-8000-0000000000c1';
const TEAMS_SUPPORT = 'teams:19:support@thread.tacv2';

const NAMES = new Map([
  [SPECIALIST, 'Bob Specialist'],
  [AGENT, 'Alice Agent'],
  [CUSTOMER, 'Carla Customer'],
  ['slack:U0AGENT', 'Sam Slack'],
  ['slack:UCUST1', 'Casey Client'],
]);

const TEAMS_PATH = {
  ...TECH_PATH,
  levels: TECH_PATH.levels.map((l, i) => ({
    ...l,
    channel: i === 0 ? 'teams:19:l2@thread.tacv2' : l.channel,
  })),
};

function escalationIn(status: Escalation['status'], overrides: Partial<Escalation> = {}): Escalation {
  const base = makeEscalation({
    pathSnapshot: TEAMS_PATH,
    createdBy: AGENT,
    evidence: { summary: `Escalated by hand by <@${AGENT}>.` },
    statusNote: null,
    status,
  });
  const byStatus: Partial<Record<Escalation['status'], Partial<Escalation>>> = {
    claimed: { claimedBy: SPECIALIST, claimedAt: CLAIMED_AT },
    resolved: {
      claimedBy: SPECIALIST,
      claimedAt: CLAIMED_AT,
      resolvedBy: SPECIALIST,
      resolvedAt: DONE_AT,
      rootCause: 'system_issue',
      resolutionNote: 'Restarted the export worker.',
    },
    bounced: { bouncedBy: SPECIALIST, bouncedAt: DONE_AT, bounceReason: 'Ask for the invoice number first.' },
    superseded: { supersededBy: 'esc_next', updatedAt: DONE_AT },
    dismissed: { statusNote: 'The customer was quoting a film', updatedAt: DONE_AT },
  };
  return { ...base, ...byStatus[status], ...overrides };
}

type ClusterThreads = Parameters<typeof buildEscalationCard>[0]['clusterThreads'];

function cardFor(
  escalation: Escalation,
  options: {
    issue?: Partial<Issue>;
    messages?: ThreadMessage[];
    history?: Escalation[];
    clusterThreads?: ClusterThreads;
  } = {},
) {
  return buildEscalationCard({
    escalation,
    issue: makeIssue({
      channel: TEAMS_SUPPORT,
      threadId: '1700000000123',
      customerId: CUSTOMER,
      ...options.issue,
    }),
    messages: options.messages ?? [
      makeMessage({ text: 'Export to CSV fails with *error 500* since Monday', authorId: CUSTOMER }),
      makeMessage({ text: 'Still failing, we need this for payroll', authorId: CUSTOMER }),
    ],
    history: options.history ?? [],
    ...(options.clusterThreads ? { clusterThreads: options.clusterThreads } : {}),
    timeZone: 'Australia/Sydney',
  });
}

/** Other threads a systemic escalation stands for. */
const cluster = (n: number): NonNullable<ClusterThreads> =>
  Array.from({ length: n }, (_, i) => ({
    number: 20 + i,
    channel: TEAMS_SUPPORT,
    threadId: String(1700000001000 + i),
    preview: `Checkout fails for me too (${i})`,
  }));

interface ActionJson {
  type: string;
  title?: string;
  verb?: string;
  url?: string;
  data?: Record<string, unknown>;
  card?: { body: Array<Record<string, unknown>>; actions: ActionJson[] };
}

const actionsOf = (card: AdaptiveCard) => (card.actions ?? []) as ActionJson[];
/** The `Action.Execute` buttons, including the submit buttons inside ShowCards. */
const executes = (card: AdaptiveCard): ActionJson[] =>
  actionsOf(card)
    .flatMap((a) => (a.type === 'Action.ShowCard' ? (a.card?.actions ?? []) : [a]))
    .filter((a) => a.type === 'Action.Execute');
const texts = (card: AdaptiveCard) => JSON.stringify(card.body);

/** Card JSON over 28 KB is a bug: Teams takes about 100 KB, and we keep a wide margin. */
const BUDGET_BYTES = 28 * 1024;

function expectValidCard(json: AdaptiveCard) {
  expect(json).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
  expect(adaptiveCardProblems(json)).toEqual([]);
  expect(cardBytes(json)).toBeLessThan(BUDGET_BYTES);
  expect(hasLoneSurrogate(JSON.stringify(json))).toBe(false);
}

const STATUSES = ESCALATION_STATUSES;

describe('escalation cards are valid Adaptive Cards 1.5', () => {
  const history = [
    escalationIn('bounced', { id: 'esc_old1', number: 5, bounceReason: 'Needs the account id' }),
    escalationIn('superseded', { id: 'esc_old2', number: 6 }),
  ];

  describe.each(STATUSES)('%s', (status) => {
    it.each([
      ['plain', {}],
      [
        'with a banner',
        { banner: '⚠️ Escalation #7 is already claimed by <@teams:00000000-0000-4000-8000-0000000000b1>.' },
      ],
    ])('%s', (_name, options) => {
      const json = renderAdaptiveCard(cardFor(escalationIn(status)), NAMES, options);
      expectValidCard(json);
    });

    it('with earlier escalations', () => {
      const json = renderAdaptiveCard(cardFor(escalationIn(status), { history }), NAMES);
      expectValidCard(json);
      expect(texts(json)).toContain('Earlier escalations');
      expect(texts(json)).toContain('#5 L2 Tech: bounced (Needs the account id)');
    });
  });

  it('with a banner, the warning comes first, in the attention colour', () => {
    const json = renderAdaptiveCard(cardFor(escalationIn('resolved')), NAMES, {
      banner: 'Escalation #7 is already resolved by <@teams:00000000-0000-4000-8000-0000000000b1>.',
    });
    expect(json.body[0]).toMatchObject({
      type: 'TextBlock',
      color: 'Attention',
      text: 'Escalation #7 is already resolved by Bob Specialist.',
    });
  });

  it('unknown people in mention tokens show as "someone", never as a raw token', () => {
    const json = renderAdaptiveCard(cardFor(escalationIn('claimed')), new Map());
    expectValidCard(json);
    expect(JSON.stringify(json)).not.toMatch(/<@/);
    expect(texts(json)).toContain('Claimed by someone');
  });
});

describe('cards of every trigger are valid, including the ones people can mark "Not an escalation"', () => {
  it.each(TRIGGER_KINDS)('%s, open and claimed', (trigger) => {
    for (const status of ['open', 'claimed'] as const) {
      const json = renderAdaptiveCard(cardFor(escalationIn(status, { trigger })), NAMES);
      expectValidCard(json);
    }
  });

  it('a systemic escalation links the other threads it stands for and stays valid', () => {
    for (const status of ['open', 'claimed', 'resolved'] as const) {
      const json = renderAdaptiveCard(
        cardFor(escalationIn(status, { trigger: 'systemic' }), { clusterThreads: cluster(12) }),
        NAMES,
      );
      expectValidCard(json);
      const shown = JSON.stringify(json);
      expect(shown).toContain('Affected threads (13 in all)');
      for (const n of [20, 27]) expect(shown).toContain(`1700000001${String(n - 20).padStart(3, '0')}`);
    }
  });

  it('"Not an escalation" asks why (optional) and acts with its own verb', () => {
    const json = renderAdaptiveCard(cardFor(escalationIn('open', { trigger: 'legal' })), NAMES);
    const notOne = actionsOf(json).find((a) => a.title === 'Not an escalation');
    expect(notOne?.type).toBe('Action.ShowCard');
    expect(notOne?.card?.actions).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: 'not_an_escalation',
        data: { escalationId: 'esc_test1' },
      }),
    ]);
  });
});

describe('oversized and unusual text stays valid and within budget', () => {
  const long = 'Checkout broken. '.repeat(2400).slice(0, 40_000);
  const emoji = '🔥🧾💳'.repeat(7000); // 42,000 UTF-16 code units, every character a surrogate pair
  const rtl = 'הלקוח לא יכול לשלם. العميل لا يستطيع الدفع. '.repeat(1000);
  const variants: Array<[string, string]> = [
    ['40,000 plain characters', long],
    ['40,000 characters of emoji', emoji],
    ['right-to-left text (Hebrew and Arabic)', rtl],
  ];

  it.each(variants)('%s in every free-text field, in every status', (_name, huge) => {
    const hugeNames = new Map([...NAMES].map(([id, name]) => [id, `${name} ${huge}`]));
    for (const status of STATUSES) {
      const escalation = escalationIn(status, {
        reason: huge,
        evidence: { summary: `Escalated by hand by <@${AGENT}>. ${huge}`, details: [huge, huge] },
        resolutionNote: status === 'resolved' ? huge : null,
        bounceReason: status === 'bounced' ? huge : null,
      });
      const earlier = Array.from({ length: 40 }, (_, i) =>
        escalationIn('bounced', { id: `esc_h${i}`, number: i + 1, bounceReason: huge }),
      );
      const card = cardFor(escalation, {
        messages: [
          makeMessage({ text: huge, authorId: CUSTOMER }),
          makeMessage({ text: `*${huge}*`, authorId: CUSTOMER }),
        ],
        history: earlier,
      });
      for (const banner of [undefined, `⚠️ ${huge}`]) {
        const json = renderAdaptiveCard(card, hugeNames, { banner });
        expectValidCard(json);
      }
    }
  });

  it('cut text says so with an ellipsis and never splits an emoji', () => {
    const json = renderAdaptiveCard(
      cardFor(escalationIn('open'), { messages: [makeMessage({ text: emoji, authorId: CUSTOMER })] }),
      NAMES,
    );
    const quote = JSON.stringify(json.body).match(/(🔥|🧾|💳)+…/);
    expect(quote).not.toBeNull();
    expect(hasLoneSurrogate(JSON.stringify(json))).toBe(false);
  });

  it('right-to-left text is kept as written', () => {
    const json = renderAdaptiveCard(
      cardFor(escalationIn('open'), {
        messages: [makeMessage({ text: 'הלקוח לא יכול לשלם', authorId: CUSTOMER })],
      }),
      NAMES,
    );
    expect(texts(json)).toContain('הלקוח לא יכול לשלם');
  });
});

describe('what people see and can do on a card', () => {
  it('open: Claim, Resolve, Bounce back and Escalate further act on the escalation by id', () => {
    const json = renderAdaptiveCard(cardFor(escalationIn('open')), NAMES);
    expect(executes(json).map((a) => [a.verb, a.data])).toEqual([
      ['claim', { escalationId: 'esc_test1' }],
      ['resolve', { escalationId: 'esc_test1' }],
      ['bounce', { escalationId: 'esc_test1' }],
      ['escalate_further', { escalationId: 'esc_test1' }],
    ]);
    expect(actionsOf(json).map((a) => [a.type, a.title])).toEqual([
      ['Action.Execute', 'Claim'],
      ['Action.ShowCard', 'Resolve'],
      ['Action.ShowCard', 'Bounce back'],
      ['Action.Execute', 'Escalate further'],
    ]);
    expect(linksOf(json).map((l) => l.label)).toEqual(['Open thread']);
    expect(actionsOf(json)[0]).toMatchObject({ style: 'positive' });
  });

  it('Resolve asks what fixed it and the root cause, both required, and an optional reusable answer, before it acts', () => {
    const json = renderAdaptiveCard(cardFor(escalationIn('claimed')), NAMES);
    const resolve = actionsOf(json).find((a) => a.title === 'Resolve')!;
    expect(resolve.type).toBe('Action.ShowCard');
    expect(resolve.card!.body).toEqual([
      expect.objectContaining({ type: 'Input.Text', id: 'note', isRequired: true, label: 'What fixed it' }),
      expect.objectContaining({ type: 'Input.ChoiceSet', id: 'rootCause', isRequired: true }),
      expect.objectContaining({
        type: 'Input.Text',
        id: 'answer',
        isMultiline: true,
        label: 'Reusable answer for the frontline (for knowledge gaps)',
      }),
    ]);
    expect(resolve.card!.body[2]).not.toHaveProperty('isRequired');
    const choices = (resolve.card!.body[1] as { choices: Array<{ value: string }> }).choices;
    expect(choices.map((c) => c.value)).toEqual([...ROOT_CAUSES]);
    expect(resolve.card!.actions).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: 'resolve',
        data: { escalationId: 'esc_test1' },
      }),
    ]);
  });

  it('Bounce back asks why, required, before it acts', () => {
    const json = renderAdaptiveCard(cardFor(escalationIn('open')), NAMES);
    const bounce = actionsOf(json).find((a) => a.title === 'Bounce back')!;
    expect(bounce.type).toBe('Action.ShowCard');
    expect(bounce.card!.body).toEqual([
      expect.objectContaining({
        type: 'Input.Text',
        id: 'reason',
        isRequired: true,
        errorMessage: expect.any(String),
      }),
    ]);
    expect(bounce.card!.actions).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: 'bounce',
        data: { escalationId: 'esc_test1' },
      }),
    ]);
  });

  it('claimed: no Claim button any more; the top level has no Escalate further', () => {
    const claimed = renderAdaptiveCard(cardFor(escalationIn('claimed')), NAMES);
    expect(executes(claimed).map((a) => a.verb)).toEqual(['resolve', 'bounce', 'escalate_further']);
    const top = renderAdaptiveCard(cardFor(escalationIn('open', { level: 1 })), NAMES);
    expect(executes(top).map((a) => a.verb)).toEqual(['claim', 'resolve', 'bounce']);
  });

  it.each(['resolved', 'bounced', 'superseded', 'dismissed'] as const)(
    '%s: no acting buttons are left, only the thread link and "View conversation"',
    (status) => {
      const json = renderAdaptiveCard(cardFor(escalationIn(status)), NAMES);
      expect(actionsOf(json)).toEqual([]);
      expect(linksOf(json).map((l) => l.label)).toEqual(['Open thread']);
      expect(JSON.stringify(json.body)).toContain('"view":"conversation"');
    },
  );

  it('the status line names who acted', () => {
    const line = (status: Escalation['status']) =>
      (renderAdaptiveCard(cardFor(escalationIn(status)), NAMES).body[1] as { text: string }).text;
    expect(line('open')).toContain('Open: waiting for someone to claim it');
    expect(line('claimed')).toContain('Claimed by Bob Specialist');
    expect(line('resolved')).toMatch(
      /Resolved by Bob Specialist .*\(System issue\): Restarted the export worker\./,
    );
    expect(line('bounced')).toMatch(/Bounced back by Bob Specialist .*: Ask for the invoice number first\./);
    expect(line('superseded')).toContain('Escalated further to the next level');
    expect(line('dismissed')).toMatch(/Closed as not an escalation .*: The customer was quoting a film/);
  });

  it('Open thread opens the Teams message of a Teams thread', () => {
    const json = renderAdaptiveCard(cardFor(escalationIn('open')), NAMES);
    const open = linksOf(json).find((l) => l.label === 'Open thread')!;
    const url = new URL(open.url);
    expect(url.origin).toBe('https://teams.microsoft.com');
    expect(decodeURIComponent(url.pathname)).toBe('/l/message/19:support@thread.tacv2/1700000000123');
    expect(url.searchParams.get('parentMessageId')).toBe('1700000000123');
  });

  it('Open thread opens the Slack archive link of a Slack thread (mixed deployments)', () => {
    const json = renderAdaptiveCard(
      cardFor(escalationIn('open'), { issue: { channel: 'slack:C0SUPPORT', threadId: '1770000000.000100' } }),
      NAMES,
    );
    const open = linksOf(json).find((l) => l.label === 'Open thread')!;
    expect(open.url).toBe('https://slack.com/archives/C0SUPPORT/p1770000000000100');
    expect(adaptiveCardProblems(json)).toEqual([]);
  });

  it('*bold* becomes **bold** and mention tokens become names', () => {
    const json = renderAdaptiveCard(cardFor(escalationIn('claimed')), NAMES);
    const shown = texts(json);
    expect(shown).toContain('Export to CSV fails with **error 500** since Monday');
    expect(shown).not.toMatch(/(^|[^*])\*error 500\*(?!\*)/);
    expect(shown).toContain('Escalated by hand by Alice Agent.');
    expect(shown).toContain('Claimed by Bob Specialist');
    expect(JSON.stringify(json)).not.toMatch(/<@/);
    const facts = (
      json.body.find((b) => (b as { type: string }).type === 'FactSet') as {
        facts: Array<{ title: string; value: string }>;
      }
    ).facts;
    expect(facts).toEqual(
      expect.arrayContaining([
        { title: 'Customer', value: 'Carla Customer' },
        { title: 'Escalated by', value: 'Alice Agent' },
        { title: 'Priority', value: 'P2' },
      ]),
    );
    expect(json.fallbackText).toBe('Escalation #7 (P2, Manual): Export bug, needs engineering');
  });
});

describe('the "Escalate" message-action form', () => {
  const policy = storyPolicy('teams');
  const issue = makeIssue({ channel: TEAMS_SUPPORT, threadId: '1700000000123', id: 'iss_form1', number: 12 });

  it('is a valid Adaptive Card: first shown, shown again with an error, with a 40,000 character preview', () => {
    const error = 'Say why: the specialist reads this first.';
    const again = escalateForm(policy, issue, 'Order A-1042 was charged twice', error);
    expect(again.body[0]).toMatchObject({ type: 'TextBlock', text: error, color: 'Attention' });
    for (const form of [
      escalateForm(policy, issue, 'Order A-1042 was charged twice'),
      again,
      escalateForm(policy, issue, '🔥'.repeat(20_000)),
    ]) {
      expectValidCard(form);
    }
  });

  it('asks for path, priority, reason and why, and submits the issue id', () => {
    const form = escalateForm(policy, issue, 'Order A-1042 was charged twice');
    const inputs = form.body.filter((b) =>
      String((b as { type: string }).type).startsWith('Input.'),
    ) as Array<{
      id: string;
      isRequired?: boolean;
      value?: string;
      choices?: Array<{ value: string }>;
    }>;
    expect(inputs.map((i) => [i.id, i.isRequired ?? false])).toEqual([
      ['path', true],
      ['priority', true],
      ['reason', true],
      ['why', false],
    ]);
    expect(inputs[0]!.value).toBe('tech');
    expect(inputs[0]!.choices!.map((c) => c.value)).toEqual(Object.keys(policy.paths));
    expect(inputs[1]!.value).toBe(policy.defaultPriority);
    expect(inputs[3]!.choices!.map((c) => c.value)).toEqual([...ROOT_CAUSES]);
    expect(texts(form)).toContain('Escalate issue #12');
    expect(texts(form)).toContain('Order A-1042 was charged twice');
    expect(form.actions).toEqual([
      { type: 'Action.Submit', title: 'Escalate', data: { issueId: 'iss_form1' } },
    ]);
  });
});

/**
 * Links to threads are markdown in the card body (Teams shows at most five buttons, and those are
 * for acting), e.g. `[Open thread](https://…) · [Thread #20](https://…)`.
 */
function linksOf(json: { body: unknown[] }): Array<{ label: string; url: string }> {
  const text = json.body.map((b) => (b as { type?: string; text?: string }).text ?? '').join('\n');
  return [...text.matchAll(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g)].map((m) => ({ label: m[1]!, url: m[2]! }));
}
