import { afterEach, describe, expect, it } from 'vitest';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import type { RateWindow } from '../../src/app/outbox/pacer.js';
import { trackMessage } from '../../src/app/track-message.js';
import type { Policy } from '../../src/domain/policy.js';
import { readOutbox } from '../support/core/outbox-rows.js';
import type { PlatformDriver } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';

/**
 * A burst: 500 escalations at once, their cards spread over 5 escalation channels and their notes
 * over 5 support channels. Everything arrives, each exactly once, each card before its note, and
 * never faster than the platform allows in one channel (Slack) or conversation (Teams), judged by
 * the times at which the platform fake received the calls.
 */

const CARDS = 500;
const CHANNELS = 5;
/**
 * The platforms' paces, shrunk, yet slower than this burst would go unpaced (about one call every
 * 15 ms per channel here), so that the pacing is what keeps to them.
 * Slack: one post a second per channel, here one in 50 ms.
 */
const SLACK_PACE: RateWindow = { calls: 1, perMs: 50 };
/** Teams: 7 sends a second per conversation, here 7 in 400 ms. */
const TEAMS_PACE: RateWindow = { calls: 7, perMs: 400 };

type PlatformName = 'slack' | 'teams';

/** Channel `k` of a kind, as the core names it. */
function channel(platform: PlatformName, kind: 'support' | 'cards', k: number): string {
  const name = kind === 'support' ? `bsup${k}` : `burst${k}`;
  return platform === 'slack' ? `slack:C0${name.toUpperCase()}` : `teams:19:${name}@thread.tacv2`;
}

/** The story policy plus 5 support channels, each escalating on its own path to its own channel. */
function burstPolicy(platform: PlatformName): Policy {
  const policy = storyPolicy(platform);
  const ks = [...Array(CHANNELS).keys()];
  return {
    ...policy,
    // The customers' words fire nothing here: every card of the burst is escalated by hand.
    triggers: {},
    supportChannels: [
      ...policy.supportChannels,
      ...ks.map((k) => ({ channel: channel(platform, 'support', k), path: `burst${k}` })),
    ],
    paths: {
      ...policy.paths,
      ...Object.fromEntries(
        ks.map((k) => [
          `burst${k}`,
          {
            name: `burst${k}`,
            type: policy.paths.tech!.type,
            levels: [{ name: `Burst ${k}`, channel: channel(platform, 'cards', k) }],
          },
        ]),
      ),
    },
  };
}

/** What the platform fake accepted: posts into a channel (Slack) or sends into a conversation (Teams). */
interface Received {
  /** The rate-limit bucket: the Slack channel, or the Teams conversation. */
  bucket: string;
  /** `card <escalation id>` or `note <issue thread>`. */
  what: string;
  at: number;
}

function received(world: StoryWorld, platform: PlatformName): Received[] {
  if (platform === 'slack') {
    return world.slackApi
      .callsTo('chat.postMessage')
      .filter((c) => !c.failed)
      .map((c) => ({
        bucket: String(c.args.channel),
        what: c.args.thread_ts
          ? `note ${c.args.channel}/${c.args.thread_ts}`
          : `card ${/"value":"(esc_[a-z0-9]+)"/.exec(JSON.stringify(c.args.blocks))?.[1]}`,
        at: c.at,
      }));
  }
  return world.connector.calls
    .filter((c) => !c.failed && (c.kind === 'create_conversation' || c.kind === 'reply' || c.kind === 'send'))
    .map((c) =>
      c.kind === 'create_conversation'
        ? {
            bucket: String(c.channel),
            what: `card ${/"escalationId":"(esc_[a-z0-9]+)"/.exec(JSON.stringify(c.body))?.[1]}`,
            at: c.at,
          }
        : { bucket: String(c.conversationId), what: `note ${c.conversationId}`, at: c.at },
    );
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** The most calls any window of `perMs` holds, per bucket. */
function busiestWindow(calls: Received[], perMs: number): Map<string, number> {
  const most = new Map<string, number>();
  const byBucket = groupBy(calls, (c) => c.bucket);
  for (const [bucket, list] of byBucket) {
    const times = list.map((c) => c.at).sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i += 1) {
      while (times[i]! - times[j]! >= perMs) j += 1;
      best = Math.max(best, i - j + 1);
    }
    most.set(bucket, best);
  }
  return most;
}

describe.each(['slack', 'teams'] as const)('%s: a burst of 500 cards to 5 channels', (platform) => {
  let world: StoryWorld;
  afterEach(async () => {
    await world.stop();
  });

  it('arrives whole, each card once and before its note, never faster than the platform allows per channel', async () => {
    const pace = platform === 'slack' ? SLACK_PACE : TEAMS_PACE;
    world = await StoryWorld.start(burstPolicy(platform), { delivery: { pacing: { [platform]: [pace] } } });
    const chat: PlatformDriver = platform === 'slack' ? new SlackDriver(world) : new TeamsDriver(world);
    await chat.prepare();
    const { ctx } = world.app;
    const { customer, agent } = chat.people;

    // 500 customers write in; an agent escalates each thread as soon as it is there.
    const escalations: Array<{ id: string; issueId: string; card: string; thread: string }> = [];
    for (let i = 0; i < CARDS; i += 1) {
      const k = i % CHANNELS;
      const messageId = platform === 'slack' ? `1771000000.${String(i).padStart(6, '0')}` : `17710${i}`;
      const support = channel(platform, 'support', k);
      const tracked = await trackMessage(ctx, {
        eventKey: `burst-${i}`,
        channel: support,
        messageId,
        threadId: messageId,
        author: { id: customer.id, teamId: 'T0CUSTOMER' },
        text: `Order ${1000 + i} never arrived`,
        at: ctx.clock.now(),
      });
      if (tracked.outcome !== 'tracked') throw new Error(`message ${i} was not tracked: ${tracked.reason}`);
      const escalation = await escalateIssue(ctx, {
        issueId: tracked.issue.id,
        reason: `Courier lost order ${1000 + i}`,
        actor: agent.id,
        source: platform,
      });
      // Each arrives as its own request: let the server (and the deliveries) take turns.
      await new Promise((resolve) => setImmediate(resolve));
      const conversation = support.replace(/^(slack|teams):/, '');
      escalations.push({
        id: escalation.id,
        issueId: tracked.issue.id,
        card: `card ${escalation.id}`,
        thread: `note ${conversation}${platform === 'slack' ? '/' : ';messageid='}${messageId}`,
      });
    }
    await world.app.dispatcher.kick();
    await world.app.dispatcher.idle();

    // Nothing pending, nothing parked: 500 cards and 500 notes.
    const rows = await readOutbox(world.dbUrl);
    expect(rows.filter((r) => r.status !== 'delivered')).toEqual([]);
    expect(rows.map((r) => r.effect.kind).sort()).toEqual([
      ...Array(CARDS).fill('post_card'),
      ...Array(CARDS).fill('thread_note'),
    ]);

    // Each exactly once, each card before its note.
    const calls = received(world, platform);
    const count = groupBy(calls, (c) => c.what);
    const order = new Map(calls.map((c, i) => [c.what, i]));
    for (const e of escalations) {
      expect(count.get(e.card)?.length, e.card).toBe(1);
      expect(count.get(e.thread)?.length, e.thread).toBe(1);
      expect(order.get(e.card)!).toBeLessThan(order.get(e.thread)!);
    }
    expect(calls).toHaveLength(2 * CARDS);

    // Each card channel got its 100, never more than the pace allows in any window.
    const cards = calls.filter((c) => c.what.startsWith('card'));
    const perChannel = groupBy(cards, (c) => c.bucket);
    expect([...perChannel.values()].map((list) => list.length)).toEqual(
      Array(CHANNELS).fill(CARDS / CHANNELS),
    );
    const busiest = busiestWindow(calls, pace.perMs);
    expect(Math.max(...busiest.values())).toBeLessThanOrEqual(pace.calls);
    if (process.env.OUTBOX_TABLE) {
      console.info(
        `OUTBOX_TABLE ${JSON.stringify({
          scenario: `${platform}: burst of ${CARDS} escalations to ${CHANNELS} channels, paced ${pace.calls}/${pace.perMs} ms`,
          faults: 0,
          events: CARDS * 2,
          expected: rows.length,
          delivered: calls.length,
          duplicates: calls.length - count.size,
          losses: rows.length - count.size,
          busiest: Math.max(...busiest.values()),
        })}`,
      );
    }
  }, 90_000); // 1000 deliveries through the real adapters: about 15 s on a laptop
});
