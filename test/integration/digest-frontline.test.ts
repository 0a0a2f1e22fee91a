/**
 * The digest's "help the frontline resolve more" figures, from a week made by the real use cases
 * (escalate, resolve with a reusable answer, "This solved it") on a real database: what a team
 * lead checks on Monday. Week 2026-W10 (2 to 8 March, Sydney) against 2026-W09.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEscalation } from '../../src/app/act-on-escalation.js';
import { buildDigestReport } from '../../src/app/digest/build-report.js';
import { digestOnDemand } from '../../src/app/digest/on-demand.js';
import { sendDueDigest } from '../../src/app/digest/send-digest.js';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import { closeAsSolved } from '../../src/app/knowledge/close-as-solved.js';
import type { Card } from '../../src/domain/card.js';
import { isoWeekByLabel } from '../../src/domain/digest/period.js';
import type { DigestReport } from '../../src/domain/digest/report.js';
import type { RootCause } from '../../src/domain/policy.js';
import { instantAtLocalTime } from '../../src/domain/sla-clock.js';
import { openIssue, people } from '../support/core/fixtures.js';
import { readOutbox } from '../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../support/core/test-context.js';

const SYDNEY = 'Australia/Sydney';
const sydney = (date: string, time: string) => instantAtLocalTime(date, time, SYDNEY);
const HOUR = 3_600_000;
const W09 = isoWeekByLabel('2026-W09', SYDNEY)!;
const W10 = isoWeekByLabel('2026-W10', SYDNEY)!;
const ANSWER =
  'Ask them to open Settings › Data and press "Clear export cache".\nExports work a minute later.';

let world: TestContext;
const specialist = { actor: people.specialist.id, source: 'slack' as const };
const agent = { actor: people.agent.id, source: 'slack' as const };

/** A new thread escalated by the agent and resolved an hour later by the specialist. */
async function escalatedAndResolved(
  problem: string,
  rootCause: RootCause,
  options: { path?: string; answer?: string } = {},
) {
  const issue = await openIssue(world.ctx, problem);
  const escalation = await escalateIssue(world.ctx, {
    issueId: issue.id,
    reason: `Needs a specialist: ${problem}`,
    ...(options.path ? { path: options.path } : {}),
    ...agent,
  });
  world.clock.advance(HOUR);
  await resolveEscalation(world.ctx, escalation.id, specialist, {
    note: `Fixed: ${rootCause}`,
    rootCause,
    ...(options.answer ? { answer: options.answer } : {}),
  });
  world.clock.advance(HOUR);
  return escalation;
}

/** A new thread the agent closes with an earlier fix instead of escalating. */
async function solvedWith(escalationNumber: number, problem: string) {
  const issue = await openIssue(world.ctx, problem);
  const entries = await world.store.knowledge.listResolvedSince(new Date(0), 100);
  const entry = entries.find((e) => e.escalationNumber === escalationNumber)!;
  await closeAsSolved(world.ctx, { issueId: issue.id, entryId: entry.id, ...agent });
  world.clock.advance(HOUR);
}

let answered: { number: number };
let report: DigestReport;

beforeAll(async () => {
  world = await createTestContext({ start: sydney('2026-02-24', '10:00') });
  // Week 9: one knowledge gap with an answer, and one thread it solved.
  const earlier = await escalatedAndResolved('Invoices export fails with error 500', 'knowledge_gap', {
    answer: 'An older answer, written in week 9',
  });
  await solvedWith(earlier.number, 'CSV export gives error 500 again');

  // Week 10 on tech: six resolved, three knowledge gaps (one with a reusable answer) and one
  // authority gap among them; two threads solved by earlier fixes; on management, one resolved
  // as "other" and nothing deflected.
  world.clock.set(sydney('2026-03-02', '09:00'));
  answered = await escalatedAndResolved('Export to CSV times out', 'knowledge_gap', { answer: ANSWER });
  await escalatedAndResolved('How do I add a user to my plan?', 'knowledge_gap');
  await escalatedAndResolved('Where is the API key page?', 'knowledge_gap');
  await escalatedAndResolved('Refund of 300 AUD for a double charge', 'authority_gap');
  await escalatedAndResolved('Login page shows error 503', 'system_issue');
  await escalatedAndResolved('Please move our renewal to June', 'customer_request');
  await escalatedAndResolved('Unhappy with the answer times', 'other', { path: 'management' });
  await solvedWith(answered.number, 'The CSV export times out for me too');
  await solvedWith(earlier.number, 'Invoice export error 500 since this morning');

  report = await buildDigestReport(world.store, {
    period: W10,
    previousPeriod: W09,
    path: null,
    timeZone: SYDNEY,
    now: sydney('2026-03-09', '09:00'),
  });
});
afterAll(() => world?.cleanup());

const pathSlice = (key: string) => report.byPath.find((b) => b.key === key)!;
const section = (card: Card, heading: string) => card.sections.find((s) => s.heading === heading)?.text;

describe('the digest: what the frontline could solve itself', () => {
  it('counts the threads closed by "This solved it" in the week, against the week before', () => {
    expect(report.current.deflected).toBe(2);
    expect(report.previous.deflected).toBe(1);
  });

  it('counts avoidable escalations per path: 3 knowledge gaps + 1 authority gap of 6 resolved on tech', () => {
    expect(pathSlice('tech').current.avoidable).toEqual({ count: 4, outOf: 6, share: 4 / 6 });
    expect(pathSlice('tech').current.deflected).toBe(2);
    expect(pathSlice('management').current.avoidable).toEqual({ count: 0, outOf: 1, share: 0 });
    expect(pathSlice('management').current.deflected).toBe(0);
    // Last week on tech: the one knowledge gap, and the thread it solved.
    expect(pathSlice('tech').previous.avoidable).toEqual({ count: 1, outOf: 1, share: 1 });
    expect(pathSlice('tech').previous.deflected).toBe(1);
    // A level or a trigger has no deflections: a deflected thread was never escalated.
    expect(report.byLevel.map((b) => b.current.deflected)).toEqual(report.byLevel.map(() => null));
  });

  it("lists the week's reusable answers, not last week's", () => {
    expect(report.answersWritten).toEqual([
      {
        escalationNumber: answered.number,
        path: 'tech',
        firstLine: 'Ask them to open Settings › Data and press "Clear export cache".',
        resolvedBy: people.specialist.id,
        resolvedAt: expect.any(Date),
        thread: expect.objectContaining({ escalationNumber: answered.number, channel: 'slack:C0SUPPORT' }),
      },
    ]);
  });

  it('the weekly digest posted on Monday shows all three', async () => {
    world.clock.set(sydney('2026-03-09', '09:30'));
    expect(await sendDueDigest(world.ctx)).toMatchObject({ sent: true, period: '2026-W10' });
    const posted = (await readOutbox(world.dbUrl)).flatMap((r) =>
      r.effect.kind === 'post_digest' ? [r.effect.card] : [],
    );
    expect(posted).toHaveLength(1);
    const card = posted[0]!;
    expect(card.fields.find((f) => f.label === 'Solved without escalating')?.value).toBe(
      '2 by “This solved it” (▲ 1)',
    );
    expect(section(card, 'Avoidable escalations by path')).toBe(
      [
        '*tech*: avoidable 4 of 6 resolved (67%) · 2 solved without escalating',
        '*management*: avoidable 0 of 1 resolved (0%) · 0 solved without escalating',
      ].join('\n'),
    );
    expect(section(card, 'Knowledge answers written: 1')).toBe(
      `#${answered.number} · tech · Ask them to open Settings › Data and press "Clear export cache".`,
    );
    expect(card.context[0]).toContain('npm run knowledge:export -- --since 2026-03-02');
  });

  it('an on-demand digest for one path shows only that path', async () => {
    world.clock.set(sydney('2026-03-10', '11:00'));
    const tech = await digestOnDemand(world.ctx, { text: 'last week tech', channel: 'slack:C0LEADS' });
    const management = await digestOnDemand(world.ctx, {
      text: 'last week management',
      channel: 'slack:C0LEADS',
    });
    if (!tech.ok || !management.ok) throw new Error('the digest was refused');
    expect(section(tech.card, 'Avoidable escalations by path')).toBe(
      '*tech*: avoidable 4 of 6 resolved (67%) · 2 solved without escalating',
    );
    expect(section(tech.card, 'Knowledge answers written: 1')).toContain(`#${answered.number} · tech`);
    expect(tech.card.fields.find((f) => f.label === 'Solved without escalating')?.value).toBe(
      '2 by “This solved it” (▲ 1)',
    );
    expect(section(management.card, 'Avoidable escalations by path')).toBe(
      '*management*: avoidable 0 of 1 resolved (0%) · 0 solved without escalating',
    );
    expect(JSON.stringify(management.card)).not.toContain('Knowledge answers written');
    expect(management.card.fields.find((f) => f.label === 'Solved without escalating')?.value).toBe(
      '0 by “This solved it” (= last week)',
    );
  });
});
