import { describe, expect, it } from 'vitest';
import { buildEscalationCard, type EscalationCardInput } from '../../../src/domain/build-escalation-card.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { ThreadMessage } from '../../../src/domain/issue.js';
import { makeEscalation, makeIssue, makeMessage } from '../../support/core/domain-builders.js';

const TZ = 'Australia/Sydney';
const AT = new Date('2026-03-02T02:00:00.000Z');

function card(escalation: Partial<Escalation> = {}, extra: Partial<EscalationCardInput> = {}) {
  return buildEscalationCard({
    escalation: makeEscalation(escalation),
    issue: makeIssue(),
    messages: [makeMessage({ text: 'My invoice export fails with error E42' })],
    history: [],
    timeZone: TZ,
    ...extra,
  });
}

const section = (c: ReturnType<typeof card>, heading: string) =>
  c.sections.find((s) => s.heading === heading)?.text;
const field = (c: ReturnType<typeof card>, label: string) => c.fields.find((f) => f.label === label)?.value;

describe('card buttons follow the escalation status', () => {
  it('an open escalation below the top level offers Claim, Resolve, Bounce back and Escalate further', () => {
    const c = card({ id: 'esc_abc', status: 'open', level: 0 });
    expect(c.actions.map((a) => [a.id, a.label])).toEqual([
      ['claim', 'Claim'],
      ['resolve', 'Resolve'],
      ['bounce', 'Bounce back'],
      ['escalate_further', 'Escalate further'],
    ]);
    expect(c.actions.every((a) => a.escalationId === 'esc_abc')).toBe(true);
    expect(c.actions.find((a) => a.id === 'claim')?.style).toBe('primary');
  });

  it('a claimed escalation has no Claim button and says who claimed it', () => {
    const c = card({ status: 'claimed', claimedBy: 'slack:U0SPEC', claimedAt: AT });
    expect(c.actions.map((a) => a.id)).toEqual(['resolve', 'bounce', 'escalate_further']);
    expect(c.status).toContain('Claimed by <@slack:U0SPEC>');
  });

  it.each([
    [
      'resolved',
      { resolvedBy: 'slack:U0SPEC', resolvedAt: AT, rootCause: 'system_issue', resolutionNote: 'Patched' },
    ],
    ['bounced', { bouncedBy: 'slack:U0SPEC', bouncedAt: AT, bounceReason: 'Needs logs first' }],
    ['superseded', { supersededBy: 'esc_next' }],
  ] as const)('a %s escalation has no buttons left', (status, fields) => {
    const c = card({ status, claimedBy: 'slack:U0SPEC', claimedAt: AT, ...fields });
    expect(c.actions).toEqual([]);
    // The Open thread link stays: people still need to find the conversation.
    expect(c.links.map((l) => l.label)).toEqual(['Open thread']);
  });

  it('a resolved card shows who resolved it, the root cause and the note', () => {
    const c = card({
      status: 'resolved',
      resolvedBy: 'slack:U0SPEC',
      resolvedAt: AT,
      rootCause: 'system_issue',
      resolutionNote: 'Patched the exporter',
    });
    expect(c.status).toContain('Resolved by <@slack:U0SPEC>');
    expect(c.status).toContain('(System issue)');
    expect(c.status).toContain('Patched the exporter');
  });

  it('at the last level of the path there is no Escalate further', () => {
    expect(card({ status: 'open', level: 1 }).actions.map((a) => a.id)).toEqual([
      'claim',
      'resolve',
      'bounce',
    ]);
    expect(
      card({ status: 'claimed', level: 1, claimedBy: 'slack:U0SPEC', claimedAt: AT }).actions.map(
        (a) => a.id,
      ),
    ).toEqual(['resolve', 'bounce']);
  });
});

describe('card content', () => {
  it('titles the card with the number, priority and trigger', () => {
    expect(card({ number: 42, priority: 'P1', trigger: 'legal' }).title).toBe(
      'Escalation #42 · P1 · Legal / compliance',
    );
  });

  it('explains why it fired: the evidence, the reason (before details a platform may cut), then the details', () => {
    const c = card({
      trigger: 'manager_request',
      evidence: {
        summary: 'The customer asked for a manager.',
        details: ['Phrase: "speak to your manager"'],
      },
      reason: 'Customer\n  is   upset',
      reasonCategory: 'authority_gap',
    });
    expect(section(c, 'Why it fired')).toBe(
      [
        'The customer asked for a manager.',
        'Reason: Customer is upset',
        'Why: Authority gap',
        'Phrase: "speak to your manager"',
      ].join('\n'),
    );
  });

  it('shows the level within the path, the customer and who escalated it', () => {
    const c = card({ level: 1, createdBy: 'slack:U0AGENT' });
    expect(field(c, 'Level')).toBe('L3 Engineering (2 of 2, tech)');
    expect(field(c, 'Customer')).toBe('<@slack:UCUST1>');
    expect(field(c, 'Escalated by')).toBe('<@slack:U0AGENT>');
  });

  it('shows the claim-by deadline only while open, and resolve-by while open or claimed', () => {
    expect(field(card({ status: 'open' }), 'Claim by')).toBeDefined();
    expect(field(card({ status: 'open' }), 'Resolve by')).toBeDefined();
    const claimed = card({ status: 'claimed', claimedBy: 'slack:U0SPEC', claimedAt: AT });
    expect(field(claimed, 'Claim by')).toBeUndefined();
    expect(field(claimed, 'Resolve by')).toBeDefined();
  });

  it("states the problem in the customer's first words and quotes their latest message, not staff messages", () => {
    const messages: ThreadMessage[] = [
      makeMessage({ text: 'Export fails with E42' }),
      makeMessage({ text: 'Which browser?', authorId: 'slack:U0AGENT', authorRole: 'staff' }),
      makeMessage({ text: 'Chrome, still failing' }),
      makeMessage({ text: 'Any news? We invoice tomorrow' }),
      makeMessage({ text: 'Looking into it', authorId: 'slack:U0AGENT', authorRole: 'staff' }),
    ];
    const c = card({}, { messages });
    expect(section(c, 'Problem')).toBe('Export fails with E42');
    expect(section(c, 'Latest from the customer')).toBe('Any news? We invoice tomorrow');
  });

  it('shows a single customer message once', () => {
    const c = card({}, { messages: [makeMessage({ text: 'Only message' })] });
    expect(section(c, 'Problem')).toBe('Only message');
    expect(section(c, 'Latest from the customer')).toBeUndefined();
  });

  it('cuts a very long customer message and says so', () => {
    const c = card({}, { messages: [makeMessage({ text: 'x'.repeat(5000) })] });
    const quoted = section(c, 'Problem')!;
    expect(quoted.length).toBeLessThanOrEqual(1000);
    expect(quoted.endsWith('… (cut to fit)')).toBe(true);
  });

  it('lists earlier escalations of the issue', () => {
    const earlier = makeEscalation({
      id: 'esc_old',
      number: 3,
      status: 'bounced',
      bounceReason: 'Needs logs',
      bouncedBy: 'slack:U0SPEC',
      bouncedAt: AT,
    });
    expect(section(card({}, { history: [earlier] }), 'Earlier escalations')).toBe(
      '#3 L2 Tech: bounced (Needs logs)',
    );
    expect(section(card(), 'Earlier escalations')).toBeUndefined();
  });

  it('links to the original thread', () => {
    expect(card().links).toEqual([
      { label: 'Open thread', thread: { channel: 'slack:C0SUPPORT', threadId: '1770000000.000100' } },
    ]);
  });
});
