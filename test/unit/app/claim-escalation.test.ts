import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation } from '../../../src/app/act-on-escalation.js';
import { EscalatorError } from '../../../src/domain/errors.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue } from '../../../src/domain/issue.js';
import { expectRefused } from '../../support/core/errors.js';
import { openEscalated, people, SUPPORT } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
let issue: Issue;
let escalation: Escalation;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' });
  ({ issue, escalation } = await openEscalated(t.ctx));
  t.clock.advance(5 * 60_000);
});
afterEach(() => t.cleanup());

const spec = { actor: people.specialist.id, source: 'slack' } as const;
const engineer = { actor: people.engineer.id, source: 'slack' } as const;

describe('claimEscalation', () => {
  it('makes the clicker the owner and bumps the version', async () => {
    const claimed = await claimEscalation(t.ctx, escalation.id, spec);
    expect(claimed).toMatchObject({
      status: 'claimed',
      claimedBy: people.specialist.id,
      claimedAt: t.clock.now(),
      version: 2,
    });
    expect(await t.store.escalations.get(escalation.id)).toMatchObject({ status: 'claimed', version: 2 });
  });

  it('tells the original thread who is on it and updates the card without the Claim button', async () => {
    await claimEscalation(t.ctx, escalation.id, spec);
    const added = (await readOutbox(t.dbUrl)).slice(2).map((r) => r.effect);
    expect(added).toHaveLength(2);
    expect(added).toContainEqual({
      kind: 'thread_note',
      thread: { channel: SUPPORT, threadId: issue.threadId },
      text: `👋 <@${people.specialist.id}> (L2 Tech) claimed escalation #1 and is on it.`,
    });
    const update = added.find((e) => e.kind === 'update_card');
    expect(update?.kind === 'update_card' && update.escalationId).toBe(escalation.id);
    const card = update?.kind === 'update_card' ? update.card : undefined;
    expect(card?.status).toContain(`Claimed by <@${people.specialist.id}>`);
    expect(card?.actions.map((a) => a.id)).toEqual(['resolve', 'bounce', 'escalate_further']);
  });

  it('a second claimer is told who already claimed it, and nothing changes', async () => {
    await claimEscalation(t.ctx, escalation.id, spec);
    const outboxBefore = (await readOutbox(t.dbUrl)).length;

    const error = await expectRefused(claimEscalation(t.ctx, escalation.id, engineer), 'already_claimed');
    expect(error.message).toContain(`<@${people.specialist.id}>`);
    expect(await t.store.escalations.get(escalation.id)).toMatchObject({
      claimedBy: people.specialist.id,
      version: 2,
    });
    expect(await readOutbox(t.dbUrl)).toHaveLength(outboxBefore);
  });

  it('two claims at the same moment give one winner and one clear refusal', async () => {
    const results = await Promise.allSettled([
      claimEscalation(t.ctx, escalation.id, spec),
      claimEscalation(t.ctx, escalation.id, engineer),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);

    const winner = (won[0] as PromiseFulfilledResult<Escalation>).value.claimedBy!;
    expect(lost[0]!.reason).toBeInstanceOf(EscalatorError);
    expect((lost[0]!.reason as EscalatorError).code).toBe('already_claimed');
    expect((lost[0]!.reason as EscalatorError).message).toContain(`<@${winner}>`);

    expect((await t.store.escalations.get(escalation.id))?.claimedBy).toBe(winner);
    const claims = (await t.store.events.listForEscalation(escalation.id)).filter(
      (e) => e.action === 'claim',
    );
    expect(claims).toHaveLength(1);
    expect((await readOutbox(t.dbUrl)).filter((r) => r.effect.kind === 'thread_note')).toHaveLength(2);
  });

  it('refuses an escalation that does not exist', async () => {
    await expectRefused(claimEscalation(t.ctx, 'esc_missing', spec), 'escalation_not_found');
  });

  it('wakes the outbox after a claim', async () => {
    const before = t.outboxChanges();
    await claimEscalation(t.ctx, escalation.id, spec);
    expect(t.outboxChanges()).toBe(before + 1);
  });
});
