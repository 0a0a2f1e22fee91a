import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTime } from '../../src/domain/text.js';
import { appMentionEvent, sendEvent, slackTs } from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import type { PlatformDriver, StoryCard } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { SLACK_SECRET, StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import { channelMessage, TEAMS_IDS } from '../support/teams/activities.js';

const CLAIMED = 'Order A-1042 was charged twice, please refund';
const UNCLAIMED = 'Login page shows error E-503 since this morning';
const RESOLVED = 'Invoice 77 has the wrong VAT number';

/**
 * "My escalations": the Slack App Home and Teams' `mine` in a personal chat list what I claimed and
 * what waits unclaimed, with deadlines; resolved escalations are gone.
 */
describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new SlackDriver(w)],
  ['Teams', 'teams' as const, (w: StoryWorld) => new TeamsDriver(w)],
])('%s: my escalations', (_name, layout, makeDriver) => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy(layout));
    chat = makeDriver(world);
    await chat.prepare();
  });
  afterEach(async () => {
    await world.stop();
  });

  async function escalate(text: string, seen: StoryCard[]): Promise<StoryCard> {
    const thread = await chat.customerPosts(text);
    expect(await chat.escalateWithForm(thread, { reason: 'Needs a specialist', priority: 'P2' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'), seen);
    seen.push(card);
    return card;
  }

  it('lists my claimed escalation and the unclaimed one with their deadlines, not the resolved one', async () => {
    const { specialist } = chat.people;
    const seen: StoryCard[] = [];
    const claimed = await escalate(CLAIMED, seen);
    await chat.click(claimed, 'claim', specialist);
    await chat.waitForCardText(claimed, `Claimed by ${specialist.shownAs}`);
    const unclaimed = await escalate(UNCLAIMED, seen);
    const resolved = await escalate(RESOLVED, seen);
    await chat.click(resolved, 'claim', specialist);
    await chat.waitForCardText(resolved, `Claimed by ${specialist.shownAs}`);
    await chat.click(resolved, 'resolve', specialist, {
      note: 'Fixed the VAT number.',
      rootCause: 'system_issue',
    });
    await chat.waitForCardText(resolved, `Resolved by ${specialist.shownAs}`);

    const text = layout === 'slack' ? await slackHome(world, specialist.id) : await teamsMine(world);
    const [mineText, waitingText] = text.split(/Unclaimed in/);
    const at = (d: Date | null) => formatTime(d!, world.policy.timezone);
    const c = (await world.store.escalations.get(claimed.escalationId))!;
    const u = (await world.store.escalations.get(unclaimed.escalationId))!;
    expect(c.resolveDueAt).not.toBeNull();
    expect(u.ackDueAt).not.toBeNull();

    expect(mineText).toContain(`#${c.number}`);
    expect(mineText).toContain('L2 Tech');
    expect(mineText).toContain('P2');
    expect(mineText).toContain('Manual');
    expect(mineText).toContain('Order A-1042 was charged twice');
    expect(mineText).toMatch(/resolve by/i);
    expect(mineText).toContain(at(c.resolveDueAt));
    expect(mineText).not.toContain(UNCLAIMED.slice(0, 20));

    expect(waitingText).toContain(`#${u.number}`);
    expect(waitingText).toContain('Login page shows error E-503');
    expect(waitingText).toMatch(/claim by/i);
    expect(waitingText).toContain(at(u.ackDueAt));
    expect(waitingText).not.toContain(CLAIMED.slice(0, 20));

    expect(text).not.toContain('Invoice 77');
  });
});

/** The specialist opens the App Home; returns the published view's text. */
async function slackHome(world: StoryWorld, person: string): Promise<string> {
  const user = person.replace(/^slack:/, '');
  const fake = world.slackApi;
  // The fake Slack API knows neither method: the specialist is in the L2 channel only.
  fake.setHandler('conversations.members', (args) => ({
    ok: true,
    members: args.channel === 'C0L2' ? [user, 'U0OTHER'] : ['U0OTHER'],
    response_metadata: { next_cursor: '' },
  }));
  fake.setHandler('views.publish', () => ({ ok: true, view: { id: 'VHOME' } }));
  const ts = slackTs();
  const base = appMentionEvent({ user });
  const envelope = {
    ...base,
    event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: ts },
  };
  const response = await sendEvent(`${world.app.url}/slack/events`, SLACK_SECRET, envelope as never);
  expect(response.status).toBe(200);
  const call = await fake.waitFor('views.publish', (args) => args.user_id === user);
  const view = call.args.view as { type: string; blocks: unknown[] };
  expect(view.type).toBe('home');
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  return JSON.stringify(view.blocks);
}

/** The specialist writes "mine" in a 1:1 chat with the bot; returns the answer. */
async function teamsMine(world: StoryWorld): Promise<string> {
  const message = channelMessage({
    serviceUrl: world.connector.serviceUrl,
    user: TEAMS_IDS.users.specialist,
    text: 'mine',
  });
  const personal = {
    ...message,
    conversation: { id: 'a:1BobPersonalChat', conversationType: 'personal', tenantId: TEAMS_IDS.tenantId },
    channelData: { tenant: { id: TEAMS_IDS.tenantId } },
    attachments: [],
  };
  const response = await fetch(`${world.app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(personal),
  });
  expect(response.status).toBeLessThan(300);
  const reply = await eventually(
    () =>
      world.connector.calls.find((c) => c.kind === 'reply' && c.conversationId === personal.conversation.id),
    'the answer to "mine"',
  );
  return String((reply.body as { text?: string }).text ?? '');
}
