import { afterEach, describe, expect, it } from 'vitest';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver, visibleText } from '../support/story/teams-driver.js';
import { adaptiveCardProblems, cardBytes } from '../support/teams/validate-adaptive-card.js';

const MESSAGES = 300;

/**
 * Issue #11's done-when, for Teams: in a mixed deployment (support on Slack, escalation levels on
 * Teams) the specialist opens a long Slack thread from the Teams card and reads all of it, page by
 * page, with the Slack people named.
 */
describe('Teams: the whole conversation of a Slack thread', () => {
  let world: StoryWorld;
  afterEach(async () => {
    await world.stop();
  });

  it('the transcript opens for a 300-message thread from a Teams card about a Slack thread', async () => {
    world = await StoryWorld.start(storyPolicy('slack-to-teams'));
    const slack = new SlackDriver(world);
    const teams = new TeamsDriver(world);
    world.slackApi.addUser({
      id: 'U0CUSTOMER',
      name: 'casey',
      realName: 'Casey Customer',
      displayName: 'Casey Customer',
    });
    world.slackApi.addUser({
      id: 'U0ALICE',
      name: 'alice',
      realName: 'Alice Slack',
      displayName: 'Alice Slack',
    });
    await teams.prepare();

    // Every third message is the agent's; the rest are the customer's.
    const agentWrites = (n: number) => n % 3 === 0;
    const thread = await slack.customerPosts(
      `Message 1 of ${MESSAGES}: our nightly sync stopped after the upgrade.`,
    );
    for (let n = 2; n <= MESSAGES; n++) {
      if (agentWrites(n))
        await slack.agentReplies(thread, `Message ${n} of ${MESSAGES}: checking the sync logs.`);
      else await slack.customerReplies(thread, `Message ${n} of ${MESSAGES}: more detail from the customer.`);
    }
    expect(await slack.escalateWithForm(thread, { reason: 'Sync broken since the upgrade' })).toEqual({});
    const card = await teams.waitForCard(teams.channel('l2'));
    expect(teams.cardText(card)).toContain(`View conversation (${MESSAGES})`);

    const bob = teams.people.specialist;
    const [opened] = await teams.conversationDialog(card, bob);
    const pageCount = Number(/Page 1 of (\d+)/.exec(visibleText(opened!))?.[1]);
    expect(pageCount).toBe(Math.ceil(MESSAGES / 40));
    const pages = await teams.conversationDialog(
      card,
      bob,
      Array.from({ length: pageCount - 1 }, () => 'Newer'),
    );

    expect(pages).toHaveLength(pageCount);
    pages.forEach((page, i) => {
      expect(adaptiveCardProblems(page)).toEqual([]);
      expect(cardBytes(page)).toBeLessThan(28 * 1024);
      expect(visibleText(page)).toContain(`Page ${i + 1} of ${pageCount} · ${MESSAGES} messages`);
    });
    expect((pages[0]!.actions ?? []).map((a) => a.title)).toEqual(['Newer']);
    expect((pages.at(-1)!.actions ?? []).map((a) => a.title)).toEqual(['Older']);

    const seen = pages.flatMap((page) =>
      (page.body ?? [])
        .filter((e) => e.type === 'Container')
        .map((c) => ({ author: c.items![0]!.text!, text: c.items![1]!.text! })),
    );
    // Every message exactly once, in the order it was written.
    const numbers = seen.map((m) => Number(/^Message (\d+) of 300:/.exec(m.text)?.[1]));
    expect(numbers).toEqual(Array.from({ length: MESSAGES }, (_, i) => i + 1));
    // By name, as Slack knows them, with the customer marked as such.
    seen.forEach((m, i) => {
      if (agentWrites(i + 1)) expect(m.author).toMatch(/^\*\*Alice Slack\*\* · (?!customer)/);
      else expect(m.author).toMatch(/^\*\*Casey Customer\*\* · customer · /);
    });
  }, 180_000);
});
