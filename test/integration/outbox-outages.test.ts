import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/domain/card.js';
import type { Effect } from '../../src/ports/outbox.js';
import { readOutbox } from '../support/core/outbox-rows.js';
import type { SlackFault } from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import type { PlatformDriver, StoryCard, StoryThread } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import type { ConnectorFault } from '../support/teams/index.js';

/**
 * The platform's API fails (503) or stops answering for a stretch while people keep working:
 * cards, card updates and thread notes made during the outage all arrive once it is over, each
 * exactly once, in the order of each escalation's steps. Checked against the platform fake's record
 * of what it accepted, effect by effect, per escalation.
 */

type PlatformName = 'slack' | 'teams';
type Fault = '503' | 'hang';

/**
 * The outbox's own calls fail (and the lookup of recent cards before a card is posted again); views,
 * members and events keep working, so people can act.
 */
const SLACK_OUTBOX_METHODS = [
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'conversations.history',
];
const TEAMS_OUTBOX_CALLS = ['create_conversation', 'reply', 'send', 'update'] as const;
/** A hanging call is given up after this long (the Slack client would wait 10 s, botbuilder forever). */
const CALL_TIMEOUT_MS = 250;

/** Starts an outage of the platform's API; `end()` ends it. */
function outage(world: StoryWorld, platform: PlatformName, fault: Fault) {
  let down = true;
  if (platform === 'slack') {
    const failure: SlackFault = fault === 'hang' ? { hang: true } : { status: 503 };
    for (const method of SLACK_OUTBOX_METHODS) world.slackApi.failWhen(method, () => down, failure, Infinity);
  } else {
    // Retry-After 0: botbuilder retries a 503 three times itself, at once instead of after seconds.
    const failure: ConnectorFault = fault === 'hang' ? { hang: true } : { status: 503, retryAfter: 0 };
    for (const kind of TEAMS_OUTBOX_CALLS) world.connector.failWhen(kind, () => down, failure, Infinity);
  }
  return {
    end() {
      down = false;
    },
  };
}

/** Calls of the outbox's kinds that the platform accepted so far. */
function acceptedCalls(world: StoryWorld, platform: PlatformName): number {
  return platform === 'slack'
    ? world.slackApi.calls.filter((c) => !c.failed && c.method.startsWith('chat.')).length
    : world.connector.calls.filter(
        (c) => !c.failed && (TEAMS_OUTBOX_CALLS as readonly string[]).includes(c.kind),
      ).length;
}

/** Faults the platform fake injected so far (every failed call it recorded). */
function faultsInjected(world: StoryWorld, platform: PlatformName): number {
  return platform === 'slack'
    ? world.slackApi.calls.filter((c) => c.failed).length
    : world.connector.calls.filter((c) => c.failed).length;
}

/** What a card update shows first: later states first, since a card may mention earlier ones. */
const CARD_STATES = ['✅ Resolved', '🟡 Claimed', '🔴 Open'];

/**
 * One effect as people see it: a card of an escalation, a card update showing a state, a note
 * (its emoji and escalation number), a CSAT prompt, a private answer.
 */
function label(effect: Effect): string {
  switch (effect.kind) {
    case 'post_card':
      return `card ${effect.escalationId}`;
    case 'update_card':
      return `update ${effect.escalationId} ${stateOf(effect.card)}`;
    case 'thread_note':
      return noteLabel(effect.text);
    case 'csat_prompt':
      return `csat ${effect.escalationId}`;
    case 'ephemeral':
      return answerLabel(effect.userId, effect.text);
    default:
      return effect.kind;
  }
}

function stateOf(card: Card | string): string {
  const text = typeof card === 'string' ? card : card.status;
  return CARD_STATES.find((state) => text.includes(state)) ?? `?${text.slice(0, 20)}`;
}

function noteLabel(text: string): string {
  return `note ${Array.from(text)[0]} ${/#\d+/.exec(text)?.[0]}`;
}

/** A private answer: to whom, and how it begins (mentions left out: each platform shows them its way). */
function answerLabel(userId: string, text: string): string {
  return `answer to ${userId}: ${text.replace(/<@[^>]+>/g, '@').slice(0, 24)}`;
}

/** Per order key (an issue, or a person for private answers): the effects written, in order. */
async function expected(world: StoryWorld): Promise<Map<string, string[]>> {
  const rows = (await readOutbox(world.dbUrl)).filter((r) => r.effect.kind !== 'ai_summary');
  const byKey = new Map<string, string[]>();
  for (const row of rows) byKey.set(row.orderKey, [...(byKey.get(row.orderKey) ?? []), label(row.effect)]);
  return byKey;
}

/**
 * Per order key: what the platform fake accepted, in the order it accepted it. Failed calls do not
 * count; a repeat shows as a second entry.
 */
async function delivered(
  world: StoryWorld,
  platform: PlatformName,
  chat: PlatformDriver,
): Promise<Map<string, string[]>> {
  const { store } = world;
  const issueOfEscalation = async (id: string) => `${(await store.escalations.get(id))?.issueId}`;
  const issueOfThread = async (channel: string, rootId: string) =>
    `${(await store.issues.findByThread(channel, rootId))?.id}`;
  const escalationOfCard = new Map<string, string>();
  const seen: Array<{ key: string; label: string }> = [];

  if (platform === 'slack') {
    for (const call of world.slackApi.calls.filter((c) => !c.failed)) {
      const args = call.args;
      const blocks = JSON.stringify(args.blocks ?? '');
      if (call.method === 'chat.postMessage' && !args.thread_ts) {
        const escalationId = /"value":"(esc_[a-z0-9]+)"/.exec(blocks)?.[1] ?? '?';
        seen.push({ key: await issueOfEscalation(escalationId), label: `card ${escalationId}` });
      } else if (call.method === 'chat.postMessage') {
        const key = await issueOfThread(`slack:${args.channel}`, String(args.thread_ts));
        const csat = /"value":"(esc_[a-z0-9]+):\d"/.exec(blocks)?.[1];
        seen.push({ key, label: csat ? `csat ${csat}` : noteLabel(String(args.text)) });
      } else if (call.method === 'chat.update') {
        const escalationId = await cardOwner(String(args.ts));
        seen.push({
          key: await issueOfEscalation(escalationId),
          label: `update ${escalationId} ${stateOf(blocks)}`,
        });
      } else if (call.method === 'chat.postEphemeral') {
        const to = `slack:${args.user}`;
        seen.push({ key: `user:${to}`, label: answerLabel(to, String(args.text)) });
      }
    }
  } else {
    const people = Object.values(chat.people);
    for (const call of world.connector.calls.filter((c) => !c.failed && c.status !== undefined)) {
      const body = JSON.stringify(call.body ?? '');
      if (call.kind === 'create_conversation') {
        const escalationId = /"escalationId":"(esc_[a-z0-9]+)"/.exec(body)?.[1] ?? '?';
        seen.push({ key: await issueOfEscalation(escalationId), label: `card ${escalationId}` });
      } else if (call.kind === 'update') {
        const escalationId = await cardOwner(String(call.activityId));
        seen.push({
          key: await issueOfEscalation(escalationId),
          label: `update ${escalationId} ${stateOf(body)}`,
        });
      } else if (call.kind === 'reply' || call.kind === 'send') {
        const [channel, rootId] = String(call.conversationId).split(';messageid=');
        const text = String((call.body as { text?: string }).text ?? '');
        const to = people.find((p) => text.startsWith(`${p.shownAs}:`));
        if (to) {
          seen.push({
            key: `user:${to.id}`,
            label: answerLabel(to.id, text.slice(`${to.shownAs}: `.length)),
          });
          continue;
        }
        const key = await issueOfThread(`teams:${channel}`, String(rootId));
        const csat = body.includes('"verb":"csat"') && /"escalationId":"(esc_[a-z0-9]+)"/.exec(body)?.[1];
        seen.push({ key, label: csat ? `csat ${csat}` : noteLabel(text) });
      }
    }
  }
  const byKey = new Map<string, string[]>();
  for (const { key, label } of seen) byKey.set(key, [...(byKey.get(key) ?? []), label]);
  return byKey;

  async function cardOwner(messageId: string): Promise<string> {
    if (!escalationOfCard.has(messageId)) {
      for (const row of await readOutbox(world.dbUrl)) {
        if (row.effect.kind !== 'post_card') continue;
        const escalation = await store.escalations.get(row.effect.escalationId);
        if (escalation?.cardMessageId) escalationOfCard.set(escalation.cardMessageId, escalation.id);
      }
    }
    return escalationOfCard.get(messageId) ?? `?${messageId}`;
  }
}

/** Expected effects missing from what was delivered, and delivered ones beyond what was expected. */
function compare(want: Map<string, string[]>, got: Map<string, string[]>) {
  let expectedCount = 0;
  let deliveredCount = 0;
  let losses = 0;
  let duplicates = 0;
  for (const key of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(key) ?? [];
    const g = [...(got.get(key) ?? [])];
    expectedCount += w.length;
    deliveredCount += g.length;
    for (const item of w) {
      const at = g.indexOf(item);
      if (at < 0) losses += 1;
      else g.splice(at, 1);
    }
    duplicates += g.length;
  }
  return { expectedCount, deliveredCount, losses, duplicates };
}

/** Every effect written was delivered, once, in order per order key; returns the tally. */
async function everythingOnce(world: StoryWorld, platform: PlatformName, chat: PlatformDriver) {
  expect((await readOutbox(world.dbUrl)).filter((r) => r.status !== 'delivered')).toEqual([]);
  const want = await expected(world);
  const got = await delivered(world, platform, chat);
  for (const [key, effects] of want) expect(got.get(key), key).toEqual(effects);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  const tally = compare(want, got);
  expect(tally).toMatchObject({ losses: 0, duplicates: 0 });
  return tally;
}

/** With `OUTBOX_TABLE=1`, prints the row of the closing note's table for this scenario. */
function report(row: Record<string, string | number>) {
  if (process.env.OUTBOX_TABLE) console.info(`OUTBOX_TABLE ${JSON.stringify(row)}`);
}

describe.each(['slack', 'teams'] as const)('%s: an outage of the platform’s API', (platform) => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy(platform), { delivery: { callTimeoutMs: CALL_TIMEOUT_MS } });
    chat = platform === 'slack' ? new SlackDriver(world) : new TeamsDriver(world);
    await chat.prepare();
  });
  afterEach(async () => {
    await world.stop();
  });

  const escalationOf = async (thread: StoryThread) => {
    const issue = await world.store.issues.findByThread(thread.channel, thread.rootId);
    return (await world.store.escalations.listForIssue(issue!.id)).at(-1);
  };

  it.each(['503', 'hang'] as const)(
    'answering %s for a stretch: every card, update and note made meanwhile arrives afterwards, once, in order',
    async (fault) => {
      const { specialist } = chat.people;
      const [first, second, third] = [
        await chat.customerPosts('Webhooks stopped firing at 09:00'),
        await chat.customerPosts('I was charged twice for order A-1042'),
        await chat.customerPosts('Checkout page is blank on mobile'),
      ];
      expect(await chat.escalateWithForm(first, { reason: 'Webhook worker down?' })).toEqual({});
      const card1 = await chat.waitForCard(chat.channel('l2'));
      expect(await chat.escalateWithForm(second, { reason: 'Refund I cannot approve' })).toEqual({});
      const card2 = await chat.waitForCard(chat.channel('l2'), [card1]);
      await world.app.dispatcher.idle();
      const writtenBefore = await expected(world);

      // The platform goes down; people carry on: one claim, one claim and resolution, a new escalation.
      const down = outage(world, platform, fault);
      const faultsBefore = faultsInjected(world, platform);
      await chat.click(card1, 'claim', specialist);
      await chat.click(card2, 'claim', specialist);
      await eventually(async () => (await escalationOf(second))?.status === 'claimed', 'the second claim');
      await chat.click(card2, 'resolve', specialist, { note: 'Refunded the duplicate.', rootCause: 'other' });
      await chat.escalateWithMention(third, 'escalate P2 checkout is down for everyone on mobile');
      await eventually(async () => (await escalationOf(third))?.status === 'open', 'the third escalation');
      await eventually(async () => (await escalationOf(first))?.status === 'claimed', 'the first claim');
      await eventually(async () => (await escalationOf(second))?.status === 'resolved', 'the resolution');

      // Delivery keeps trying (and backing off) while the platform is down; nothing gets through.
      const accepted = () => acceptedCalls(world, platform);
      const outboxCallsBefore = accepted();
      for (let i = 0; i < 3; i += 1) {
        world.clock.advance(60_000);
        await world.app.dispatcher.kick();
      }
      expect(accepted()).toBe(outboxCallsBefore);
      expect(await world.store.outbox.countPending()).toBeGreaterThan(0);
      const faults = faultsInjected(world, platform) - faultsBefore;
      expect(faults).toBeGreaterThan(0);

      // The platform comes back.
      down.end();
      for (let i = 0; i < 20 && (await world.store.outbox.countPending()) > 0; i += 1) {
        world.clock.advance(5 * 60_000);
        await world.app.dispatcher.kick();
      }
      await world.app.dispatcher.idle();
      expect(await world.store.outbox.countPending()).toBe(0);

      // Effect by effect, per escalation: what was written is what the platform accepted, in order.
      const tally = await everythingOnce(world, platform, chat);
      const want = await expected(world);
      // The outage covered real work: updates and notes of the first two, the third's card and note.
      const thirdEscalation = await escalationOf(third);
      const issueOf = async (t: StoryThread) =>
        (await world.store.issues.findByThread(t.channel, t.rootId))!.id;
      expect(want.get(await issueOf(first))).toEqual([
        ...(writtenBefore.get(await issueOf(first)) ?? []),
        `note 👋 #${(await escalationOf(first))!.number}`,
        `update ${card1.escalationId} 🟡 Claimed`,
      ]);
      expect(want.get(await issueOf(second))?.slice(-5)).toEqual([
        `note 👋 #${(await escalationOf(second))!.number}`,
        `update ${card2.escalationId} 🟡 Claimed`,
        `note ✅ #${(await escalationOf(second))!.number}`,
        `csat ${card2.escalationId}`,
        `update ${card2.escalationId} ✅ Resolved`,
      ]);
      expect(want.get(await issueOf(third))).toEqual([
        `card ${thirdEscalation!.id}`,
        `note 🔺 #${thirdEscalation!.number}`,
      ]);

      // And people see the end state.
      const card3: StoryCard = await chat.waitForCard(chat.channel('l2'), [card1, card2]);
      await chat.waitForCardText(card1, `Claimed by ${specialist.shownAs}`);
      await chat.waitForCardText(card2, `Resolved by ${specialist.shownAs}`);
      expect(chat.cardText(card3)).toContain('checkout is down for everyone on mobile');
      report({
        scenario: `${platform} API ${fault === 'hang' ? 'hangs' : 'answers 503'} during 2 claims, 1 resolve, 1 new escalation`,
        faults,
        events: eventsSent,
        expected: tally.expectedCount,
        delivered: tally.deliveredCount,
        duplicates: tally.duplicates,
        losses: tally.losses,
      });
    },
  );
});

/** People's actions in the outage story: 3 customer posts, 2 forms, 3 clicks (one with its form), 1 mention. */
const eventsSent = 9;

describe('429 with Retry-After: only the rate-limit bucket it was counted against waits, and as long as it says', () => {
  let world: StoryWorld;
  afterEach(async () => {
    await world.stop();
  });

  it('slack: a throttled chat.update holds every card update (a workspace-wide tier) but no post; a throttled chat.postMessage holds only its channel', async () => {
    world = await StoryWorld.start(storyPolicy('slack'));
    const chat = new SlackDriver(world);
    const api = world.slackApi;
    const { specialist } = chat.people;
    const calls = (method: string, channel?: string) =>
      api.callsTo(method).filter((c) => !channel || c.args.channel === channel);
    const posted = (channel: string) => calls('chat.postMessage', channel).filter((c) => !c.failed);

    const first = await chat.customerPosts('Webhooks stopped firing at 09:00');
    const second = await chat.customerPosts('I want to talk to someone in charge');
    await chat.escalateWithForm(first, { reason: 'Webhook worker down?' });
    const card1 = await chat.waitForCard(chat.channel('l2'));
    await chat.escalateWithForm(second, { reason: 'Angry customer', path: 'management' });
    const card2 = await chat.waitForCard(chat.channel('leads'));
    await world.app.dispatcher.idle();

    // Slack throttles chat.update: the first card's update is refused for 30 s.
    api.failNext('chat.update', { rateLimited: 30 }, 1);
    await chat.click(card1, 'claim', specialist);
    await eventually(() => calls('chat.update').some((c) => c.failed), 'the throttled update');
    // The second card is in another channel, but chat.update is counted per workspace: it waits.
    await chat.click(card2, 'claim', specialist);
    await chat.waitForNote(second, 'claimed escalation'); // posts are another method: they go
    await world.app.dispatcher.idle();
    expect(calls('chat.update')).toHaveLength(1);

    // Slack throttles chat.postMessage in L2 for 20 s: a new card there waits, one for the leads goes.
    api.failWhen('chat.postMessage', (args) => args.channel === 'C0L2', { rateLimited: 20 }, 1);
    const third = await chat.customerPosts('Checkout page is blank');
    const fourth = await chat.customerPosts('Nobody answers my complaint');
    await chat.escalateWithMention(third, 'escalate P2 checkout is blank');
    await eventually(() => calls('chat.postMessage', 'C0L2').some((c) => c.failed), 'the throttled post');
    await chat.escalateWithMention(fourth, 'escalate to management P2 complaint ignored');
    const card4 = await chat.waitForCard(chat.channel('leads'), [card2]);
    await chat.waitForNote(fourth, 'Escalated to');
    await world.app.dispatcher.idle();
    const l2Posts = calls('chat.postMessage', 'C0L2').length;

    // Not one call into a paused bucket before its time.
    world.clock.advance(19_999);
    await world.app.dispatcher.kick();
    expect(calls('chat.postMessage', 'C0L2')).toHaveLength(l2Posts);
    expect(calls('chat.update')).toHaveLength(1);
    world.clock.advance(1);
    await world.app.dispatcher.kick();
    const card3 = await chat.waitForCard(chat.channel('l2'), [card1]);
    await chat.waitForNote(third, 'Escalated to');
    expect(calls('chat.update')).toHaveLength(1); // still paused: 30 s were asked
    world.clock.advance(9_999);
    await world.app.dispatcher.kick();
    expect(calls('chat.update')).toHaveLength(1);
    world.clock.advance(1);
    await world.app.dispatcher.kick();
    expect(
      calls('chat.update')
        .filter((c) => !c.failed)
        .map((c) => c.args.ts),
    ).toEqual([card1.messageId, card2.messageId]);
    await chat.waitForCardText(card2, `Claimed by ${specialist.shownAs}`);
    // Each card once, each in its channel.
    expect(posted('C0L2').filter((c) => !c.args.thread_ts)).toHaveLength(2);
    expect(posted('C0LEADS').filter((c) => !c.args.thread_ts)).toHaveLength(2);
    expect([card3.escalationId, card4.escalationId]).not.toContain(card1.escalationId);
    await world.app.dispatcher.idle();
    const tally = await everythingOnce(world, 'slack', chat);
    report({
      scenario: 'slack 429 on chat.update (30 s) and on chat.postMessage in one channel (20 s)',
      faults: faultsInjected(world, 'slack'),
      events: 10, // 4 customer posts, 2 forms, 2 claims, 2 mentions
      expected: tally.expectedCount,
      delivered: tally.deliveredCount,
      duplicates: tally.duplicates,
      losses: tally.losses,
    });
  });

  it('teams: a throttled conversation waits for its Retry-After; other channels and threads go on', async () => {
    world = await StoryWorld.start(storyPolicy('teams'));
    const chat = new TeamsDriver(world);
    await chat.prepare();
    const l2 = chat.channel('l2').replace('teams:', '');
    const toL2 = () => world.connector.callsOf('create_conversation').filter((c) => c.channel === l2);

    // The Bot Connector throttles new threads in L2 (botbuilder retries 429 three times itself).
    let throttled = true;
    world.connector.failWhen(
      'create_conversation',
      (c) => throttled && c.channel === l2,
      {
        status: 429,
        retryAfter: 0,
      },
      Infinity,
    );
    const first = await chat.customerPosts('Webhooks stopped firing at 09:00');
    const second = await chat.customerPosts('I want to talk to someone in charge');
    const third = await chat.customerPosts('Checkout page is blank');
    await chat.escalateWithForm(first, { reason: 'Webhook worker down?' });
    await eventually(() => toL2().some((c) => c.failed), 'the throttled post');
    await world.app.dispatcher.idle();
    throttled = false;
    const attempts = toL2().length;
    const post = (await readOutbox(world.dbUrl)).find(
      (r) => r.effect.kind === 'post_card' && r.effect.channel === chat.channel('l2'),
    );
    expect(post).toMatchObject({ status: 'pending', lastError: 'Teams answered HTTP 429' });

    // Another card for L2 waits too; the leads' channel and the support threads go on.
    await chat.escalateWithForm(third, { reason: 'Checkout outage?' });
    await chat.escalateWithForm(second, { reason: 'Angry customer', path: 'management' });
    await chat.waitForCard(chat.channel('leads'));
    await chat.waitForNote(second, 'Escalated to');
    await world.app.dispatcher.idle();
    expect(toL2()).toHaveLength(attempts);

    // Teams said nothing about how long (Retry-After: 0): Escalator waits a second.
    world.clock.advance(999);
    await world.app.dispatcher.kick();
    expect(toL2()).toHaveLength(attempts);
    world.clock.advance(1);
    await world.app.dispatcher.kick();
    const card1 = await chat.waitForCard(chat.channel('l2'));
    const card3 = await chat.waitForCard(chat.channel('l2'), [card1]);
    await chat.waitForNote(first, 'Escalated to');
    await chat.waitForNote(third, 'Escalated to');
    expect(toL2().filter((c) => !c.failed)).toHaveLength(2);
    expect(chat.cardText(card3)).toContain('Checkout outage?');
    await world.app.dispatcher.idle();
    const tally = await everythingOnce(world, 'teams', chat);
    report({
      scenario: 'teams 429 on new threads in one channel',
      faults: faultsInjected(world, 'teams'),
      events: 6, // 3 customer posts, 3 forms
      expected: tally.expectedCount,
      delivered: tally.deliveredCount,
      duplicates: tally.duplicates,
      losses: tally.losses,
    });
  });
});
