import type { AppContext } from '../../src/app/context.js';
import { namesOf } from '../../src/app/directory.js';
import type { LocalMessage } from '../../src/ports/local-workspace.js';
import { mentionedIds } from '../shared/people.js';
import { threadUrl } from '../shared/thread-url.js';
import type { LiveFeed } from './live-feed.js';
import { type MessageView, peopleIn, readableText, type ViewNames, viewMessage } from './message-view.js';
import type { SimulatedChannel } from './simulated-channels.js';

/**
 * What the local workspace's handlers share: the core, the channels it simulates, the live feed,
 * and the way messages become what the page shows.
 */
export class Workspace {
  constructor(
    readonly ctx: AppContext,
    readonly channels: readonly SimulatedChannel[],
    readonly feed: LiveFeed,
  ) {}

  get messages() {
    return this.ctx.store.localWorkspace;
  }

  channel(id: string): SimulatedChannel | undefined {
    return this.channels.find((c) => c.id === id);
  }

  /** True for a channel whose threads live here (links to them open in the workspace). */
  readonly isSimulated = (channel: string): boolean =>
    channel.startsWith('local:') || this.channels.some((c) => c.id === channel);

  /** Stores a message once (a retried request finds it stored) and announces it; the stored one. */
  async store(message: LocalMessage): Promise<LocalMessage> {
    if (await this.messages.create(message)) {
      this.feed.publish({ channel: message.channel, threadId: message.threadId, id: message.id });
      return message;
    }
    return (await this.messages.get(message.id)) ?? message;
  }

  /** Messages as the page shows them: names for tokens, CSAT answers, links. */
  async view(messages: Array<LocalMessage & { replyCount?: number }>): Promise<MessageView[]> {
    const names = await this.names(messages);
    return messages.map((m) => viewMessage(m, names));
  }

  /** Core text (a refusal, a thanks) with its tokens written out as names. */
  async readable(text: string): Promise<string> {
    const people = await namesOf(this.ctx, mentionedIds(text));
    return readableText(text, { people, channel: (id) => this.channel(id)?.name });
  }

  private async names(messages: LocalMessage[]): Promise<ViewNames> {
    const scores = new Map<string, number>();
    for (const m of messages) {
      if (!m.csat) continue;
      const answer = await this.ctx.store.csat.forEscalation(m.csat.escalationId);
      if (answer) scores.set(m.csat.escalationId, answer.score);
    }
    return {
      people: await namesOf(this.ctx, peopleIn(messages)),
      channel: (id) => this.channel(id)?.name,
      threadUrl: (thread) => threadUrl(thread, undefined, this.isSimulated),
      scores,
    };
  }
}
