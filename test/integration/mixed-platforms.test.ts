import { afterEach, describe, expect, it } from 'vitest';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';

/**
 * Mixed deployments: support on one platform, specialists on the other, one core and one
 * database. People from the other platform show by name on cards and in notes.
 */
describe('one Escalator across Slack and Teams', () => {
  let world: StoryWorld;
  afterEach(async () => {
    await world.stop();
  });

  it('a Slack support thread escalates to a Teams specialists channel and hears back from Teams', async () => {
    world = await StoryWorld.start(storyPolicy('slack-to-teams'));
    const slack = new SlackDriver(world);
    const teams = new TeamsDriver(world);
    world.slackApi.addUser({
      id: 'U0ALICE',
      name: 'alice',
      realName: 'Alice Slack',
      displayName: 'Alice Slack',
    });
    await teams.prepare();

    const thread = await slack.customerPosts('Our SSO login fails with error AADSTS50011');
    expect(await slack.escalateWithForm(thread, { reason: 'SSO misconfiguration, needs L2' })).toEqual({});

    const card = await teams.waitForCard(teams.channel('l2'));
    const text = teams.cardText(card);
    expect(text).toContain('SSO misconfiguration, needs L2');
    expect(text).toContain('Alice Slack'); // the Slack agent, by name, on a Teams card
    expect(text).toContain('slack.com/archives/C0SUPPORT/p'); // Open thread leads back to Slack

    const bob = teams.people.specialist;
    await teams.click(card, 'claim', bob);
    await teams.waitForCardText(card, `Claimed by ${bob.shownAs}`);
    await slack.waitForNote(thread, `${bob.shownAs} (L2 Tech) claimed escalation #1`);

    await teams.click(card, 'resolve', bob, {
      note: 'Fixed the reply URL in the app registration.',
      rootCause: 'system_issue',
    });
    await teams.waitForCardText(card, 'Resolved by');
    const note = await slack.waitForNote(thread, 'resolved by');
    expect(note).toContain(bob.shownAs);
    expect(note).toContain('Fixed the reply URL');
  });

  it('a Teams support thread escalates to a Slack specialists channel and hears back from Slack', async () => {
    world = await StoryWorld.start(storyPolicy('teams-to-slack'));
    const slack = new SlackDriver(world);
    const teams = new TeamsDriver(world);
    world.slackApi.addUser({ id: 'U0BOB', name: 'bob', realName: 'Bob Slack', displayName: 'Bob Slack' });
    await teams.prepare();

    const thread = await teams.customerPosts('Invoices since March show the wrong VAT rate');
    await teams.escalateWithMention(thread, 'escalate billing rule is wrong for EU customers');
    const card = await slack.waitForCard(slack.channel('l2'));
    expect(slack.cardText(card)).toContain(teams.people.agent.shownAs);
    expect(slack.cardText(card)).toContain('teams.microsoft.com/l/message/');

    await slack.click(card, 'claim', slack.people.specialist);
    await slack.waitForCardText(card, 'Claimed by <@U0BOB>');
    await teams.waitForNote(thread, 'Bob Slack (L2 Tech) claimed escalation #1');
  });
});
