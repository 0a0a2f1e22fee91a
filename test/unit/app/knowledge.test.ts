import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation, escalateFurther, resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import { closeAsSolved } from '../../../src/app/knowledge/close-as-solved.js';
import {
  pastFixesForMention,
  suggestBeforeEscalating,
} from '../../../src/app/knowledge/find-similar-past.js';
import type { Card } from '../../../src/domain/card.js';
import type { Issue } from '../../../src/domain/issue.js';
import { expectRefused } from '../../support/core/errors.js';
import { openIssue, people, reply } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, examplePolicy, type TestContext } from '../../support/core/test-context.js';

const FIRST = 'The CSV export fails with error 500 every time I export my invoices.';
const SIMILAR = 'Exporting invoices to CSV fails, I get an error 500 on each export.';
const UNRELATED = 'Please change the delivery address on my account to our new office.';
const spec = { actor: people.specialist.id, source: 'slack' } as const;

let t: TestContext;
afterEach(() => t.cleanup());

/** Escalates a thread by hand as the agent, as `/escalate` would. */
function escalate(issue: Issue, reason = 'Export broken') {
  return escalateIssue(t.ctx, { issueId: issue.id, reason, actor: people.agent.id, source: 'slack' });
}

/** A first thread about the export, escalated and resolved as a knowledge gap. */
async function solvedOnce(answer?: string) {
  const issue = await openIssue(t.ctx, FIRST);
  const escalation = await escalate(issue, 'Export broken, no idea why');
  t.clock.advance(30 * 60_000);
  await resolveEscalation(t.ctx, escalation.id, spec, {
    note: 'Cleared the stale export cache.',
    rootCause: 'knowledge_gap',
    answer,
  });
  t.clock.advance(24 * 3_600_000);
  return { issue, escalation };
}

async function postedCard(escalationId: string): Promise<Card> {
  const posted = (await readOutbox(t.dbUrl))
    .map((r) => r.effect)
    .find((e) => e.kind === 'post_card' && e.escalationId === escalationId);
  if (posted?.kind !== 'post_card') throw new Error(`no card posted for ${escalationId}`);
  return posted.card;
}

describe('knowledge from resolutions', () => {
  beforeEach(async () => {
    t = await createTestContext({ start: '2026-03-02T09:00:00.000Z' });
  });

  it("keeps a resolution with the customer's first words, the reason, the note and the reusable answer", async () => {
    const { issue, escalation } = await solvedOnce('  Settings, Data, Clear export cache.  ');
    const [entry] = await t.store.knowledge.listResolvedSince(new Date(0), 10);
    expect(entry).toMatchObject({
      escalationId: escalation.id,
      escalationNumber: 1,
      issueId: issue.id,
      issueNumber: issue.number,
      channel: issue.channel,
      threadId: issue.threadId,
      path: 'tech',
      problem: `${FIRST}\nExport broken, no idea why`,
      resolutionNote: 'Cleared the stale export cache.',
      rootCause: 'knowledge_gap',
      answer: 'Settings, Data, Clear export cache.',
      resolvedBy: people.specialist.id,
    });
    expect(await t.store.knowledge.listAnswers()).toHaveLength(1);
  });

  it('a blank answer is no answer', async () => {
    await solvedOnce('   ');
    const [entry] = await t.store.knowledge.listResolvedSince(new Date(0), 10);
    expect(entry?.answer).toBeNull();
    expect(await t.store.knowledge.listAnswers()).toEqual([]);
  });
});

describe('similar past escalations', () => {
  beforeEach(async () => {
    t = await createTestContext({ start: '2026-03-02T09:00:00.000Z' });
  });

  it('are offered before escalating a similar thread, and kept on its escalation and card', async () => {
    const first = await solvedOnce();
    const issue = await openIssue(t.ctx, SIMILAR);
    const offered = await suggestBeforeEscalating(t.ctx, issue);
    expect(offered).toMatchObject([
      { escalationId: first.escalation.id, escalationNumber: 1, text: 'Cleared the stale export cache.' },
    ]);

    const escalation = await escalate(issue, 'Same export error');
    expect(escalation.similarPast).toMatchObject([{ escalationNumber: 1, rootCause: 'knowledge_gap' }]);
    expect((await t.store.escalations.get(escalation.id))?.similarPast).toEqual(escalation.similarPast);
    const card = await postedCard(escalation.id);
    const section = card.sections.find((s) => s.heading === 'Similar past escalations');
    expect(section?.text).toContain(
      '#1 · Knowledge gap · resolved by <@slack:U0SPEC> 24h ago: Cleared the stale export cache.',
    );
    expect(card.links).toContainEqual({
      label: 'Past #1',
      thread: { channel: first.issue.channel, threadId: first.issue.threadId },
    });
  });

  it('are not offered for an unrelated thread, whose card has no such section', async () => {
    await solvedOnce();
    const issue = await openIssue(t.ctx, UNRELATED);
    expect(await suggestBeforeEscalating(t.ctx, issue)).toEqual([]);
    const escalation = await escalate(issue, 'Address change');
    expect(escalation.similarPast).toEqual([]);
    const card = await postedCard(escalation.id);
    expect(card.sections.map((s) => s.heading)).not.toContain('Similar past escalations');
  });

  it('find a thread by what the agent says about it too', async () => {
    await solvedOnce();
    const issue = await openIssue(t.ctx, 'It does not work, help');
    expect(await suggestBeforeEscalating(t.ctx, issue)).toEqual([]);
    const offered = await suggestBeforeEscalating(
      t.ctx,
      issue,
      'CSV export of invoices fails with error 500',
    );
    expect(offered.map((s) => s.escalationNumber)).toEqual([1]);
  });

  it('follow the escalation up the ladder', async () => {
    await solvedOnce();
    const issue = await openIssue(t.ctx, SIMILAR);
    const l2 = await escalate(issue);
    await claimEscalation(t.ctx, l2.id, spec);
    const { followUp: l3 } = await escalateFurther(t.ctx, l2.id, spec);
    expect(l3?.similarPast).toEqual(l2.similarPast);
    expect(l3?.similarPast).toHaveLength(1);
  });

  it('look back only as far as the policy says, and not at all with suggestions: 0', async () => {
    const base = examplePolicy();
    await t.cleanup();
    t = await createTestContext({
      start: '2026-03-02T09:00:00.000Z',
      policy: { ...base, knowledge: { ...base.knowledge, withinMs: 12 * 3_600_000 } },
    });
    await solvedOnce(); // resolved a day before the next thread
    expect(await suggestBeforeEscalating(t.ctx, await openIssue(t.ctx, SIMILAR))).toEqual([]);

    t.ctx.policy = { ...base, knowledge: { ...base.knowledge, suggestions: 0 } };
    expect(await suggestBeforeEscalating(t.ctx, await openIssue(t.ctx, SIMILAR))).toEqual([]);
    t.ctx.policy = base;
    expect(await suggestBeforeEscalating(t.ctx, await openIssue(t.ctx, SIMILAR))).toHaveLength(1);
  });
});

describe('pastFixesForMention (@Escalator escalate <reason>)', () => {
  beforeEach(async () => {
    t = await createTestContext({ start: '2026-03-02T09:00:00.000Z' });
  });

  it('offers the past fixes of a similar thread instead of escalating at once', async () => {
    await solvedOnce();
    const issue = await openIssue(t.ctx, SIMILAR);
    const offered = await pastFixesForMention(t.ctx, issue, { reason: 'export failing again' });
    expect(offered.map((s) => s.escalationNumber)).toEqual([1]);
  });

  it('offers nothing when escalating should answer at once: no reason, an unknown path, already escalated', async () => {
    await solvedOnce();
    const issue = await openIssue(t.ctx, SIMILAR);
    expect(await pastFixesForMention(t.ctx, issue, { reason: '  ' })).toEqual([]);
    expect(await pastFixesForMention(t.ctx, issue, { reason: 'export', path: 'nowhere' })).toEqual([]);
    await escalate(issue);
    expect(await pastFixesForMention(t.ctx, issue, { reason: 'export failing again' })).toEqual([]);
  });
});

describe('closeAsSolved ("This solved it")', () => {
  beforeEach(async () => {
    t = await createTestContext({ start: '2026-03-02T09:00:00.000Z' });
  });

  it('closes the thread without an escalation, credits the earlier fix, counts it and tells the thread', async () => {
    await solvedOnce('Settings, Data, Clear export cache.');
    const issue = await openIssue(t.ctx, SIMILAR);
    const [offer] = await suggestBeforeEscalating(t.ctx, issue);
    const before = (await readOutbox(t.dbUrl)).length;

    const { issue: closed, entry } = await closeAsSolved(t.ctx, {
      issueId: issue.id,
      entryId: offer!.entryId,
      actor: people.agent.id,
      source: 'slack',
      eventKey: 'slack:solved:1',
    });
    expect(entry.escalationNumber).toBe(1);
    expect(closed).toMatchObject({ status: 'resolved', lastResolvedAt: t.clock.now() });
    expect(await t.store.issues.get(issue.id)).toMatchObject({ status: 'resolved' });
    expect(await t.store.escalations.listForIssue(issue.id)).toEqual([]);
    expect(
      await t.store.knowledge.listDeflections(new Date(0), new Date('2100-01-01T00:00:00Z')),
    ).toMatchObject([
      { issueId: issue.id, entryId: offer!.entryId, path: 'tech', actor: people.agent.id, source: 'slack' },
    ]);
    const added = (await readOutbox(t.dbUrl)).slice(before).map((r) => r.effect);
    expect(added).toEqual([
      {
        kind: 'thread_note',
        thread: { channel: issue.channel, threadId: issue.threadId },
        text: `💡 Solved without escalating by <@${people.agent.id}>, with the fix from escalation #1 (issue #1): Settings, Data, Clear export cache.`,
      },
    ]);
    expect(t.outboxChanges()).toBeGreaterThan(0);
  });

  it('records a repeated click once', async () => {
    await solvedOnce();
    const issue = await openIssue(t.ctx, SIMILAR);
    const [offer] = await suggestBeforeEscalating(t.ctx, issue);
    const click = {
      issueId: issue.id,
      entryId: offer!.entryId,
      actor: people.agent.id,
      source: 'teams' as const,
      eventKey: 'k1',
    };
    await closeAsSolved(t.ctx, click);
    await expectRefused(closeAsSolved(t.ctx, click), 'duplicate');
    await expectRefused(closeAsSolved(t.ctx, { ...click, eventKey: 'k2' }), 'duplicate');
    expect(
      await t.store.knowledge.listDeflections(new Date(0), new Date('2100-01-01T00:00:00Z')),
    ).toHaveLength(1);
  });

  it('refuses when someone escalated the thread meanwhile, saying where it went, and changes nothing', async () => {
    await solvedOnce();
    const issue = await openIssue(t.ctx, SIMILAR);
    const [offer] = await suggestBeforeEscalating(t.ctx, issue);
    await escalate(issue, 'escalated by a colleague');
    const error = await expectRefused(
      closeAsSolved(t.ctx, {
        issueId: issue.id,
        entryId: offer!.entryId,
        actor: people.agent.id,
        source: 'slack',
      }),
      'already_escalated',
    );
    expect(error.message).toContain('escalated meanwhile as #2');
    expect(await t.store.issues.get(issue.id)).toMatchObject({ status: 'escalated' });
    expect(await t.store.knowledge.listDeflections(new Date(0), new Date('2100-01-01T00:00:00Z'))).toEqual(
      [],
    );
  });

  it('explains a past resolution that is no longer kept', async () => {
    const issue = await openIssue(t.ctx, SIMILAR);
    const error = await expectRefused(
      closeAsSolved(t.ctx, {
        issueId: issue.id,
        entryId: 'kno_gone',
        actor: people.agent.id,
        source: 'slack',
      }),
      'invalid_input',
    );
    expect(error.message).toContain('Escalate anyway');
  });

  it('a customer writing again reopens a thread closed this way', async () => {
    await solvedOnce();
    const issue = await openIssue(t.ctx, SIMILAR);
    const [offer] = await suggestBeforeEscalating(t.ctx, issue);
    await closeAsSolved(t.ctx, {
      issueId: issue.id,
      entryId: offer!.entryId,
      actor: people.agent.id,
      source: 'slack',
    });
    await reply(t.ctx, issue, people.customer, 'Still failing after clearing the cache.');
    expect(await t.store.issues.get(issue.id)).toMatchObject({ status: 'open' });
  });
});
