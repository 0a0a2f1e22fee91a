import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/load-policy.js';
import { bootWith } from '../support/checker/boot-with.js';
import { ClockedSlackDriver } from '../support/checker/clocked-drivers.js';
import { sydney } from '../support/checker/local-time.js';
import { EXAMPLE_POLICY_FILE } from '../support/core/test-context.js';
import { eventually } from '../support/story/eventually.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';

describe('the checker schedule', () => {
  let world: StoryWorld;
  afterEach(async () => {
    await world.stop();
  });

  it('with `checker: { every: 1s }` and the schedules on, a manager request is escalated without anyone calling tick()', async () => {
    world = await StoryWorld.start({ ...storyPolicy('slack'), checker: { everyMs: 1000 } });
    await bootWith(world, { schedules: true });
    const chat = new SlackDriver(world);

    const started = Date.now();
    await chat.customerPosts('I want to speak to your manager about these charges.');
    // Real time: the only test that waits for the cron schedule itself.
    await eventually(
      () => chat.cardsPosted(chat.channel('leads')) > 0,
      'the cron tick to post the card',
      3500,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    const card = await chat.waitForCard(chat.channel('leads'));
    expect(chat.cardText(card)).toContain('Manager request');
  });

  it('with `checker: { every: 5s }` and 10s ackWithin an admin can watch the whole ladder in under a minute', async () => {
    const yaml = readFileSync(EXAMPLE_POLICY_FILE, 'utf8')
      .replace('checker: { every: 1m }', 'checker: { every: 5s }')
      .replace('ackWithin: 30m, resolveWithin: 4h', 'ackWithin: 10s, resolveWithin: 2m')
      .replace('ackWithin: 15m, resolveWithin: 8h', 'ackWithin: 10s, resolveWithin: 4m');
    const policy = parsePolicy(yaml, 'demo-policy.yaml');
    expect(policy.checker.everyMs).toBe(5_000);
    expect(policy.paths.tech!.levels.map((l) => l.ackWithinMs)).toEqual([10_000, 10_000]);

    world = await StoryWorld.start(policy); // startEscalator accepts the 5s schedule
    const chat = new ClockedSlackDriver(world);
    world.clock.set(sydney('2026-03-10 10:00'));
    const thread = await chat.customerPosts('The dashboard shows yesterday’s numbers only.');
    await chat.escalateWithMention(thread, 'escalate to tech P3 Stale dashboard data');
    const l2 = await chat.waitForCard(chat.channel('l2'));

    await world.tick(5_000);
    expect(chat.cardsPosted(chat.channel('l3'))).toBe(0);
    await world.tick(6_000); // 11s unclaimed
    const l3 = await chat.waitForCard(chat.channel('l3'));
    expect(chat.cardText(l3)).toContain('Unclaimed at L2 Tech for 11s.');
    await chat.waitForCardText(l2, 'Escalated to L3 Engineering after 11s unclaimed');

    await world.tick(5_000);
    await world.tick(6_000);
    await chat.waitForNote({ channel: l3.channel, rootId: l3.messageId }, 'still unclaimed after 11s');

    // Claimed at L3 and left unresolved past its 4m: the priority goes up and the claimer hears it.
    await chat.click(l3, 'claim', chat.people.specialist);
    await chat.waitForCardText(l3, 'Claimed by');
    await world.tick(4 * 60_000);
    await chat.waitForCardText(l3, 'Escalation #2 · P2');
    await chat.waitForNote({ channel: l3.channel, rootId: l3.messageId }, 'priority raised from P3 to P2');
    expect(chat.cardsPosted(chat.channel('l3'))).toBe(1);
  });
});
