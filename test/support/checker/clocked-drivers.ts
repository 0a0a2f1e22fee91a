import { appMentionEvent, messageEvent, sendEvent, slackTs } from '../slack/index.js';
import { eventually } from '../story/eventually.js';
import type { StoryThread } from '../story/platform-driver.js';
import { SlackDriver } from '../story/slack-driver.js';
import { SLACK_SECRET, type StoryWorld } from '../story/story-world.js';
import { TeamsDriver } from '../story/teams-driver.js';
import {
  channelMessage,
  mentionMessage,
  postActivity,
  TEAMS_IDS,
  type TeamsActivity,
} from '../teams/index.js';

/**
 * Drivers whose people write at the world's ManualClock time. The platforms stamp every message
 * (Slack `ts`, Teams `timestamp`) and Escalator takes an issue's `openedAt` and a staff answer's
 * `firstResponseAt` from that stamp, so SLA stories must write "at 16:00 on Friday" rather than
 * at the real time the test happens to run. Everything still goes through the real HTTP stack.
 */

const CUSTOMER_TEAM = 'T0CUSTOMER';
const raw = (coreId: string) => coreId.replace(/^(slack|teams):/, '');

/** A Slack customer other than the driver's own (another company in the shared support channel). */
export interface SlackCustomer {
  /** Raw Slack user id, e.g. `U0DAVE`. */
  user: string;
  /** Their Slack Connect workspace; default the customer workspace of the story. */
  team?: string;
}

export class ClockedSlackDriver extends SlackDriver {
  constructor(private readonly story: StoryWorld) {
    super(story);
  }

  private ts() {
    return slackTs(this.story.clock.now().getTime());
  }

  override customerPosts(text: string): Promise<StoryThread> {
    return this.customerPostsAs({ user: raw(this.people.customer.id) }, text);
  }

  /** A top-level post in the support channel by any customer (a new issue). */
  async customerPostsAs(who: SlackCustomer, text: string): Promise<StoryThread> {
    const channel = this.channel('support');
    const ts = this.ts();
    await this.send(
      messageEvent({ channel: raw(channel), user: who.user, team: who.team ?? CUSTOMER_TEAM, text, ts }),
      channel,
      ts,
    );
    return { channel, rootId: ts };
  }

  /** The customer writes again in their thread. */
  async customerRepliesIn(thread: StoryThread, text: string, who?: SlackCustomer): Promise<void> {
    const ts = this.ts();
    await this.send(
      messageEvent({
        channel: raw(thread.channel),
        user: who?.user ?? raw(this.people.customer.id),
        team: who?.team ?? CUSTOMER_TEAM,
        text,
        ts,
        threadTs: thread.rootId,
      }),
      thread.channel,
      ts,
    );
  }

  override async agentReplies(thread: StoryThread, text: string): Promise<void> {
    const ts = this.ts();
    await this.send(
      messageEvent({
        channel: raw(thread.channel),
        user: raw(this.people.agent.id),
        text,
        ts,
        threadTs: thread.rootId,
      }),
      thread.channel,
      ts,
    );
  }

  /** `@escalator <command>` in the thread; resolves once the escalation exists. */
  override async escalateWithMention(thread: StoryThread, command: string): Promise<void> {
    const event = appMentionEvent({
      channel: raw(thread.channel),
      user: raw(this.people.agent.id),
      threadTs: thread.rootId,
      text: `<@U0BOT> ${command}`,
      ts: this.ts(),
    });
    await ok(sendEvent(this.eventsUrl, SLACK_SECRET, event));
    await escalated(this.story, thread);
  }

  private async send(event: unknown, channel: string, ts: string) {
    await ok(sendEvent(this.eventsUrl, SLACK_SECRET, event));
    await eventually(
      () => this.story.store.messages.findByMessageId(channel, ts),
      `message ${ts} to be tracked`,
    );
  }
}

export class ClockedTeamsDriver extends TeamsDriver {
  constructor(private readonly story: StoryWorld) {
    super(story);
  }

  private get messagesUrl() {
    return `${this.story.app.url}/api/messages`;
  }

  private async postAt(activity: TeamsActivity) {
    const response = await postActivity(this.messagesUrl, activity);
    if (response.status >= 300)
      throw new Error(`Teams activity answered ${response.status}: ${JSON.stringify(response.body)}`);
  }

  /** Note: threads posted this way are escalated with `escalateWithMention` (the form needs the driver's own post). */
  override async customerPosts(text: string): Promise<StoryThread> {
    const activity = channelMessage({
      serviceUrl: this.story.connector.serviceUrl,
      user: TEAMS_IDS.users.customer,
      text,
      timestamp: this.story.clock.now(),
    });
    await this.postAt(activity);
    return { channel: this.channel('support'), rootId: activity.id };
  }

  /** The customer writes again in their thread. */
  async customerRepliesIn(thread: StoryThread, text: string): Promise<void> {
    await this.postAt(
      channelMessage({
        serviceUrl: this.story.connector.serviceUrl,
        user: TEAMS_IDS.users.customer,
        text,
        channelId: raw(thread.channel),
        threadRootId: thread.rootId,
        timestamp: this.story.clock.now(),
      }),
    );
  }

  override async agentReplies(thread: StoryThread, text: string): Promise<void> {
    await this.postAt(
      channelMessage({
        serviceUrl: this.story.connector.serviceUrl,
        user: TEAMS_IDS.users.agent,
        text,
        channelId: raw(thread.channel),
        threadRootId: thread.rootId,
        timestamp: this.story.clock.now(),
      }),
    );
  }

  override async escalateWithMention(thread: StoryThread, command: string): Promise<void> {
    await this.postAt(
      mentionMessage({
        serviceUrl: this.story.connector.serviceUrl,
        user: TEAMS_IDS.users.agent,
        text: command,
        channelId: raw(thread.channel),
        threadRootId: thread.rootId,
        timestamp: this.story.clock.now(),
      }),
    );
    await escalated(this.story, thread);
  }
}

/** Waits until the thread's issue has an open escalation. */
async function escalated(world: StoryWorld, thread: StoryThread) {
  await eventually(async () => {
    const issue = await world.store.issues.findByThread(thread.channel, thread.rootId);
    return issue && (await world.store.escalations.findActiveForIssue(issue.id));
  }, 'the thread to be escalated');
}

async function ok(response: Promise<{ status: number; text: string }>) {
  const r = await response;
  if (r.status !== 200) throw new Error(`Slack request answered ${r.status}: ${r.text}`);
  return r;
}

export type ClockedDriver = ClockedSlackDriver | ClockedTeamsDriver;
