import { afterEach, describe, expect, it } from 'vitest';
import { claimEscalation, resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { climbLadder } from '../../../src/app/checker/climb-ladder.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Priority } from '../../../src/domain/policy.js';
import { HOUR, MINUTE, sydney } from '../../support/checker/local-time.js';
import { openIssue, people } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

/**
 * The ack ladder on the core (example policy, tech path: L2 Tech ackWithin 30m / resolveWithin 4h,
 * L3 Engineering ackWithin 15m / resolveWithin 8h). Ladder deadlines run on the priority's clock:
 * P3 on business hours (Sydney 09:00–17:00), P1 round the clock.
 */
let t: TestContext;
afterEach(() => t?.cleanup());

async function escalatedAt(local: string, priority: Priority = 'P3'): Promise<Escalation> {
  t = await createTestContext({ start: sydney(local) });
  const issue = await openIssue(t.ctx);
  return escalateIssue(t.ctx, {
    issueId: issue.id,
    reason: 'Export bug, needs engineering',
    priority,
    actor: people.agent.id,
    source: 'slack',
  });
}

/** The card as the outbox would record it once delivered (reminders go into the card's thread). */
async function delivered(e: Escalation, ts = '1773100000.000100') {
  const channel = e.pathSnapshot.levels[e.level]!.channel!;
  await t.store.escalations.setCardRef(e.id, channel, ts);
}

async function tickAt(at: Date) {
  t.clock.set(at);
  return climbLadder(t.ctx, 200);
}

const effectsSince = async (n: number) => (await readOutbox(t.dbUrl)).slice(n).map((r) => r.effect);

describe('unclaimed past ackWithin', () => {
  it('climbs to the next level: new L3 escalation and card, old card superseded and updated, the thread told', async () => {
    const l2 = await escalatedAt('2026-03-10 10:00');
    expect(l2.ackDueAt).toEqual(sydney('2026-03-10 10:30'));
    const before = (await readOutbox(t.dbUrl)).length;

    expect(await tickAt(sydney('2026-03-10 10:29'))).toBe(0);
    expect(await tickAt(sydney('2026-03-10 10:30'))).toBe(1);

    const [old, l3] = await t.store.escalations.listForIssue(l2.issueId);
    expect(old).toMatchObject({
      status: 'superseded',
      statusNote: 'Escalated to L3 Engineering after 30m unclaimed',
      supersededBy: l3!.id,
    });
    expect(l3).toMatchObject({
      status: 'open',
      level: 1,
      number: 2,
      parentId: l2.id,
      createdBy: 'system:escalator',
      ackDueAt: sydney('2026-03-10 10:45'),
      resolveDueAt: sydney('2026-03-11 10:30'), // 8 business hours
      evidence: {
        summary: 'Unclaimed at L2 Tech for 30m.',
        details: [l2.evidence.summary],
      },
    });
    const effects = await effectsSince(before);
    expect(effects.map((e) => e.kind)).toEqual(['post_card', 'update_card', 'thread_note']);
    expect(effects[0]).toMatchObject({ channel: 'slack:C0L3', escalationId: l3!.id });
    expect(effects[1]).toMatchObject({ escalationId: l2.id, channel: 'slack:C0L2' });
    const update = effects[1]!;
    expect(update.kind === 'update_card' && update.card.actions).toEqual([]);
    expect(update.kind === 'update_card' && update.card.status).toMatch(
      /^⏫ Escalated to L3 Engineering after 30m unclaimed at /,
    );
    expect(effects[2]).toMatchObject({
      thread: { channel: 'slack:C0SUPPORT' },
      text: '⏫ Escalation #1 was unclaimed at L2 Tech for 30m, so it went to *L3 Engineering* as #2.',
    });

    const audit = await t.store.events.listForEscalation(l2.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'auto_escalate',
      fromStatus: 'open',
      toStatus: 'superseded',
      actor: 'system:escalator',
      source: 'checker',
    });
  });

  it('a P3 card raised at 16:45 does not climb overnight: 30 business minutes end at 09:15 next morning', async () => {
    const l2 = await escalatedAt('2026-03-09 16:45'); // Monday
    expect(l2.ackDueAt).toEqual(sydney('2026-03-10 09:15'));
    expect(await tickAt(sydney('2026-03-09 23:00'))).toBe(0);
    expect(await tickAt(sydney('2026-03-10 09:14'))).toBe(0);
    expect(await tickAt(sydney('2026-03-10 09:15'))).toBe(1);
    const [, l3] = await t.store.escalations.listForIssue(l2.issueId);
    // It waited 30 business minutes (16:45-17:00 and 09:00-09:15), not the 17 hours of the night.
    expect(l3?.evidence.summary).toBe('Unclaimed at L2 Tech for 30m.');
  });

  it('a P1 card climbs at night: its ladder runs round the clock', async () => {
    const l2 = await escalatedAt('2026-03-07 02:00', 'P1'); // Saturday night
    expect(l2.ackDueAt).toEqual(sydney('2026-03-07 02:30'));
    expect(await tickAt(sydney('2026-03-07 02:31'))).toBe(1);
  });

  it('a claimed card never climbs', async () => {
    const l2 = await escalatedAt('2026-03-10 10:00');
    t.clock.set(sydney('2026-03-10 10:20'));
    await claimEscalation(t.ctx, l2.id, { actor: people.specialist.id, source: 'slack' });
    expect(await tickAt(sydney('2026-03-10 13:59'))).toBe(0);
    expect(await t.store.escalations.listForIssue(l2.issueId)).toHaveLength(1);
  });
});

describe('the top of the path', () => {
  it('reminds in the card thread every ackWithin and never opens a level that does not exist', async () => {
    const l2 = await escalatedAt('2026-03-10 10:00');
    await tickAt(sydney('2026-03-10 10:30'));
    const [, l3] = await t.store.escalations.listForIssue(l2.issueId);
    await delivered(l3!, '1773100000.000300');
    const before = (await readOutbox(t.dbUrl)).length;

    expect(await tickAt(sydney('2026-03-10 10:45'))).toBe(1);
    expect(await tickAt(sydney('2026-03-10 10:59'))).toBe(0);
    expect(await tickAt(sydney('2026-03-10 11:00'))).toBe(1);

    expect(await effectsSince(before)).toEqual([
      {
        kind: 'thread_note',
        thread: { channel: 'slack:C0L3', threadId: '1773100000.000300' },
        text: '⏰ Escalation #2 is still unclaimed after 15m. L3 Engineering is the last level of the "tech" path: please claim it.',
      },
      {
        kind: 'thread_note',
        thread: { channel: 'slack:C0L3', threadId: '1773100000.000300' },
        text: '⏰ Escalation #2 is still unclaimed after 30m. L3 Engineering is the last level of the "tech" path: please claim it.',
      },
    ]);
    const latest = (await t.store.escalations.get(l3!.id))!;
    expect(latest).toMatchObject({ status: 'open', level: 1, ackDueAt: sydney('2026-03-10 11:15') });
    expect(await t.store.escalations.listForIssue(l2.issueId)).toHaveLength(2);
    expect((await t.store.events.listForEscalation(l3!.id)).map((e) => e.action)).toEqual([
      'open',
      'remind',
      'remind',
    ]);
  });

  it('the reminder at the end of the day waits for the next working morning (business clock)', async () => {
    const l2 = await escalatedAt('2026-03-10 16:20');
    await tickAt(sydney('2026-03-10 16:50'));
    const [, l3] = await t.store.escalations.listForIssue(l2.issueId);
    // 15 business minutes from 16:50: 10 today, 5 tomorrow.
    expect(l3?.ackDueAt).toEqual(sydney('2026-03-11 09:05'));
    expect(await tickAt(sydney('2026-03-10 20:00'))).toBe(0);
    expect(await tickAt(sydney('2026-03-11 09:04'))).toBe(0);
    expect(await tickAt(sydney('2026-03-11 09:05'))).toBe(1);
    expect((await t.store.escalations.get(l3!.id))?.ackDueAt).toEqual(sydney('2026-03-11 09:20'));
  });
});

describe('claimed past resolveWithin', () => {
  it('raises the priority one step, recomputes the issue’s SLA, re-renders the card and tells the claimer', async () => {
    const l2 = await escalatedAt('2026-03-10 10:00');
    await delivered(l2, '1773100000.000200');
    t.clock.set(sydney('2026-03-10 10:10'));
    await claimEscalation(t.ctx, l2.id, { actor: people.specialist.id, source: 'slack' });
    const before = (await readOutbox(t.dbUrl)).length;

    expect(await tickAt(sydney('2026-03-10 13:59'))).toBe(0);
    expect(await tickAt(sydney('2026-03-10 14:00'))).toBe(1);

    const raised = (await t.store.escalations.get(l2.id))!;
    expect(raised).toMatchObject({
      status: 'claimed',
      priority: 'P2',
      resolveDueAt: sydney('2026-03-11 10:00'),
    });
    const issue = (await t.store.issues.get(l2.issueId))!;
    expect(issue.priority).toBe('P2');
    expect(issue.firstResponseDueAt).toEqual(sydney('2026-03-10 11:00'));
    expect(issue.resolveDueAt).toEqual(sydney('2026-03-13 10:00'));

    const effects = await effectsSince(before);
    expect(effects.map((e) => e.kind)).toEqual(['update_card', 'thread_note']);
    expect(effects[0]?.kind === 'update_card' && effects[0].card.title).toBe('Escalation #1 · P2 · Manual');
    expect(effects[1]).toEqual({
      kind: 'thread_note',
      thread: { channel: 'slack:C0L2', threadId: '1773100000.000200' },
      text: '⏫ <@slack:U0SPEC>, escalation #1 is overdue at L2 Tech: priority raised from P3 to P2.',
    });
    const audit = await t.store.events.listForEscalation(l2.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'raise_priority',
      detail: "priority raised P3 → P2: not resolved within L2 Tech's target",
    });
  });

  it('at P1 there is nothing higher: it reminds the claimer instead, every resolveWithin', async () => {
    const l2 = await escalatedAt('2026-03-10 10:00', 'P1');
    await delivered(l2, '1773100000.000200');
    await claimEscalation(t.ctx, l2.id, { actor: people.specialist.id, source: 'slack' });
    const before = (await readOutbox(t.dbUrl)).length;
    expect(await tickAt(sydney('2026-03-10 14:00'))).toBe(1);
    expect(await t.store.escalations.get(l2.id)).toMatchObject({
      priority: 'P1',
      resolveDueAt: sydney('2026-03-10 18:00'),
    });
    expect((await effectsSince(before)).at(-1)).toMatchObject({
      kind: 'thread_note',
      text: '⏰ <@slack:U0SPEC>, escalation #1 is still unresolved at L2 Tech (P1).',
    });
    expect(await tickAt(sydney('2026-03-10 17:59'))).toBe(0);
    expect(await tickAt(sydney('2026-03-10 18:00'))).toBe(1);
  });

  it('a resolved card is left alone', async () => {
    const l2 = await escalatedAt('2026-03-10 10:00');
    await claimEscalation(t.ctx, l2.id, { actor: people.specialist.id, source: 'slack' });
    await resolveEscalation(
      t.ctx,
      l2.id,
      { actor: people.specialist.id, source: 'slack' },
      {
        note: 'Fixed the export.',
        rootCause: 'system_issue',
      },
    );
    expect(await tickAt(new Date(sydney('2026-03-10 10:00').getTime() + 8 * HOUR + MINUTE))).toBe(0);
  });
});
