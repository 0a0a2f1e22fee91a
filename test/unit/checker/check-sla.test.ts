import { afterEach, describe, expect, it } from 'vitest';
import { claimEscalation } from '../../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import { runCheckerTick } from '../../../src/app/run-checker-tick.js';
import { trackMessage } from '../../../src/app/track-message.js';
import type { Issue } from '../../../src/domain/issue.js';
import type { Policy } from '../../../src/domain/policy.js';
import { formatTime } from '../../../src/domain/text.js';
import { HOUR, localTime, sydney } from '../../support/checker/local-time.js';
import { incoming, people, reply } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, examplePolicy, type TestContext } from '../../support/core/test-context.js';

/**
 * The SLA part of a checker tick, on the core with a temporary SQLite file and a ManualClock: the
 * customer's message time opens the clock (`openedAt`), the tick compares deadlines with the
 * ManualClock. Example policy: P3 first response 4h / resolve 3d on business hours (Mon–Fri
 * 09:00–17:00 Australia/Sydney, NSW holidays + 2026-12-24), P1 15m / 4h round the clock.
 */
let t: TestContext;
afterEach(() => t?.cleanup());

async function start(at: Date, policy: Policy = examplePolicy()) {
  t = await createTestContext({ start: at, policy });
  return t;
}

async function customerWrites(
  text = 'Our nightly invoice sync has not run since Wednesday.',
): Promise<Issue> {
  const result = await trackMessage(t.ctx, incoming(t.ctx, { author: people.customer, text }));
  if (result.outcome !== 'tracked') throw new Error(result.reason);
  return result.issue;
}

async function tickAt(at: Date) {
  t.clock.set(at);
  return runCheckerTick(t.ctx);
}

/** A Sydney time as cards and evidence show it. */
const shown = (local: string) => formatTime(sydney(local), 'Australia/Sydney');

const escalationsOf = (issue: Issue) => t.store.escalations.listForIssue(issue.id);

describe('first-response SLA on the business clock', () => {
  it('Friday 16:00 + 4h is Monday 12:00 (Sydney); the tick at exactly the deadline fires, a minute before does not', async () => {
    await start(sydney('2026-03-06 16:00'));
    const issue = await customerWrites();
    expect(issue.firstResponseDueAt).toEqual(sydney('2026-03-09 12:00'));
    expect(issue.resolveDueAt).toEqual(sydney('2026-03-19 16:00')); // 72 working hours

    expect((await tickAt(sydney('2026-03-07 10:00'))).slaBreaches).toBe(0);
    expect((await tickAt(sydney('2026-03-09 11:59'))).slaBreaches).toBe(0);
    expect((await tickAt(sydney('2026-03-09 12:00'))).slaBreaches).toBe(1);

    const [escalation] = await escalationsOf(issue);
    expect(escalation).toMatchObject({
      trigger: 'sla_breach',
      path: 'tech',
      level: 0,
      priority: 'P3',
      createdBy: 'system:escalator',
    });
    expect(escalation!.evidence.summary).toMatch(
      /^First response SLA breached: P3 target 4h \(business hours\) was due Mon 9 Mar/,
    );
    expect(escalation!.evidence.details).toEqual([
      expect.stringMatching(/^Opened Fri 6 Mar/),
      'No staff answer in the thread yet',
    ]);
    expect((await tickAt(sydney('2026-03-09 12:20'))).slaBreaches).toBe(0);
    expect(await escalationsOf(issue)).toHaveLength(1);
  });

  it('across the New York spring-forward weekend the deadline follows local hours, not UTC', async () => {
    const ny = (local: string) => localTime(local, 'America/New_York');
    const policy = examplePolicy();
    await start(ny('2026-03-06 16:00'), {
      ...policy,
      timezone: 'America/New_York',
      businessHours: { ...policy.businessHours, holidays: { country: 'US', state: 'NY', dates: [] } },
    });
    const issue = await customerWrites();
    // Friday is EST (UTC-5), Monday EDT (UTC-4): Monday 12:00 local is 16:00Z, not 17:00Z.
    expect(issue.firstResponseDueAt).toEqual(new Date('2026-03-09T16:00:00Z'));
    expect((await tickAt(new Date('2026-03-09T15:59:00Z'))).slaBreaches).toBe(0);
    expect((await tickAt(new Date('2026-03-09T16:01:00Z'))).slaBreaches).toBe(1);
  });

  it('across the Sydney autumn fall-back (5 Apr 2026) a Thursday 16:00 message is due after Easter, at local noon', async () => {
    // Thu 2 Apr 16:00 AEDT: 1h on Thursday; Good Friday (3rd), the weekend (DST ends on the 5th)
    // and Easter Monday (6th) are off; 3h more on Tuesday 7 Apr, now AEST (UTC+10).
    await start(sydney('2026-04-02 16:00'));
    const issue = await customerWrites();
    expect(issue.firstResponseDueAt).toEqual(sydney('2026-04-07 12:00'));
    expect(issue.firstResponseDueAt).toEqual(new Date('2026-04-07T02:00:00Z'));
    expect((await tickAt(sydney('2026-04-06 12:01'))).slaBreaches).toBe(0);
    expect((await tickAt(sydney('2026-04-07 12:01'))).slaBreaches).toBe(1);
  });

  it('an answer that arrives after the deadline but before the tick: no breach fires (someone did answer)', async () => {
    await start(sydney('2026-03-06 16:00'));
    const issue = await customerWrites();
    t.clock.set(sydney('2026-03-09 12:00:30'));
    await reply(t.ctx, issue, people.agent, 'Sorry for the wait, looking now.');
    expect((await tickAt(sydney('2026-03-09 12:01'))).slaBreaches).toBe(0);
    expect(await escalationsOf(issue)).toEqual([]);
  });

  it('with slaBreach left out of the policy the breach is recorded once but nothing is escalated', async () => {
    const policy = examplePolicy();
    await start(sydney('2026-03-06 16:00'), {
      ...policy,
      triggers: { ...policy.triggers, slaBreach: undefined },
    });
    const issue = await customerWrites();
    expect((await tickAt(sydney('2026-03-09 12:01'))).slaBreaches).toBe(1);
    expect((await t.store.issues.get(issue.id))?.firstResponseBreachedAt).toEqual(sydney('2026-03-09 12:01'));
    expect(await escalationsOf(issue)).toEqual([]);
    expect((await tickAt(sydney('2026-03-09 13:00'))).slaBreaches).toBe(0);
  });
});

describe('SLA breach and the issue it escalates', () => {
  it('the resolution target breaches on its own clock once the first response was given', async () => {
    const policy = { ...examplePolicy(), defaultPriority: 'P1' as const };
    await start(sydney('2026-03-08 03:00'), policy); // Sunday night, P1 runs round the clock
    const issue = await customerWrites('Production is down, every API call returns 503.');
    t.clock.set(sydney('2026-03-08 03:05'));
    await reply(t.ctx, issue, people.agent, 'On it, paging the on-call engineer.');
    expect((await tickAt(sydney('2026-03-08 06:59'))).slaBreaches).toBe(0);
    expect((await tickAt(sydney('2026-03-08 07:00'))).slaBreaches).toBe(1);
    const [escalation] = await escalationsOf(issue);
    expect(escalation?.evidence.summary).toBe(
      `Resolution SLA breached: P1 target 4h (round the clock) was due ${shown('2026-03-08 07:00')}`,
    );
    expect(escalation?.evidence.details).toEqual([`Opened ${shown('2026-03-08 03:00')}`, 'Still open']);
  });

  it('both targets passing is recorded on the issue once each; still one escalation', async () => {
    const policy = { ...examplePolicy(), defaultPriority: 'P1' as const };
    await start(sydney('2026-03-08 03:00'), policy);
    const issue = await customerWrites('Production is down, every API call returns 503.');
    expect((await tickAt(sydney('2026-03-08 03:16'))).slaBreaches).toBe(1);
    const [raised] = await escalationsOf(issue);
    await claimEscalation(t.ctx, raised!.id, { actor: people.specialist.id, source: 'slack' });
    expect((await tickAt(sydney('2026-03-08 07:01'))).slaBreaches).toBe(1);
    expect((await tickAt(sydney('2026-03-08 07:02'))).slaBreaches).toBe(0);
    expect(await t.store.issues.get(issue.id)).toMatchObject({
      firstResponseBreachedAt: sydney('2026-03-08 03:16'),
      resolveBreachedAt: sydney('2026-03-08 07:01'),
    });
    expect(await escalationsOf(issue)).toHaveLength(1);
  });

  it('a breach on a thread already escalated by hand adds to that card (update, no new card)', async () => {
    await start(sydney('2026-03-10 10:00'));
    const issue = await customerWrites();
    const manual = await escalateIssue(t.ctx, {
      issueId: issue.id,
      reason: 'Sync job stuck',
      priority: 'P2', // first response 1h (business) from 10:00
      actor: people.agent.id,
      source: 'slack',
    });
    await claimEscalation(t.ctx, manual.id, { actor: people.specialist.id, source: 'slack' });
    const before = (await readOutbox(t.dbUrl)).length;
    await tickAt(sydney('2026-03-10 11:01'));
    const added = (await readOutbox(t.dbUrl)).slice(before);
    expect(added.map((r) => r.effect.kind)).toEqual(['update_card']);
    const updated = (await t.store.escalations.get(manual.id))!;
    expect(updated.evidence.details?.[0]).toMatch(/^Also: First response SLA breached: P2 target 1h/);
    expect(await escalationsOf(issue)).toHaveLength(1);
  });

  // BUG (src/app/checker/check-sla.ts, `breach`): after `fireTrigger` has escalated the issue
  // (openEscalation sets status 'escalated', and the trigger's priority with recomputed deadlines),
  // `tx.issues.update({ ...issue, firstResponseBreachedAt })` writes back the copy read before, so
  // the issue is 'open' again at its old priority. Remove `.fails` once fixed.
  it('an issue escalated by an SLA breach is marked escalated', async () => {
    await start(sydney('2026-03-06 16:00'));
    const issue = await customerWrites();
    await tickAt(sydney('2026-03-09 12:01'));
    expect(await escalationsOf(issue)).toHaveLength(1);
    expect((await t.store.issues.get(issue.id))?.status).toBe('escalated');
  });

  it('an slaBreach trigger with a priority raises the issue’s priority with its card', async () => {
    const policy = examplePolicy();
    await start(sydney('2026-03-06 16:00'), {
      ...policy,
      triggers: { ...policy.triggers, slaBreach: { path: 'tech', priority: 'P2' } },
    });
    const issue = await customerWrites();
    await tickAt(sydney('2026-03-09 12:01'));
    const [escalation] = await escalationsOf(issue);
    expect(escalation?.priority).toBe('P2');
    expect((await t.store.issues.get(issue.id))?.priority).toBe('P2');
  });
});

describe('an SLA tick costs what is due', () => {
  it('a backlog of 210 due issues drains in one tick (batches of 200); issues not yet due wait', async () => {
    const policy = examplePolicy();
    await start(sydney('2026-03-06 16:00'), { ...policy, triggers: { slaBreach: { path: 'tech' } } });
    for (let i = 0; i < 210; i++) await customerWrites(`Question number ${i} about invoices`);
    t.clock.advance(HOUR);
    for (let i = 0; i < 10; i++) await customerWrites(`Later question number ${i}`); // Friday 17:00: due Monday 13:00
    expect((await tickAt(sydney('2026-03-09 12:10'))).slaBreaches).toBe(210);
    expect((await tickAt(sydney('2026-03-09 12:20'))).slaBreaches).toBe(0);
    expect((await tickAt(sydney('2026-03-09 13:01'))).slaBreaches).toBe(10);
  });
});
