import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { recordCsat } from '../../../src/app/record-csat.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import { expectRefused } from '../../support/core/errors.js';
import { openEscalated, people } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
let escalation: Escalation;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' });
  ({ escalation } = await openEscalated(t.ctx));
});
afterEach(() => t.cleanup());

const spec = { actor: people.specialist.id, source: 'slack' } as const;
const resolve = () =>
  resolveEscalation(t.ctx, escalation.id, spec, { note: 'Patched', rootCause: 'system_issue' });
const rate = (score: number, respondent = people.customer.id) =>
  recordCsat(t.ctx, { escalationId: escalation.id, score, respondent, source: 'slack' });

describe('recordCsat', () => {
  beforeEach(async () => {
    await resolve();
    t.clock.advance(5 * 60_000);
  });

  it('stores who answered and the score, and thanks them', async () => {
    const result = await rate(4);
    expect(result).toEqual({
      outcome: 'recorded',
      escalationNumber: 1,
      answer: { score: 4, respondent: people.customer.id },
      thanks: `🙏 Thanks, <@${people.customer.id}> rated 4/5 for escalation #1.`,
    });
    expect(await t.store.csat.forEscalation(escalation.id)).toEqual({
      id: `csat_${escalation.id}`,
      escalationId: escalation.id,
      issueId: escalation.issueId,
      score: 4,
      respondent: people.customer.id,
      at: t.clock.now(),
    });
  });

  it('updates the card so it shows the rating', async () => {
    const changes = t.outboxChanges();
    await rate(4);
    const last = (await readOutbox(t.dbUrl)).at(-1)!.effect;
    expect(last).toMatchObject({ kind: 'update_card', escalationId: escalation.id, channel: 'slack:C0L2' });
    const card = last.kind === 'update_card' ? last.card : undefined;
    const field = card?.fields.find((f) => f.label === 'CSAT');
    expect(field?.value).toContain('4/5');
    expect(field?.value).toContain(`<@${people.customer.id}>`);
    expect(t.outboxChanges()).toBe(changes + 1);
  });

  it('counts the first answer only: a second click, by anyone, changes nothing and says who rated it', async () => {
    await rate(4);
    const rows = (await readOutbox(t.dbUrl)).length;
    const again = await rate(1, people.agent.id);
    expect(again).toMatchObject({
      outcome: 'already_rated',
      answer: { score: 4, respondent: people.customer.id },
      message: `Escalation #1 was already rated 4/5 by <@${people.customer.id}>; only the first answer counts.`,
    });
    expect(await t.store.csat.forEscalation(escalation.id)).toMatchObject({
      score: 4,
      respondent: people.customer.id,
    });
    expect(await readOutbox(t.dbUrl)).toHaveLength(rows);
  });

  it('two clicks at the same moment store one answer', async () => {
    const results = await Promise.all([rate(5), rate(2, people.agent.id)]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['already_rated', 'recorded']);
    const stored = await t.store.csat.forEscalation(escalation.id);
    const winner = results.find((r) => r.outcome === 'recorded')!;
    expect(stored?.score).toBe(winner.answer.score);
  });

  it.each([0, 6, -1, 2.5, Number.NaN, 99])('refuses the score %s and stores nothing', async (score) => {
    const rows = (await readOutbox(t.dbUrl)).length;
    const error = await expectRefused(rate(score), 'invalid_input');
    expect(error.message).toContain('from 1 (poor) to 5 (great)');
    expect(await t.store.csat.forEscalation(escalation.id)).toBeUndefined();
    expect(await readOutbox(t.dbUrl)).toHaveLength(rows);
  });

  it('refuses an unknown escalation', async () => {
    await expectRefused(
      recordCsat(t.ctx, {
        escalationId: 'esc_nope',
        score: 3,
        respondent: people.customer.id,
        source: 'slack',
      }),
      'escalation_not_found',
    );
  });
});

it('refuses a rating before the escalation is resolved', async () => {
  const error = await expectRefused(rate(5), 'illegal_transition');
  expect(error.message).toContain('#1 is not resolved');
  expect(await t.store.csat.forEscalation(escalation.id)).toBeUndefined();
});
