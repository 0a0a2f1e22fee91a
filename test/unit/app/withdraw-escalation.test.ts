import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation } from '../../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import { runCheckerTick } from '../../../src/app/run-checker-tick.js';
import { withdrawEscalation } from '../../../src/app/withdraw-escalation.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue } from '../../../src/domain/issue.js';
import { expectRefused } from '../../support/core/errors.js';
import { openEscalated, people } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
let issue: Issue;
let escalation: Escalation;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' }); // Monday 11:00 in Sydney
  ({ issue, escalation } = await openEscalated(t.ctx));
  t.clock.advance(60_000);
});
afterEach(() => t.cleanup());

const agent = { actor: people.agent.id, source: 'slack' } as const;

describe('withdrawEscalation', () => {
  it('closes the open escalation, gives the thread back to the frontline, updates the card and tells the thread', async () => {
    const before = (await readOutbox(t.dbUrl)).length;
    const withdrawn = await withdrawEscalation(t.ctx, {
      issueId: issue.id,
      ...agent,
      reason: ' solved by a restart ',
    });
    expect(withdrawn).toMatchObject({
      status: 'withdrawn',
      version: 2,
      statusNote: '<@slack:U0AGENT>: solved by a restart',
    });
    expect((await t.store.issues.get(issue.id))?.status).toBe('open');
    const effects = (await readOutbox(t.dbUrl))
      .slice(before)
      .map((r) => r.effect as { kind: string; text?: string; card?: { status: string; actions: unknown[] } });
    expect(effects.map((e) => e.kind)).toEqual(['update_card', 'thread_note']);
    expect(effects[0]?.card?.status).toContain('Withdrawn at');
    expect(effects[0]?.card?.actions).toEqual([]);
    expect(effects[1]?.text).toBe(
      '⬅️ <@slack:U0AGENT> withdrew escalation #1 (L2 Tech): solved by a restart The thread is back with the frontline.',
    );
    const events = await t.store.events.listForEscalation(escalation.id);
    expect(events.at(-1)).toMatchObject({
      action: 'withdraw',
      fromStatus: 'open',
      toStatus: 'withdrawn',
      actor: people.agent.id,
      detail: 'solved by a restart',
    });
  });

  it('leaves the thread free to be escalated again: one active escalation, as the database requires', async () => {
    await withdrawEscalation(t.ctx, { issueId: issue.id, ...agent });
    const again = await escalateIssue(t.ctx, { issueId: issue.id, reason: 'It is back', ...agent });
    expect(again).toMatchObject({ number: 2, status: 'open', reescalationOf: null });
    expect((await t.store.escalations.findActiveForIssue(issue.id))?.id).toBe(again.id);
  });

  it('is for the agent who escalated only; anyone else is refused and audited', async () => {
    const other = { actor: people.specialist.id, source: 'slack' } as const;
    const refused = await expectRefused(
      withdrawEscalation(t.ctx, { issueId: issue.id, ...other }),
      'not_allowed',
    );
    expect(refused.message).toBe(
      'Only <@slack:U0AGENT>, who escalated this thread, can withdraw escalation #1.',
    );
    expect(await t.store.escalations.get(escalation.id)).toMatchObject({ status: 'open', version: 1 });
    expect((await t.store.events.listForEscalation(escalation.id)).at(-1)).toMatchObject({
      action: 'refused_withdraw',
      actor: people.specialist.id,
      toStatus: 'open',
    });
  });

  it('is refused once someone claimed it, naming who to ask instead', async () => {
    await claimEscalation(t.ctx, escalation.id, { actor: people.specialist.id, source: 'slack' });
    const refused = await expectRefused(
      withdrawEscalation(t.ctx, { issueId: issue.id, ...agent }),
      'already_claimed',
    );
    expect(refused.message).toBe(
      'Escalation #1 is already claimed by <@slack:U0SPEC>; you cannot withdraw it. Ask <@slack:U0SPEC> to bounce it back if it is no longer needed.',
    );
  });

  it('loses to a claim that lands between its checks and its write: one outcome, the agent told who has it', async () => {
    // The specialist's claim commits just before the withdraw's transaction starts.
    const store = t.store;
    let raced = false;
    t.ctx.store = Object.assign(Object.create(store), {
      async transaction<T>(work: (tx: Parameters<Parameters<typeof store.transaction>[0]>[0]) => Promise<T>) {
        if (!raced) {
          raced = true;
          await claimEscalation({ ...t.ctx, store }, escalation.id, {
            actor: people.specialist.id,
            source: 'slack',
          });
        }
        return store.transaction(work);
      },
    });
    const refused = await expectRefused(
      withdrawEscalation(t.ctx, { issueId: issue.id, ...agent }),
      'already_claimed',
    );
    expect(refused.message).toContain('already claimed by <@slack:U0SPEC>');
    expect(await store.escalations.get(escalation.id)).toMatchObject({ status: 'claimed', version: 2 });
    expect((await store.events.listForEscalation(escalation.id)).map((e) => e.action)).toEqual([
      'open',
      'claim',
    ]);
  });

  it('still belongs to the agent after the ladder moved it up a level', async () => {
    t.clock.advance(31 * 60_000); // L2 Tech's ackWithin is 30m
    await runCheckerTick(t.ctx);
    const climbed = (await t.store.escalations.findActiveForIssue(issue.id))!;
    expect(climbed).toMatchObject({ level: 1, createdBy: 'system:escalator', parentId: escalation.id });
    expect((await withdrawEscalation(t.ctx, { issueId: issue.id, ...agent })).id).toBe(climbed.id);
  });

  it('has nothing to withdraw on a thread without an open escalation', async () => {
    await withdrawEscalation(t.ctx, { issueId: issue.id, ...agent });
    await expectRefused(withdrawEscalation(t.ctx, { issueId: issue.id, ...agent }), 'escalation_not_found');
  });
});
