import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_BUTTONS, hasButton } from '../support/checker/cards.js';
import {
  type ClockedDriver,
  ClockedSlackDriver,
  ClockedTeamsDriver,
} from '../support/checker/clocked-drivers.js';
import { HOUR, MINUTE, sydney } from '../support/checker/local-time.js';
import type { StoryCard, StoryThread } from '../support/story/platform-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';

/**
 * The ack ladder as a support team lives it, on Slack and on Teams through the real stack: nobody
 * claims the L2 card, so after 30 minutes Escalator moves it to L3 by itself; at L3 (the top of the
 * tech path) it keeps reminding instead of escalating into nothing; a claimed card that is not
 * resolved in time gets a higher priority. Time is a ManualClock moved by `world.tick(ms)`.
 *
 * Example policy: tech path L2 Tech (ackWithin 30m, resolveWithin 4h) then L3 Engineering
 * (ackWithin 15m, resolveWithin 8h). The escalations are P3, whose clock is business hours
 * (Mon–Fri 09:00–17:00 Sydney), so the story runs on a Tuesday morning.
 */
describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new ClockedSlackDriver(w)],
  ['Teams', 'teams' as const, (w: StoryWorld) => new ClockedTeamsDriver(w)],
])('%s: the ack ladder', (_name, layout, makeDriver) => {
  let world: StoryWorld;
  let chat: ClockedDriver;

  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy(layout));
    chat = makeDriver(world);
    await chat.prepare();
    world.clock.set(sydney('2026-03-10 10:00')); // Tuesday, 10am in Sydney
  });
  afterEach(async () => {
    await world.stop();
  });

  /** A customer reports a bug, the agent answers and escalates it by hand to tech (L2) at P3. */
  async function escalatedToL2(): Promise<{ thread: StoryThread; card: StoryCard }> {
    const thread = await chat.customerPosts(
      'Exporting invoices to CSV fails with error E42 since this morning.',
    );
    await chat.agentReplies(thread, 'Thanks, I can reproduce it. Getting engineering on it.');
    await chat.escalateWithMention(thread, 'escalate to tech P3 Export bug, needs engineering');
    const card = await chat.waitForCard(chat.channel('l2'));
    await chat.waitForNote(thread, 'Escalated to');
    return { thread, card };
  }

  it('an unclaimed L2 card climbs to L3 after ackWithin: new L3 card, old card marked without buttons, thread told', async () => {
    const { thread, card: l2 } = await escalatedToL2();

    await world.tick(29 * MINUTE);
    expect(chat.cardsPosted(chat.channel('l3'))).toBe(0);
    expect(chat.cardText(l2)).toContain('Open: waiting for someone to claim it');

    await world.tick(2 * MINUTE); // 31 minutes unclaimed
    const l3 = await chat.waitForCard(chat.channel('l3'));
    const l3Text = chat.cardText(l3);
    expect(l3Text).toContain('Escalation #2');
    expect(l3Text).toContain('Unclaimed at L2 Tech for 31m.');
    expect(l3Text).toContain('L3 Engineering');
    expect(l3Text).toContain('Export bug, needs engineering'); // the agent's reason travels up
    expect(l3Text).toContain('Exporting invoices to CSV fails with error E42'); // and the customer's words
    expect(hasButton(l3Text, 'claim')).toBe(true);

    await chat.waitForCardText(l2, 'Escalated to L3 Engineering after 31m unclaimed');
    for (const button of ALL_BUTTONS) expect(hasButton(chat.cardText(l2), button)).toBe(false);
    await chat.waitForNote(thread, 'was unclaimed at L2 Tech for 31m');

    const issue = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    const [first, second] = await world.store.escalations.listForIssue(issue.id);
    expect(first).toMatchObject({ status: 'superseded', supersededBy: second!.id, level: 0 });
    expect(second).toMatchObject({ status: 'open', level: 1, parentId: first!.id, priority: 'P3' });
    const audit = await world.store.events.listForEscalation(first!.id);
    expect(audit.map((e) => [e.action, e.toStatus, e.actor])).toEqual([
      ['open', 'open', chat.people.agent.id],
      ['auto_escalate', 'superseded', 'system:escalator'],
    ]);
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
  });

  it('at the top level (L3) it reminds in the card thread every 15 minutes instead of escalating into nothing', async () => {
    await escalatedToL2();
    await world.tick(31 * MINUTE);
    const l3 = await chat.waitForCard(chat.channel('l3'));
    const cardThread = { channel: l3.channel, rootId: l3.messageId };

    await world.tick(14 * MINUTE);
    expect(chat.notesIn(cardThread)).toEqual([]);

    await world.tick(1 * MINUTE); // 15 minutes unclaimed at L3
    const first = await chat.waitForNote(cardThread, 'still unclaimed after 15m');
    expect(first).toContain('Escalation #2');
    expect(first).toContain('L3 Engineering is the last level of the "tech" path');

    await world.tick(14 * MINUTE);
    expect(chat.notesIn(cardThread)).toHaveLength(1);
    await world.tick(1 * MINUTE);
    await chat.waitForNote(cardThread, 'still unclaimed after 30m');
    expect(chat.notesIn(cardThread)).toHaveLength(2);

    // Still one card at L3 and nothing anywhere higher; the L3 card keeps its Claim button.
    expect(chat.cardsPosted(chat.channel('l3'))).toBe(1);
    expect(chat.cardsPosted(chat.channel('leads'))).toBe(0);
    expect(hasButton(chat.cardText(l3), 'claim')).toBe(true);
    const escalation = (await world.store.escalations.get(l3.escalationId))!;
    expect(escalation.status).toBe('open');
    expect(escalation.ackDueAt).toEqual(new Date(world.clock.now().getTime() + 15 * MINUTE));
  });

  it('a claimed card is never climbed', async () => {
    const { card } = await escalatedToL2();
    await world.tick(10 * MINUTE);
    await chat.click(card, 'claim', chat.people.specialist);
    await chat.waitForCardText(card, 'Claimed by');

    for (const step of [25 * MINUTE, 30 * MINUTE, HOUR, HOUR]) await world.tick(step); // 3h05 in all
    expect(chat.cardsPosted(chat.channel('l3'))).toBe(0);
    const escalation = (await world.store.escalations.get(card.escalationId))!;
    expect(escalation).toMatchObject({ status: 'claimed', level: 0, claimedBy: chat.people.specialist.id });
  });

  it('a claimed card past resolveWithin gets P3 → P2: the card shows it, the claimer is told, SLA deadlines recomputed', async () => {
    const { thread, card } = await escalatedToL2();
    const { specialist } = chat.people;
    await world.tick(5 * MINUTE);
    await chat.click(card, 'claim', specialist);
    await chat.waitForCardText(card, 'Claimed by');
    const before = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    expect(before.priority).toBe('P3');
    // P3 resolve 3d on the business clock = 72 working hours from Tuesday 10:00.
    expect(before.resolveDueAt).toEqual(sydney('2026-03-23 10:00'));

    await world.tick(3 * HOUR + 54 * MINUTE); // 13:59, one minute before L2's resolveWithin (4h)
    expect((await world.store.escalations.get(card.escalationId))?.priority).toBe('P3');

    await world.tick(2 * MINUTE); // 14:01
    await chat.waitForCardText(card, 'Escalation #1 · P2');
    expect(hasButton(chat.cardText(card), 'resolve')).toBe(true); // still claimed, still workable
    const told = await chat.waitForNote(
      { channel: card.channel, rootId: card.messageId },
      'priority raised from P3 to P2',
    );
    expect(told).toContain(specialist.shownAs);
    expect(told).toContain('escalation #1 is overdue at L2 Tech');

    const escalation = (await world.store.escalations.get(card.escalationId))!;
    expect(escalation).toMatchObject({ status: 'claimed', priority: 'P2', level: 0 });
    // The next resolveWithin (4h) is measured on P2's clock (business): 14:01 + 4h = Wednesday 10:01.
    expect(escalation.resolveDueAt).toEqual(sydney('2026-03-11 10:01'));
    const after = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    expect(after.priority).toBe('P2');
    // P2 targets from when the customer wrote (Tuesday 10:00): first response 1h, resolve 1d = 24 working hours.
    expect(after.firstResponseDueAt).toEqual(sydney('2026-03-10 11:00'));
    expect(after.resolveDueAt).toEqual(sydney('2026-03-13 10:00'));
    const audit = await world.store.events.listForEscalation(card.escalationId);
    expect(audit.map((e) => e.action)).toEqual(['open', 'claim', 'raise_priority']);

    // The agent answered long ago, so the tighter first-response target does not breach now.
    await world.tick(MINUTE);
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
  });

  it('restart catch-up: a card that fell due while Escalator was down climbs once, at start', async () => {
    const { thread, card: l2 } = await escalatedToL2();
    await world.app.stop();
    world.clock.advance(45 * MINUTE);
    await world.boot(); // the start-up tick runs before the schedules would

    const l3 = await chat.waitForCard(chat.channel('l3'));
    expect(chat.cardText(l3)).toContain('Unclaimed at L2 Tech for 45m.');
    await chat.waitForCardText(l2, 'Escalated to L3 Engineering after 45m unclaimed');
    await chat.waitForNote(thread, 'was unclaimed at L2 Tech for 45m');

    await world.tick();
    await world.tick(MINUTE);
    expect(chat.cardsPosted(chat.channel('l3'))).toBe(1);
    expect(chat.notesIn(thread).filter((n) => n.includes('was unclaimed at L2 Tech'))).toHaveLength(1);
    const issue = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    expect((await world.store.escalations.listForIssue(issue.id)).map((e) => [e.level, e.status])).toEqual([
      [0, 'superseded'],
      [1, 'open'],
    ]);
  });
});
