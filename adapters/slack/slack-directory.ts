import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { DirectoryPort } from '../../src/ports/directory-port.js';
import type { SlackHandlerDeps } from './handlers/deps.js';
import { toCore, toSlack } from './slack-ids.js';

/** Slack answers at most 1000 members a page; a channel this big pages 20 times, and that is enough. */
const PAGE_SIZE = 1000;
const MAX_PAGES = 20;

/**
 * Channel members (`conversations.members`, paged) and user group members
 * (`usergroups.users.list`) from the Slack Web API, for deciding who may act on a card. Its own
 * client: no built-in retries or waits for rate limits, since a person is waiting for the answer
 * (the core caches it, and refuses with "try again" when Slack does not answer).
 */
export class SlackDirectory implements DirectoryPort {
  private readonly client: WebClient;

  constructor(settings: { botToken: string; apiUrl: string; timeoutMs?: number }) {
    this.client = new WebClient(settings.botToken, {
      slackApiUrl: settings.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: settings.timeoutMs ?? 2_000,
    });
  }

  async channelMembers(channel: string): Promise<ReadonlySet<string>> {
    const members = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.client.conversations.members({
        channel: toSlack(channel),
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
      for (const id of answer.members ?? []) members.add(toCore(id));
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return members;
  }

  async groupMembers(group: string): Promise<ReadonlySet<string>> {
    const answer = await this.client.usergroups.users.list({ usergroup: toSlack(group) });
    return new Set((answer.users ?? []).map(toCore));
  }
}

/**
 * Someone joined or left a channel, or a user group changed: forget its cached members so the
 * next click is decided on the new list. (The app subscribes to `member_joined_channel`,
 * `member_left_channel` and `subteam_members_changed`; without them the cache expires by itself.)
 */
export function registerMembershipEvents(app: App, { ctx }: SlackHandlerDeps): void {
  app.event('member_joined_channel', async ({ event }) => {
    ctx.directory?.forget(toCore(event.channel));
  });
  app.event('member_left_channel', async ({ event }) => {
    ctx.directory?.forget(toCore(event.channel));
  });
  app.event('subteam_members_changed', async ({ event }) => {
    ctx.directory?.forget(toCore(event.subteam_id));
  });
}
