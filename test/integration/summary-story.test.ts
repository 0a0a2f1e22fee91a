import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageEvent, sendCommand, sendEvent, slackTs, slashCommand } from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import type { PlatformDriver, StoryThread } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { SLACK_SECRET, StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import { channelMessage, postActivity, TEAMS_IDS, type TeamsUser } from '../support/teams/index.js';

type Who = 'customer' | 'agent' | 'specialist';

/** Posts a reply in a support thread at a given time, as a person of the platform, and waits until it is tracked. */
type Reply = (world: StoryWorld, thread: StoryThread, who: Who, text: string, at: Date) => Promise<void>;

const SLACK_PEOPLE: Record<Who, { user: string; team?: string }> = {
  customer: { user: 'U0CUSTOMER', team: 'T0CUSTOMER' },
  agent: { user: 'U0ALICE' },
  specialist: { user: 'U0BOB' },
};

const slackReply: Reply = async (world, thread, who, text, at) => {
  const ts = slackTs(at.getTime());
  const event = messageEvent({
    channel: thread.channel.replace(/^slack:/, ''),
    ...SLACK_PEOPLE[who],
    text,
    ts,
    threadTs: thread.rootId,
  });
  const response = await sendEvent(`${world.app.url}/slack/events`, SLACK_SECRET, event);
  expect(response.status).toBe(200);
  await eventually(() => world.store.messages.findByMessageId(thread.channel, ts), `message ${ts} tracked`);
};

const TEAMS_PEOPLE: Record<Who, TeamsUser> = {
  customer: TEAMS_IDS.users.customer,
  agent: TEAMS_IDS.users.agent,
  specialist: TEAMS_IDS.users.specialist,
};

const teamsReply: Reply = async (world, thread, who, text, at) => {
  const activity = channelMessage({
    serviceUrl: world.connector.serviceUrl,
    user: TEAMS_PEOPLE[who],
    text,
    channelId: thread.channel.replace(/^teams:/, ''),
    threadRootId: thread.rootId,
    timestamp: at,
  });
  const response = await postActivity(`${world.app.url}/api/messages`, activity);
  expect(response.status).toBeLessThan(300);
  await eventually(
    () => world.store.messages.findByMessageId(thread.channel, activity.id),
    `activity ${activity.id} tracked`,
  );
};

/** The sections of a rendered card (Block Kit or Adaptive Card JSON), by heading. */
function sectionsOf(cardJson: string): Map<string, string> {
  const texts: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'text' && typeof inner === 'string') texts.push(inner);
        else walk(inner);
      }
    }
  };
  walk(JSON.parse(cardJson));
  const sections = new Map<string, string>();
  texts.forEach((text, i) => {
    const slack = /^\*([^*\n]+)\*\n([\s\S]*)$/.exec(text); // Block Kit: "*Heading*\nbody"
    if (slack) sections.set(slack[1]!, slack[2]!);
    else if (HEADINGS.includes(text) && texts[i + 1] !== undefined) sections.set(text, texts[i + 1]!); // Teams
  });
  return sections;
}

const HEADINGS = ['Problem', 'Key facts', 'Tried so far', 'Latest from the customer', 'Mood', 'Timeline'];

const CUSTOMER_FILLER = [
  'It still does not work on our side.',
  'We tried again this morning, same result.',
  'Is anyone looking at this?',
  'The finance team is waiting on this export.',
  'Same thing happened overnight.',
  'Can you tell us when it will be fixed?',
];
const STAFF_REPLIES = [
  'Restarted the export worker for your workspace.',
  'Cleared the cache and re-synced the ledger.',
  'Checked the logs, nothing obvious yet.',
  'Rolled back the connector to the previous release.',
  'Asked engineering to look at the export queue.',
  'Regenerated your API token, please try again.',
  'Thanks for your patience while we look into it.',
];
/** Deep in the thread (1-based positions 23, 41 and 52): an amount, an order number, an error code. */
const DEEP_FACTS: Record<number, string> = {
  22: 'For the record, we were charged $4,750 for the failed runs.',
  40: 'Our order number is 88231 if that helps.',
  51: 'Now the log shows E4417 every single time.',
};
const LAST_WORDS = 'This is unacceptable. We are furious, nothing works and we are losing money every day.';

/** Who writes message `i` (0-based) of the 60: the customer on even positions, and at 52 and 60. */
function author(i: number): Who {
  if (i % 2 === 0 || i === 51 || i === 59) return 'customer';
  return i % 4 === 1 ? 'agent' : 'specialist';
}

function text(i: number): string {
  if (DEEP_FACTS[i]) return DEEP_FACTS[i]!;
  if (i === 59) return LAST_WORDS;
  if (i === 58) return 'This is really frustrating, nothing has changed.';
  if (author(i) === 'customer') return CUSTOMER_FILLER[(i / 2) % CUSTOMER_FILLER.length]!;
  return STAFF_REPLIES[Math.floor(i / 2) % STAFF_REPLIES.length]!;
}

/**
 * The handoff summary, told once and run on Slack and on Teams: a 60-message thread whose facts
 * sit deep inside it, escalated by hand; the card carries the facts, what staff tried, the latest
 * customer words, the mood and the timeline, so nobody asks the customer again.
 */
describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new SlackDriver(w), slackReply],
  ['Teams', 'teams' as const, (w: StoryWorld) => new TeamsDriver(w), teamsReply],
])('%s: the card summarises a long thread', (_name, layout, makeDriver, reply) => {
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

  it("facts from deep in a 60-message thread, the staff's attempts, the latest words, mood and timeline", async () => {
    const thread = await chat.customerPosts(
      'Hi, our nightly export to the ledger has been failing since the last update.',
    );
    const root = (await world.store.messages.findByMessageId(thread.channel, thread.rootId))!.sentAt;
    for (let i = 1; i < 60; i += 1) {
      await reply(world, thread, author(i), text(i), new Date(root.getTime() + i * 60_000));
    }
    // The agent escalates about ten minutes after the customer's last message.
    world.clock.set(new Date(root.getTime() + 69 * 60_000));

    expect(
      await chat.escalateWithForm(thread, { reason: 'Export broken for an hour, billing impact' }),
    ).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    const sections = sectionsOf(chat.cardText(card));

    expect(sections.get('Problem')).toBe(
      'Hi, our nightly export to the ledger has been failing since the last update.',
    );
    const facts = sections.get('Key facts')!;
    expect(facts).toContain('Amount: $4,750');
    expect(facts).toContain('Reference: Order 88231');
    expect(facts).toContain('Error: E4417');

    const tried = sections.get('Tried so far')!;
    expect(tried).toContain('Rolled back the connector to the previous release.');
    expect(tried).toContain('Regenerated your API token, please try again.');
    expect(tried).toMatch(/… \d+ more staff replies not shown/);
    expect(tried).not.toContain('frustrating'); // the customer's words are not attempts

    expect(sections.get('Latest from the customer')).toBe(LAST_WORDS);
    expect(sections.get('Mood')).toMatch(
      /^📉 Worsening: sentiment of the last 6 customer messages 0 → .* → -[\d.]+ → -[\d.]+ \(together -[\d.]+\)$/,
    );

    const timeline = sections.get('Timeline')!;
    expect(timeline).toContain('Opened: ');
    expect(timeline).toMatch(/First response: .* \(after 1m\)/);
    expect(timeline).toContain('Messages: 60 (32 from the customer, 28 from staff)');
    expect(timeline).toContain('Participants: 3 (1 customer, 2 staff)');
    expect(timeline).toMatch(/Waiting: 10m since the customer's last message/);
  });
});

/**
 * Slack only: Escalator joined the channel after the thread started (or missed events). Before an
 * escalation by hand it reads the thread with `conversations.replies` and stores what it missed, so
 * the card still carries the facts from the start of the thread.
 */
describe('Slack: the card summarises messages Escalator never saw', () => {
  const CHANNEL = 'C0SUPPORT';
  let world: StoryWorld;
  let chat: SlackDriver;
  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy('slack'));
    chat = new SlackDriver(world);
  });
  afterEach(async () => {
    await world.stop();
  });

  const start = Date.now() - 3 * 3_600_000;
  /** Puts a message in Slack's copy of the thread only (the fake), as if Escalator had not been there. */
  function plant(minutes: number, who: Who, text: string, rootTs?: string): string {
    const ts = slackTs(start + minutes * 60_000);
    const { user, team } = SLACK_PEOPLE[who];
    world.slackApi.seedMessage(CHANNEL, {
      ts,
      text,
      user,
      ...(team ? { team, user_team: team } : {}),
      ...(rootTs ? { thread_ts: rootTs } : {}),
    });
    return ts;
  }

  /** The start of the thread, which Escalator missed: the facts are all in here. */
  function missedStart(): StoryThread {
    const rootTs = plant(
      0,
      'customer',
      'Hi, our export to the ledger is broken since Monday. We were charged $2,300 for nothing.',
    );
    plant(5, 'agent', 'Restarted the export worker, can you try again?', rootTs);
    plant(9, 'customer', 'Still failing. Order 77120, and the log says ERR_CONNECTION_RESET.', rootTs);
    return { channel: `slack:${CHANNEL}`, rootId: rootTs };
  }

  /** A message Slack has and Escalator receives as an event. */
  async function seen(thread: StoryThread, minutes: number, who: Who, text: string) {
    const ts = plant(minutes, who, text, thread.rootId);
    const event = messageEvent({ channel: CHANNEL, ...SLACK_PEOPLE[who], text, ts, threadTs: thread.rootId });
    expect((await sendEvent(`${world.app.url}/slack/events`, SLACK_SECRET, event)).status).toBe(200);
    await eventually(() => world.store.messages.findByMessageId(thread.channel, ts), `message ${ts} tracked`);
  }

  function expectTheMissedFacts(sections: Map<string, string>) {
    expect(sections.get('Problem')).toBe(
      'Hi, our export to the ledger is broken since Monday. We were charged $2,300 for nothing.',
    );
    const facts = sections.get('Key facts')!;
    expect(facts).toContain('Amount: $2,300');
    expect(facts).toContain('Reference: Order 77120');
    expect(facts).toContain('Error: ERR_CONNECTION_RESET');
    expect(sections.get('Tried so far')).toContain('Restarted the export worker, can you try again?');
  }

  it('the bot joined after the thread started: the escalate form reads the thread first', async () => {
    const thread = missedStart();
    await seen(thread, 30, 'customer', 'Anyone there? This is getting urgent.');
    const issue = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    expect(await world.store.messages.listForIssue(issue.id)).toHaveLength(1);

    expect(await chat.escalateWithForm(thread, { reason: 'Customer waiting since Monday' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    const sections = sectionsOf(chat.cardText(card));
    expectTheMissedFacts(sections);
    expect(sections.get('Latest from the customer')).toBe('Anyone there? This is getting urgent.');
    expect(sections.get('Timeline')).toContain('Messages: 4 (3 from the customer, 1 from staff)');

    const [read] = world.slackApi.callsTo('conversations.replies');
    expect(read?.args).toMatchObject({ channel: CHANNEL, ts: thread.rootId, limit: '200' });
    const stored = await world.store.messages.listForIssue(issue.id);
    expect(stored.map((m) => [m.authorId, m.authorRole])).toEqual([
      ['slack:U0CUSTOMER', 'customer'],
      ['slack:U0ALICE', 'staff'],
      ['slack:U0CUSTOMER', 'customer'],
      ['slack:U0CUSTOMER', 'customer'],
    ]);
    expect((await world.store.issues.get(issue.id))?.messageCount).toBe(4);
  });

  it('a thread Escalator never saw at all can be escalated with @escalator escalate, with its facts', async () => {
    const thread = missedStart();
    await chat.escalateWithMention(thread, 'escalate P2 customer waiting since Monday');
    const card = await chat.waitForCard(chat.channel('l2'));
    expectTheMissedFacts(sectionsOf(chat.cardText(card)));
    expect(await world.store.issues.findByThread(thread.channel, thread.rootId)).toMatchObject({
      customerId: 'slack:U0CUSTOMER',
      messageCount: 3,
    });
  });

  it('/escalate <link> <reason> reads the thread first, and a link to a thread Escalator never saw works too', async () => {
    const seenThread = missedStart();
    await seen(seenThread, 30, 'customer', 'Anyone there?');
    const link = (thread: StoryThread) =>
      `<https://acme.slack.com/archives/${CHANNEL}/p${thread.rootId.replace('.', '')}>`;
    const command = (thread: StoryThread) =>
      sendCommand(
        `${world.app.url}/slack/events`,
        SLACK_SECRET,
        slashCommand({
          channel: CHANNEL,
          user: 'U0ALICE',
          text: `${link(thread)} customer waiting since Monday`,
        }),
      );

    expect((await command(seenThread)).status).toBe(200);
    const first = await chat.waitForCard(chat.channel('l2'));
    expectTheMissedFacts(sectionsOf(chat.cardText(first)));

    const unseen = missedStart();
    expect((await command(unseen)).status).toBe(200);
    const second = await chat.waitForCard(chat.channel('l2'), [first]);
    expectTheMissedFacts(sectionsOf(chat.cardText(second)));
  });

  it('reads a long thread page by page with the cursor Slack returns', async () => {
    const thread = missedStart();
    for (let i = 0; i < 5; i += 1)
      plant(10 + i, i % 2 ? 'agent' : 'customer', `Still looking, step ${i} done`, thread.rootId);
    await seen(thread, 30, 'customer', 'Anyone there?');
    // Slack answers 200 at most per page; the fake pages by 3 to show the cursor is followed.
    const fake = world.slackApi;
    fake.setHandler('conversations.replies', (args) => {
      const all = fake.messages(CHANNEL).filter((m) => m.ts === args.ts || m.thread_ts === args.ts);
      const from = Number(args.cursor ?? 0);
      const next = from + 3 < all.length ? String(from + 3) : '';
      return {
        messages: all.slice(from, from + 3),
        has_more: next !== '',
        response_metadata: { next_cursor: next },
      };
    });

    await chat.escalateWithForm(thread, { reason: 'Long thread' });
    const card = await chat.waitForCard(chat.channel('l2'));
    expectTheMissedFacts(sectionsOf(chat.cardText(card)));
    expect(fake.callsTo('conversations.replies').map((c) => [c.args.cursor, c.args.limit])).toEqual([
      [undefined, '200'],
      ['3', '200'],
      ['6', '200'],
    ]);
    const issue = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    expect(await world.store.messages.listForIssue(issue.id)).toHaveLength(9);
  });

  it('when Slack will not give the thread, the escalation goes ahead with what Escalator has', async () => {
    const thread = missedStart();
    await seen(thread, 30, 'customer', 'Anyone there? Order 99100 is stuck.');
    world.slackApi.failNext('conversations.replies', {
      error: 'missing_scope',
      extra: { needed: 'channels:history' },
    });

    expect(await chat.escalateWithForm(thread, { reason: 'Customer waiting' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    const sections = sectionsOf(chat.cardText(card));
    expect(sections.get('Problem')).toBe('Anyone there? Order 99100 is stuck.');
    expect(sections.get('Key facts')).toContain('Reference: Order 99100');
  });
});
