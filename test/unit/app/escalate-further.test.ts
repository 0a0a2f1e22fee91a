import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation, escalateFurther } from '../../../src/app/act-on-escalation.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue } from '../../../src/domain/issue.js';
import { expectRefused } from '../../support/core/errors.js';
import { openEscalated, people, SUPPORT } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

const MIN = 60_000;
let t: TestContext;
let issue: Issue;
let l2: Escalation;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' });
  ({ issue, escalation: l2 } = await openEscalated(t.ctx));
  t.clock.advance(10 * MIN);
});
afterEach(() => t.cleanup());

const spec = { actor: people.specialist.id, source: 'slack' } as const;
const eng = { actor: people.engineer.id, source: 'slack' } as const;

describe('escalateFurther', () => {
  it('supersedes the escalation with a new one at the next level, linked both ways', async () => {
    await claimEscalation(t.ctx, l2.id, spec);
    const { escalation: old, followUp: next } = await escalateFurther(t.ctx, l2.id, spec, {
      reason: 'Needs a code fix',
    });
    expect(next).toMatchObject({
      status: 'open',
      level: 1,
      number: 2,
      parentId: l2.id,
      path: 'tech',
      createdBy: people.specialist.id,
      ackDueAt: new Date(t.clock.now().getTime() + 15 * MIN),
      // P2 runs on business hours (Sydney 09:00-17:00): 8h from Monday 11:10 is Tuesday 11:10.
      resolveDueAt: new Date('2026-03-03T00:10:00.000Z'),
    });
    expect(next?.evidence.details).toContain('Reason: Needs a code fix');
    expect(old).toMatchObject({ status: 'superseded', supersededBy: next!.id });
    expect(await t.store.escalations.get(l2.id)).toMatchObject({
      status: 'superseded',
      supersededBy: next!.id,
    });
    expect(await t.store.escalations.findActiveForIssue(issue.id)).toMatchObject({ id: next!.id });
  });

  it('posts the new card to L3’s channel, updates the old card and tells the thread', async () => {
    const { followUp: next } = await escalateFurther(t.ctx, l2.id, spec);
    const added = (await readOutbox(t.dbUrl)).slice(2).map((r) => r.effect);
    expect(added.filter((e) => e.kind === 'post_card')).toEqual([
      expect.objectContaining({ channel: 'slack:C0L3', escalationId: next!.id }),
    ]);
    const post = added.find((e) => e.kind === 'post_card');
    // L3 is the top of the tech path: its card offers no Escalate further.
    expect(post?.kind === 'post_card' && post.card.actions.map((a) => a.id)).toEqual([
      'claim',
      'resolve',
      'bounce',
    ]);
    expect(added).toContainEqual({
      kind: 'thread_note',
      thread: { channel: SUPPORT, threadId: issue.threadId },
      text: `⏫ Escalation #1 was escalated further to *L3 Engineering* as #2 by <@${people.specialist.id}>.`,
    });
    const update = added.find((e) => e.kind === 'update_card');
    expect(update?.kind === 'update_card' && update.escalationId).toBe(l2.id);
    expect(update?.kind === 'update_card' && update.card.status).toContain('Escalated further');
  });

  it('at the top level it refuses and rolls everything back', async () => {
    const { followUp: l3 } = await escalateFurther(t.ctx, l2.id, spec);
    const before = {
      escalation: await t.store.escalations.get(l3!.id),
      events: await t.store.events.listForEscalation(l3!.id),
      outbox: await readOutbox(t.dbUrl),
      all: await t.store.escalations.listForIssue(issue.id),
      wakes: t.outboxChanges(),
    };
    t.clock.advance(MIN);

    const error = await expectRefused(escalateFurther(t.ctx, l3!.id, eng), 'no_higher_level');
    expect(error.message).toContain('top of the "tech" path (L3 Engineering)');

    expect(await t.store.escalations.get(l3!.id)).toEqual(before.escalation);
    expect(before.escalation).toMatchObject({ status: 'open', supersededBy: null });
    expect(await t.store.events.listForEscalation(l3!.id)).toEqual(before.events);
    expect(await readOutbox(t.dbUrl)).toEqual(before.outbox);
    expect(await t.store.escalations.listForIssue(issue.id)).toEqual(before.all);
    expect(t.outboxChanges()).toBe(before.wakes);
    // Still fully usable afterwards.
    await expect(claimEscalation(t.ctx, l3!.id, eng)).resolves.toMatchObject({ status: 'claimed' });
  });

  it('cannot escalate a superseded escalation again', async () => {
    await escalateFurther(t.ctx, l2.id, spec);
    const error = await expectRefused(escalateFurther(t.ctx, l2.id, eng), 'stale_action');
    expect(error.message).toContain('newer card');
  });
});
