import { localIdOf, platformOf } from '../../domain/ids.js';
import type { Effect } from '../../ports/outbox.js';

/**
 * Where an effect waits its turn. The effects of one lane are delivered one at a time (and paced
 * where the platform says how fast); different lanes go side by side. A lane is the platform's own
 * rate-limit bucket, so a 429 pauses exactly what the platform counted it against:
 *
 * - Slack `chat.postMessage` (cards, thread notes, CSAT prompts, digests): one lane per channel.
 *   It is the one "special tier" method, limited per channel (about one message per second).
 * - Slack `chat.update` (Tier 3) and `chat.postEphemeral` (Tier 4): one lane per method for the
 *   whole workspace, because Slack counts tiered methods per method and workspace: a 429 there
 *   would come back from every channel, while posts (another method) are not affected.
 * - Teams: the Bot Connector limits a bot per conversation (7 sends a second, 60 in 30 seconds,
 *   1800 an hour), so one lane per conversation: the channel for a card (a new thread), the thread
 *   for a reply, the card's own thread for its updates.
 * - a webhook's host; the AI summary endpoint (its own timeout, work beside the deliveries).
 */
export interface Lane {
  key: string;
  /** Whose pace applies to the calls of this lane; none: only the platform's 429s slow it down. */
  pacedAs?: 'slack' | 'teams';
  /** Work beside the deliveries (the AI summary): `kick()` does not wait for it. */
  background?: boolean;
}

export function laneOf(effect: Effect, summaryBucket = 'summary'): Lane {
  switch (effect.kind) {
    case 'post_card':
    case 'post_digest':
      return newMessageIn(effect.channel);
    case 'thread_note':
    case 'csat_prompt':
      return replyIn(effect.thread.channel, effect.thread.threadId);
    case 'ephemeral':
      if (isOn('slack', effect.channel)) return { key: 'slack:chat.postEphemeral' };
      return effect.threadId ? replyIn(effect.channel, effect.threadId) : newMessageIn(effect.channel);
    case 'update_card':
      if (effect.channel && isOn('slack', effect.channel)) return { key: 'slack:chat.update' };
      // A Teams card is the root of its own thread; entries written before cards carried their
      // channel have no platform to go by, and get a lane of their own.
      if (effect.channel && isOn('teams', effect.channel))
        return { key: `teams:card:${effect.escalationId}`, pacedAs: 'teams' };
      return { key: `card:${effect.escalationId}` };
    case 'webhook':
      return { key: `webhook:${new URL(effect.url).host}` };
    case 'ai_summary':
      return { key: summaryBucket, background: true };
  }
}

/** A new message (Slack) or a new thread (Teams) in a channel. */
function newMessageIn(channel: string): Lane {
  if (isOn('slack', channel))
    return { key: `slack:chat.postMessage:${localIdOf(channel)}`, pacedAs: 'slack' };
  if (isOn('teams', channel)) return { key: `teams:conversation:${localIdOf(channel)}`, pacedAs: 'teams' };
  return { key: channel };
}

/** A reply in a thread: Slack counts it against the channel, Teams against the thread. */
function replyIn(channel: string, threadId: string): Lane {
  if (isOn('teams', channel)) {
    return { key: `teams:conversation:${localIdOf(channel)};messageid=${threadId}`, pacedAs: 'teams' };
  }
  return newMessageIn(channel);
}

function isOn(platform: 'slack' | 'teams', channel: string): boolean {
  try {
    return platformOf(channel) === platform;
  } catch {
    return false;
  }
}
