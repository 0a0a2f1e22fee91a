import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bounceEscalation, claimEscalation, escalateFurther } from '../../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
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

describe('bounceEscalation from the second level (L3 Engineering)', () => {
  let l3: Escalation;
  beforeEach(async () => {
    const further = await escalateFurther(t.ctx, l2.id, spec);
    l3 = further.followUp!;
    await claimEscalation(t.ctx, l3.id, eng);
    t.clock.advance(30 * MIN);
  });

  it('opens a new escalation one level down, linked to the bounced one', async () => {
    const { escalation: bounced, followUp } = await bounceEscalation(t.ctx, l3.id, eng, {
      reason: '  Not a code bug: a config issue  ',
    });
    expect(bounced).toMatchObject({
      status: 'bounced',
      bouncedBy: people.engineer.id,
      bouncedAt: t.clock.now(),
      bounceReason: 'Not a code bug: a config issue',
    });
    expect(followUp).toMatchObject({
      status: 'open',
      level: 0,
      parentId: l3.id,
      trigger: 'bounce',
      number: 3,
      ackDueAt: new Date(t.clock.now().getTime() + 30 * MIN),
    });
    expect(followUp?.evidence.details).toEqual(['Reason: Not a code bug: a config issue']);
    expect(await t.store.escalations.findActiveForIssue(issue.id)).toMatchObject({ id: followUp!.id });
    expect((await t.store.issues.get(issue.id))?.status).toBe('escalated');
  });

  it('posts a new card to the L2 channel and tells the thread where it went', async () => {
    const before = (await readOutbox(t.dbUrl)).length;
    const { followUp } = await bounceEscalation(t.ctx, l3.id, eng, { reason: 'Config issue' });
    const added = (await readOutbox(t.dbUrl)).slice(before).map((r) => r.effect);
    expect(added.filter((e) => e.kind === 'post_card')).toEqual([
      expect.objectContaining({ channel: 'slack:C0L2', escalationId: followUp!.id }),
    ]);
    expect(added).toContainEqual({
      kind: 'thread_note',
      thread: { channel: SUPPORT, threadId: issue.threadId },
      text: `↩️ Escalation #2 was bounced back to *L2 Tech* as #3 by <@${people.engineer.id}>: Config issue`,
    });
    const update = added.find((e) => e.kind === 'update_card');
    expect(update?.kind === 'update_card' && update.escalationId).toBe(l3.id);
    expect(update?.kind === 'update_card' && update.card.actions).toEqual([]);
  });
});

describe('bounceEscalation from the first level (L2 Tech)', () => {
  it('sends the issue back to the frontline: no new escalation, the issue is open again', async () => {
    const { escalation: bounced, followUp } = await bounceEscalation(t.ctx, l2.id, spec, {
      reason: 'Ask the customer for the export file',
    });
    expect(bounced.status).toBe('bounced');
    expect(followUp).toBeNull();
    expect((await t.store.issues.get(issue.id))?.status).toBe('open');
    expect(await t.store.escalations.findActiveForIssue(issue.id)).toBeUndefined();

    const added = (await readOutbox(t.dbUrl)).slice(2).map((r) => r.effect);
    expect(added.some((e) => e.kind === 'post_card')).toBe(false);
    const note = added.find((e) => e.kind === 'thread_note');
    expect(note?.kind === 'thread_note' && note.text).toBe(
      `↩️ Escalation #1 was bounced back to the frontline by <@${people.specialist.id}>: Ask the customer for the export file`,
    );
  });

  it('the bounced issue appears again among the threads that can be escalated', async () => {
    await bounceEscalation(t.ctx, l2.id, spec, { reason: 'Need logs' });
    expect((await t.store.issues.listOpenInChannel(SUPPORT, 10)).map((i) => i.id)).toEqual([issue.id]);
    await expect(
      escalateIssue(t.ctx, {
        issueId: issue.id,
        reason: 'Logs attached',
        actor: people.agent.id,
        source: 'slack',
      }),
    ).resolves.toMatchObject({ status: 'open', level: 0 });
  });

  it('requires a reason', async () => {
    await expectRefused(bounceEscalation(t.ctx, l2.id, spec, { reason: ' ' }), 'invalid_input');
    expect((await t.store.escalations.get(l2.id))?.status).toBe('open');
  });

  it('cannot bounce an escalation that was already bounced', async () => {
    await bounceEscalation(t.ctx, l2.id, spec, { reason: 'Need logs' });
    const error = await expectRefused(
      bounceEscalation(t.ctx, l2.id, eng, { reason: 'again' }),
      'stale_action',
    );
    expect(error.message).toContain(`bounced back by <@${people.specialist.id}>`);
  });
});
