import { afterEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/domain/policy.js';
import { formatTime } from '../../src/domain/text.js';
import { ClockedSlackDriver } from '../support/checker/clocked-drivers.js';
import { HOUR, MINUTE, sydney } from '../support/checker/local-time.js';
import type { StoryThread } from '../support/story/platform-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';

/**
 * SLA breaches through the real Slack stack: the customer's message (its Slack `ts` is the
 * ManualClock's time) opens the issue and starts the clock; the checker escalates when the
 * first-response target passes. P3 is 4h on the business clock (Mon–Fri 09:00–17:00
 * Australia/Sydney, NSW public holidays and 2026-12-24 off); P1 is 15m round the clock.
 */
function slaPolicy(changes: Partial<Policy> = {}): Policy {
  const policy = storyPolicy('slack');
  return {
    ...policy,
    // Only the SLA trigger, to the tech path (L2 Tech first).
    triggers: { slaBreach: { path: 'tech' } },
    ...changes,
  };
}

const due = (local: string) => formatTime(sydney(local), 'Australia/Sydney');

describe('SLA breach on the business clock', () => {
  let world: StoryWorld;
  let chat: ClockedSlackDriver;

  async function start(policy = slaPolicy()) {
    world = await StoryWorld.start(policy);
    chat = new ClockedSlackDriver(world);
  }
  afterEach(async () => {
    await world.stop();
  });

  async function issueOf(thread: StoryThread) {
    return (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
  }

  /** Moves the clock to a Sydney wall-clock time and runs a checker tick there. */
  async function tickAt(local: string) {
    world.clock.set(sydney(local));
    await world.tick();
  }

  it('Friday 16:00 + 4 business hours is Monday 12:00: quiet over the weekend, fires just after', async () => {
    await start();
    world.clock.set(sydney('2026-03-06 16:00')); // Friday
    const thread = await chat.customerPosts('Our nightly invoice sync has not run since Wednesday.');
    expect((await issueOf(thread)).firstResponseDueAt).toEqual(sydney('2026-03-09 12:00'));

    for (const when of ['2026-03-06 20:00', '2026-03-07 12:00', '2026-03-08 23:00', '2026-03-09 11:59']) {
      await tickAt(when);
      expect(chat.cardsPosted(chat.channel('l2')), `no card at ${when}`).toBe(0);
    }

    await tickAt('2026-03-09 12:01'); // Monday
    const card = await chat.waitForCard(chat.channel('l2'));
    const text = chat.cardText(card);
    expect(text).toContain('SLA breach');
    expect(text).toContain(
      `First response SLA breached: P3 target 4h (business hours) was due ${due('2026-03-09 12:00')}`,
    );
    expect(text).toContain('Escalation #1 · P3');
    expect(text).toContain('No staff answer in the thread yet');
    expect(text).toContain('L2 Tech');
    const note = await chat.waitForNote(thread, 'Escalated to');
    expect(note).toContain('L2 Tech');
    expect(note).toContain('First response SLA breached');

    const issue = await issueOf(thread);
    expect(issue.firstResponseBreachedAt).toEqual(sydney('2026-03-09 12:01'));

    // Breached once: later ticks post nothing more.
    await tickAt('2026-03-09 13:00');
    await tickAt('2026-03-10 12:00');
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
  });

  it('a staff reply before the deadline stops the first-response clock: nothing fires', async () => {
    await start();
    world.clock.set(sydney('2026-03-06 16:00'));
    const thread = await chat.customerPosts('Our nightly invoice sync has not run since Wednesday.');
    world.clock.set(sydney('2026-03-06 16:40'));
    await chat.agentReplies(thread, 'Looking into it now, will update you on Monday morning.');
    expect((await issueOf(thread)).firstResponseAt).toEqual(sydney('2026-03-06 16:40'));

    for (const when of ['2026-03-09 12:01', '2026-03-09 17:00', '2026-03-10 12:00']) await tickAt(when);
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(0);
    expect(chat.notesIn(thread)).toEqual([]);
  });

  it('a reply from the customer themselves (or a second customer message) does not stop the clock', async () => {
    await start();
    world.clock.set(sydney('2026-03-06 16:00'));
    const thread = await chat.customerPosts('Our nightly invoice sync has not run since Wednesday.');
    world.clock.set(sydney('2026-03-06 16:30'));
    await chat.customerRepliesIn(thread, 'Any news? It is still not running.');
    await tickAt('2026-03-09 12:01');
    await chat.waitForCard(chat.channel('l2'));
  });

  it('Christmas: the listed 24 Dec, NSW Christmas, Boxing Day (Monday 28th in 2026) and the weekend push the deadline', async () => {
    await start();
    world.clock.set(sydney('2026-12-23 16:00')); // Wednesday: one working hour left today
    const thread = await chat.customerPosts(
      'We cannot issue refunds from the dashboard, button is greyed out.',
    );
    // 1h on Wednesday, then 24th (policy date), 25th (Christmas), 26–27 (weekend, Boxing Day on
    // Saturday), 28th (Boxing Day observed in NSW) are off: 3h more on Tuesday the 29th.
    expect((await issueOf(thread)).firstResponseDueAt).toEqual(sydney('2026-12-29 12:00'));

    for (const when of ['2026-12-24 12:01', '2026-12-25 12:00', '2026-12-28 12:01', '2026-12-29 11:59']) {
      await tickAt(when);
      expect(chat.cardsPosted(chat.channel('l2')), `no card at ${when}`).toBe(0);
    }
    await tickAt('2026-12-29 12:01');
    const card = await chat.waitForCard(chat.channel('l2'));
    expect(chat.cardText(card)).toContain(`was due ${due('2026-12-29 12:00')}`);
  });

  it('only the listed date: without it the deadline would be 24 Dec (the policy date is what moves it)', async () => {
    const policy = slaPolicy();
    await start({
      ...policy,
      businessHours: { ...policy.businessHours, holidays: { country: 'AU', state: 'NSW', dates: [] } },
    });
    world.clock.set(sydney('2026-12-23 16:00'));
    const thread = await chat.customerPosts(
      'We cannot issue refunds from the dashboard, button is greyed out.',
    );
    expect((await issueOf(thread)).firstResponseDueAt).toEqual(sydney('2026-12-24 12:00'));
    await tickAt('2026-12-24 12:01');
    await chat.waitForCard(chat.channel('l2'));
  });

  it('restart: a deadline that passed while Escalator was down fires once, at start', async () => {
    await start();
    world.clock.set(sydney('2026-03-06 16:00'));
    const thread = await chat.customerPosts('Our nightly invoice sync has not run since Wednesday.');
    await world.app.stop(); // down for the weekend
    world.clock.set(sydney('2026-03-09 12:30'));
    await world.boot();
    const card = await chat.waitForCard(chat.channel('l2'));
    expect(chat.cardText(card)).toContain('First response SLA breached');
    await chat.waitForNote(thread, 'Escalated to');
    await world.tick();
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
  });

  it('P1 on the calendar clock: 15 real minutes, even at 3am on a Sunday', async () => {
    await start(slaPolicy({ defaultPriority: 'P1' }));
    world.clock.set(sydney('2026-03-08 03:00')); // Sunday night
    const thread = await chat.customerPosts('Production is down, every API call returns 503.');
    expect((await issueOf(thread)).firstResponseDueAt).toEqual(sydney('2026-03-08 03:15'));

    await world.tick(14 * MINUTE);
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(0);
    await world.tick(2 * MINUTE);
    const card = await chat.waitForCard(chat.channel('l2'));
    expect(chat.cardText(card)).toContain(
      `First response SLA breached: P1 target 15m (round the clock) was due ${due('2026-03-08 03:15')}`,
    );
    expect(chat.cardText(card)).toContain('Escalation #1 · P1');
  });

  it('the resolution target breaches too: a P1 answered but not resolved in 4h', async () => {
    await start(slaPolicy({ defaultPriority: 'P1' }));
    world.clock.set(sydney('2026-03-08 03:00'));
    const thread = await chat.customerPosts('Production is down, every API call returns 503.');
    world.clock.set(sydney('2026-03-08 03:05'));
    await chat.agentReplies(thread, 'On it, paging the on-call engineer.');

    await tickAt('2026-03-08 06:59');
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(0);
    await tickAt('2026-03-08 07:01');
    const card = await chat.waitForCard(chat.channel('l2'));
    expect(chat.cardText(card)).toContain(
      `Resolution SLA breached: P1 target 4h (round the clock) was due ${due('2026-03-08 07:00')}`,
    );
    expect((await issueOf(thread)).resolveBreachedAt).toEqual(sydney('2026-03-08 07:01'));
  });

  it('a breach on a thread that is already escalated adds to its card instead of posting another', async () => {
    await start();
    world.clock.set(sydney('2026-03-10 10:00'));
    const thread = await chat.customerPosts('Our nightly invoice sync has not run since Wednesday.');
    await chat.escalateWithMention(thread, 'escalate to tech P3 Sync job stuck, needs engineering');
    const card = await chat.waitForCard(chat.channel('l2'));
    // Nobody answers the customer in the thread; 4 business hours later the SLA breaches.
    // (The L2 card would climb after 30m: claim it so this test watches only the SLA.)
    await chat.click(card, 'claim', chat.people.specialist);
    await chat.waitForCardText(card, 'Claimed by');

    await world.tick(4 * HOUR + MINUTE);
    await chat.waitForCardText(card, 'Also: First response SLA breached: P3 target 4h');
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
  });
});
