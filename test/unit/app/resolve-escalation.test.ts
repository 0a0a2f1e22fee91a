import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation, resolveEscalation } from '../../../src/app/act-on-escalation.js';
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
  t.clock.advance(20 * 60_000);
});
afterEach(() => t.cleanup());

const spec = { actor: people.specialist.id, source: 'slack' } as const;
const fix = { note: '  Patched the exporter; customer can retry.  ', rootCause: 'system_issue' } as const;

describe('resolveEscalation', () => {
  it('resolves a claimed escalation with the note and root cause, and resolves the issue', async () => {
    await claimEscalation(t.ctx, escalation.id, spec);
    t.clock.advance(60 * 60_000);
    const resolved = await resolveEscalation(t.ctx, escalation.id, spec, fix);
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedBy: people.specialist.id,
      resolvedAt: t.clock.now(),
      resolutionNote: 'Patched the exporter; customer can retry.',
      rootCause: 'system_issue',
    });
    expect((await t.store.issues.get(issue.id))?.status).toBe('resolved');
  });

  it('resolving straight from open records the resolver as the claimer too', async () => {
    const resolved = await resolveEscalation(t.ctx, escalation.id, spec, fix);
    expect(resolved).toMatchObject({
      status: 'resolved',
      claimedBy: people.specialist.id,
      claimedAt: t.clock.now(),
    });
  });

  it('updates the card (no buttons left) and tells the thread what fixed it', async () => {
    await resolveEscalation(t.ctx, escalation.id, spec, fix);
    const added = (await readOutbox(t.dbUrl)).slice(2).map((r) => r.effect);
    expect(added.map((e) => e.kind).sort()).toEqual(['csat_prompt', 'thread_note', 'update_card']);
    expect(added).toContainEqual({
      kind: 'thread_note',
      thread: { channel: SUPPORT, threadId: issue.threadId },
      text: `✅ Escalation #1 resolved by <@${people.specialist.id}>: Patched the exporter; customer can retry. Root cause: System issue.\n👉 <@${people.agent.id}>, please confirm with the customer that this fixed it.`,
    });
    const update = added.find((e) => e.kind === 'update_card');
    const card = update?.kind === 'update_card' ? update.card : undefined;
    expect(card?.actions).toEqual([]);
    expect(card?.status).toContain('Resolved by');
  });

  it.each(['', '   '])('requires a resolution note (%j) and changes nothing without one', async (note) => {
    await expectRefused(
      resolveEscalation(t.ctx, escalation.id, spec, { note, rootCause: 'other' }),
      'invalid_input',
    );
    expect(await t.store.escalations.get(escalation.id)).toMatchObject({ status: 'open', version: 1 });
    expect(await readOutbox(t.dbUrl)).toHaveLength(2);
  });

  it('cannot resolve twice', async () => {
    await resolveEscalation(t.ctx, escalation.id, spec, fix);
    const error = await expectRefused(
      resolveEscalation(t.ctx, escalation.id, { actor: people.engineer.id, source: 'slack' }, fix),
      'stale_action',
    );
    expect(error.message).toContain(`already resolved by <@${people.specialist.id}>`);
  });
});
