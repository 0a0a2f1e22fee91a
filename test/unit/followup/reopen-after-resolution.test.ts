import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escalateFurther, resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue } from '../../../src/domain/issue.js';
import { openEscalated, people, reply, SUPPORT } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestContext;
let issue: Issue;
let escalation: Escalation;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' });
  t.ctx.policy = { ...t.ctx.policy, followUp: { csat: true, reopenWithinMs: 3 * DAY } };
  ({ issue, escalation } = await openEscalated(t.ctx));
  // The dispatcher posted the card.
  await t.store.escalations.setCardRef(escalation.id, 'slack:C0L2', '1770000500.000100');
});
afterEach(() => t.cleanup());

const spec = { actor: people.specialist.id, source: 'slack' } as const;
const eng = { actor: people.engineer.id, source: 'slack' } as const;
const fix = { note: 'Patched', rootCause: 'system_issue' } as const;

/** Thread notes written after `from` rows. */
const notesAfter = async (from: number) =>
  (await readOutbox(t.dbUrl))
    .slice(from)
    .map((r) => r.effect)
    .filter((e) => e.kind === 'thread_note');

describe('a customer writing after the resolution', () => {
  beforeEach(async () => {
    await resolveEscalation(t.ctx, escalation.id, spec, fix);
  });

  it('within the window: the issue reopens and the resolver is told on the card’s thread', async () => {
    t.clock.advance(2 * DAY);
    const rows = (await readOutbox(t.dbUrl)).length;
    const changes = t.outboxChanges();
    await reply(
      t.ctx,
      issue,
      people.customer,
      '  Hi again,\nthe export   fails once more with E42 since this morning.',
    );
    expect((await t.store.issues.get(issue.id))?.status).toBe('open');
    expect(await notesAfter(rows)).toEqual([
      {
        kind: 'thread_note',
        thread: { channel: 'slack:C0L2', threadId: '1770000500.000100' },
        text: `<@${people.specialist.id}> the customer wrote again in issue #1 after you resolved escalation #1: Hi again, the export fails once more with E42 since this morning.`,
      },
    ]);
    expect(t.outboxChanges()).toBe(changes + 1);
  });

  it('quotes only the first words of a long message', async () => {
    const rows = (await readOutbox(t.dbUrl)).length;
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    await reply(t.ctx, issue, people.customer, words);
    const [note] = await notesAfter(rows);
    const text = note?.kind === 'thread_note' ? note.text : '';
    expect(text).toContain('word24…');
    expect(text).not.toContain('word25');
  });

  it('after the window: the issue reopens silently', async () => {
    t.clock.advance(3 * DAY + 1);
    const rows = (await readOutbox(t.dbUrl)).length;
    await reply(t.ctx, issue, people.customer, 'One more question');
    expect((await t.store.issues.get(issue.id))?.status).toBe('open');
    expect(await notesAfter(rows)).toEqual([]);
  });

  it('the resolver is told once: the next message finds the issue open already', async () => {
    const rows = (await readOutbox(t.dbUrl)).length;
    await reply(t.ctx, issue, people.customer, 'Still broken');
    await reply(t.ctx, issue, people.customer, 'Hello?');
    expect(await notesAfter(rows)).toHaveLength(1);
  });

  it('staff writing in the resolved thread neither reopens it nor tells anyone', async () => {
    const rows = (await readOutbox(t.dbUrl)).length;
    await reply(t.ctx, issue, people.agent, 'Confirmed with the customer, all good.');
    expect((await t.store.issues.get(issue.id))?.status).toBe('resolved');
    expect(await notesAfter(rows)).toEqual([]);
  });
});

it('tells the resolver of the latest resolution, not of an earlier one', async () => {
  await resolveEscalation(t.ctx, escalation.id, spec, fix);
  await reply(t.ctx, issue, people.customer, 'Broken again');
  const second = await escalateIssue(t.ctx, {
    issueId: issue.id,
    reason: 'Again',
    actor: people.agent.id,
    source: 'slack',
  });
  const { followUp: l3 } = await escalateFurther(t.ctx, second.id, spec);
  await t.store.escalations.setCardRef(l3!.id, 'slack:C0L3', '1770000900.000100');
  t.clock.advance(HOUR);
  await resolveEscalation(t.ctx, l3!.id, eng, fix);
  const rows = (await readOutbox(t.dbUrl)).length;
  await reply(t.ctx, issue, people.customer, 'And again');
  expect(await notesAfter(rows)).toEqual([
    {
      kind: 'thread_note',
      thread: { channel: 'slack:C0L3', threadId: '1770000900.000100' },
      text: `<@${people.engineer.id}> the customer wrote again in issue #1 after you resolved escalation #3: And again`,
    },
  ]);
});

it('a resolution on a level without a card (webhook only) tells the resolver in the customer’s thread', async () => {
  const vendor = await openEscalated(t.ctx, { path: 'vendors' });
  await resolveEscalation(t.ctx, vendor.escalation.id, spec, fix);
  const rows = (await readOutbox(t.dbUrl)).length;
  await reply(t.ctx, vendor.issue, people.customer, 'Not fixed');
  expect(await notesAfter(rows)).toEqual([
    {
      kind: 'thread_note',
      thread: { channel: SUPPORT, threadId: vendor.issue.threadId },
      text: `<@${people.specialist.id}> the customer wrote again in issue #2 after you resolved escalation #2: Not fixed`,
    },
  ]);
});
