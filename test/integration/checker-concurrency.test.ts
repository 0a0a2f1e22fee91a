import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClockedSlackDriver } from '../support/checker/clocked-drivers.js';
import { MINUTE, sydney } from '../support/checker/local-time.js';
import type { StoryThread } from '../support/story/platform-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';

/**
 * Ticks never overlap: a busy Monday morning has many manager requests waiting and many unclaimed
 * cards due to climb when two ticks are asked for at once (the cron schedule and the start-up
 * catch-up, or an admin's manual run). Every item is handled exactly once.
 */
describe('checker ticks asked for at the same time', () => {
  let world: StoryWorld;
  let chat: ClockedSlackDriver;

  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy('slack'));
    chat = new ClockedSlackDriver(world);
    world.clock.set(sydney('2026-03-09 09:00'));
  });
  afterEach(async () => {
    await world.stop();
  });

  it('each due item is handled once: one card per manager request, one L3 card per unclaimed L2 card', async () => {
    const ESCALATED = 12;
    const ASKING = 15;
    const escalated: StoryThread[] = [];
    for (let i = 1; i <= ESCALATED; i++) {
      const thread = await chat.customerPosts(
        `Order ${1000 + i} shows the wrong delivery address on the label.`,
      );
      await chat.escalateWithMention(thread, `escalate to tech P3 Label bug on order ${1000 + i}`);
      escalated.push(thread);
    }
    await world.app.dispatcher.idle();
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(ESCALATED);

    world.clock.advance(31 * MINUTE);
    for (let i = 1; i <= ASKING; i++) {
      await chat.customerPosts(`Invoice INV-${2000 + i} is wrong. I want to speak to your manager.`);
    }

    await Promise.all([world.app.checker.tick(), world.app.checker.tick(), world.app.checker.tick()]);
    await world.app.dispatcher.kick();
    await world.app.dispatcher.idle();

    expect(chat.cardsPosted(chat.channel('leads'))).toBe(ASKING);
    expect(chat.cardsPosted(chat.channel('l3'))).toBe(ESCALATED);
    for (const thread of escalated) {
      expect(chat.notesIn(thread).filter((n) => n.includes('was unclaimed at L2 Tech'))).toHaveLength(1);
    }
    expect(await world.store.triggers.listPendingHits(100)).toEqual([]);

    // And the next tick finds nothing left to do.
    await world.tick();
    expect(chat.cardsPosted(chat.channel('leads'))).toBe(ASKING);
    expect(chat.cardsPosted(chat.channel('l3'))).toBe(ESCALATED);
  });
});
