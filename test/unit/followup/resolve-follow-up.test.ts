import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escalateFurther, resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue } from '../../../src/domain/issue.js';
import { SYSTEM_ACTOR } from '../../../src/domain/transitions.js';
import { openEscalated, openIssue, people, reply, SUPPORT } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' });
});
afterEach(() => t.cleanup());

const spec = { actor: people.specialist.id, source: 'slack' } as const;
const eng = { actor: people.engineer.id, source: 'slack' } as const;
const fix = { note: 'Refunded the duplicate charge.', rootCause: 'authority_gap' } as const;

/** What a resolution added to the outbox, in order. */
async function resolveAndRead(escalation: Escalation, who = spec) {
  const before = (await readOutbox(t.dbUrl)).length;
  await resolveEscalation(t.ctx, escalation.id, who, fix);
  return (await readOutbox(t.dbUrl)).slice(before).map((r) => ({ orderKey: r.orderKey, effect: r.effect }));
}

describe('follow-up on resolve', () => {
  let issue: Issue;
  let escalation: Escalation;
  beforeEach(async () => {
    ({ issue, escalation } = await openEscalated(t.ctx));
  });

  it('asks the agent who escalated to confirm with the customer, under the resolution note', async () => {
    const added = await resolveAndRead(escalation);
    const note = added.find((a) => a.effect.kind === 'thread_note')?.effect;
    expect(note).toEqual({
      kind: 'thread_note',
      thread: { channel: SUPPORT, threadId: issue.threadId },
      text: `✅ Escalation #1 resolved by <@${people.specialist.id}>: Refunded the duplicate charge. Root cause: Authority gap.\n👉 <@${people.agent.id}>, please confirm with the customer that this fixed it.`,
    });
  });

  it('queues the CSAT prompt in the original thread right behind the note, on the same order key', async () => {
    const added = await resolveAndRead(escalation);
    expect(added.map((a) => a.effect.kind)).toEqual(['thread_note', 'csat_prompt', 'update_card']);
    expect(added[1]).toEqual({
      orderKey: issue.id,
      effect: {
        kind: 'csat_prompt',
        thread: { channel: SUPPORT, threadId: issue.threadId },
        escalationId: escalation.id,
        number: 1,
      },
    });
    expect(added.every((a) => a.orderKey === issue.id)).toBe(true);
  });

  it('asks no rating when the policy turns CSAT off (the agent is still asked to confirm)', async () => {
    t.ctx.policy = { ...t.ctx.policy, followUp: { ...t.ctx.policy.followUp, csat: false } };
    const added = await resolveAndRead(escalation);
    expect(added.map((a) => a.effect.kind)).toEqual(['thread_note', 'update_card']);
    const note = added[0]!.effect;
    expect(note.kind === 'thread_note' && note.text).toContain('please confirm with the customer');
  });

  it('a resolution at a higher level still names the agent who first escalated', async () => {
    const { followUp: l3 } = await escalateFurther(t.ctx, escalation.id, spec);
    const added = await resolveAndRead(l3!, eng);
    const note = added.find((a) => a.effect.kind === 'thread_note')!.effect;
    expect(note.kind === 'thread_note' && note.text).toContain(
      `<@${people.agent.id}>, please confirm with the customer`,
    );
    const prompt = added.find((a) => a.effect.kind === 'csat_prompt')!.effect;
    expect(prompt).toMatchObject({ escalationId: l3!.id, number: 2 });
  });
});

describe('the frontline agent of an automatic escalation', () => {
  it('is the staff member who last answered the customer in the thread', async () => {
    const issue = await openIssue(t.ctx);
    await reply(t.ctx, issue, people.agent, 'Looking into it.');
    await reply(t.ctx, issue, people.specialist, 'Specialist here.');
    const escalation = await escalateIssue(t.ctx, {
      issueId: issue.id,
      reason: 'SLA breach',
      actor: SYSTEM_ACTOR,
      source: 'checker',
    });
    const added = await resolveAndRead(escalation);
    const note = added.find((a) => a.effect.kind === 'thread_note')!.effect;
    // The resolver is not asked to confirm with themselves.
    expect(note.kind === 'thread_note' && note.text).toContain(
      `👉 <@${people.agent.id}>, please confirm with the customer`,
    );
  });

  it('is "Frontline" when no staff member answered', async () => {
    const issue = await openIssue(t.ctx);
    const escalation = await escalateIssue(t.ctx, {
      issueId: issue.id,
      reason: 'SLA breach',
      actor: SYSTEM_ACTOR,
      source: 'checker',
    });
    const added = await resolveAndRead(escalation);
    const note = added.find((a) => a.effect.kind === 'thread_note')!.effect;
    expect(note.kind === 'thread_note' && note.text).toContain(
      '👉 Frontline, please confirm with the customer that this fixed it.',
    );
  });
});
