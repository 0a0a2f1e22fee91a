import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bounceEscalation,
  claimEscalation,
  escalateFurther,
  resolveEscalation,
} from '../../../src/app/act-on-escalation.js';
import { openEscalated, people } from '../../support/core/fixtures.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' });
});
afterEach(() => t.cleanup());

const summary = async (escalationId: string) =>
  (await t.store.events.listForEscalation(escalationId)).map((e) => ({
    action: e.action,
    from: e.fromStatus,
    to: e.toStatus,
    actor: e.actor,
    source: e.source,
    detail: e.detail,
    at: e.at.toISOString(),
  }));

describe('every transition leaves an audit event with actor, source and from/to statuses', () => {
  it('records the whole story of an issue across levels', async () => {
    const { escalation: first } = await openEscalated(t.ctx, { reason: 'Export bug' });
    t.clock.advance(60_000);
    await claimEscalation(t.ctx, first.id, { actor: people.specialist.id, source: 'slack' });
    t.clock.advance(60_000);
    const { followUp: second } = await escalateFurther(
      t.ctx,
      first.id,
      { actor: people.specialist.id, source: 'teams' },
      { reason: 'Needs code' },
    );
    t.clock.advance(60_000);
    await claimEscalation(t.ctx, second!.id, { actor: people.engineer.id, source: 'slack' });
    t.clock.advance(60_000);
    const { followUp: third } = await bounceEscalation(
      t.ctx,
      second!.id,
      { actor: people.engineer.id, source: 'slack' },
      { reason: 'Config, not code' },
    );
    t.clock.advance(60_000);
    await resolveEscalation(
      t.ctx,
      third!.id,
      { actor: people.specialist.id, source: 'local' },
      { note: 'Fixed the config', rootCause: 'knowledge_gap' },
    );

    expect(await summary(first.id)).toEqual([
      {
        action: 'open',
        from: null,
        to: 'open',
        actor: people.agent.id,
        source: 'slack',
        detail: 'Export bug',
        at: '2026-03-02T00:00:00.000Z',
      },
      {
        action: 'claim',
        from: 'open',
        to: 'claimed',
        actor: people.specialist.id,
        source: 'slack',
        detail: null,
        at: '2026-03-02T00:01:00.000Z',
      },
      {
        action: 'escalate_further',
        from: 'claimed',
        to: 'superseded',
        actor: people.specialist.id,
        source: 'teams',
        detail: 'Needs code',
        at: '2026-03-02T00:02:00.000Z',
      },
    ]);
    expect(await summary(second!.id)).toEqual([
      expect.objectContaining({
        action: 'open',
        from: null,
        to: 'open',
        actor: people.specialist.id,
        source: 'teams',
      }),
      expect.objectContaining({ action: 'claim', from: 'open', to: 'claimed', actor: people.engineer.id }),
      expect.objectContaining({
        action: 'bounce',
        from: 'claimed',
        to: 'bounced',
        actor: people.engineer.id,
        detail: 'Config, not code',
        at: '2026-03-02T00:04:00.000Z',
      }),
    ]);
    expect(await summary(third!.id)).toEqual([
      expect.objectContaining({ action: 'open', from: null, to: 'open', actor: people.engineer.id }),
      expect.objectContaining({
        action: 'resolve',
        from: 'open',
        to: 'resolved',
        actor: people.specialist.id,
        source: 'local',
        detail: 'knowledge_gap: Fixed the config',
      }),
    ]);
  });

  it('a refused action leaves no event', async () => {
    const { escalation } = await openEscalated(t.ctx);
    await claimEscalation(t.ctx, escalation.id, { actor: people.specialist.id, source: 'slack' });
    await claimEscalation(t.ctx, escalation.id, { actor: people.engineer.id, source: 'slack' }).catch(
      () => {},
    );
    expect((await summary(escalation.id)).map((e) => e.action)).toEqual(['open', 'claim']);
  });
});
