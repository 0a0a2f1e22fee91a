import type { ConversationView } from '../../../adapters/local/conversation-view.js';
import type { MessageView } from '../../../adapters/local/message-view.js';
import { eventually } from './eventually.js';
import type {
  CardButton,
  EscalateChoice,
  Person,
  PlatformDriver,
  PostedDigest,
  StoryCard,
  StoryThread,
} from './platform-driver.js';
import type { StoryWorld } from './story-world.js';

type ChannelName = 'support' | 'l2' | 'l3' | 'leads';

const CHANNELS: Record<ChannelName, string> = {
  support: 'local:C0SUPPORT',
  l2: 'local:C0L2',
  l3: 'local:C0L3',
  leads: 'local:C0LEADS',
};

/** The workspace's built-in personas; cards and notes show them by name. */
const person = (id: string, name: string): Person => ({ id, shownAs: name });

const NOT_USED = 'not used by the shared story on local';

/**
 * People in the simulated local workspace (`adapters/local`), acting through its JSON API over real
 * HTTP (`/local/api/…`), as the page in the browser does. The workspace is read by polling; what
 * was read last is kept so the story's synchronous looks (`cardText`, `notesIn`, `cardsPosted`)
 * answer from it. Every action and wait reads again, and so does every `world.tick()`.
 */
export class LocalDriver implements PlatformDriver {
  readonly platform = 'local' as const;
  readonly people = {
    customer: person('local:U0CASEY', 'Casey Customer'),
    agent: person('local:U0ALEX', 'Alex Agent'),
    specialist: person('local:U0SAM', 'Sam Specialist'),
    otherSpecialist: person('local:U0RILEY', 'Riley Lead'),
  };
  /** Root messages per channel, as last read. */
  private readonly roots = new Map<string, MessageView[]>();
  /** Threads the story started, as last read (by the customer's view: no ephemerals). */
  private readonly threads = new Map<string, { thread: StoryThread; messages: MessageView[] }>();
  /** Answers to clicks, which the workspace gives in the click's own response (`done: false`). */
  private readonly answers: Array<{ to: string; text: string }> = [];
  /** Ephemerals (command answers) per person, as last read. */
  private readonly ephemerals = new Map<string, MessageView[]>();
  /** The "before you escalate" reply last shown for each thread (by root id). */
  private readonly suggestions = new Map<string, MessageView>();
  private clientIds = 0;

  constructor(private readonly world: StoryWorld) {
    world.watchTicks(() => this.refresh());
  }

  channel(name: ChannelName) {
    return CHANNELS[name];
  }

  /** The workspace simulates the story's channels (the policy's `local:` ones) beside Slack and Teams. */
  async prepare() {
    const workspace = (await this.get('/local/api/workspace')) as { channels: Array<{ id: string }> };
    const simulated = workspace.channels.map((c) => c.id);
    const missing = Object.values(CHANNELS).filter((c) => !simulated.includes(c));
    if (missing.length > 0) throw new Error(`the local workspace does not simulate ${missing.join(', ')}`);
  }

  async customerPosts(text: string): Promise<StoryThread> {
    const channel = this.channel('support');
    const posted = await this.say(this.people.customer, channel, text);
    const thread = { channel, rootId: posted.message!.id };
    this.threads.set(thread.rootId, { thread, messages: [] });
    await this.refresh();
    return thread;
  }

  async customerReplies(thread: StoryThread, text: string) {
    await this.say(this.people.customer, thread.channel, text, thread.rootId);
    await this.refresh();
  }

  async agentReplies(thread: StoryThread, text: string) {
    await this.say(this.people.agent, thread.channel, text, thread.rootId);
    await this.refresh();
  }

  /**
   * The workspace has no escalate form (no modal, no task module): the agent types
   * `/escalate to <path> <P> <reason>` in the thread instead. The command has no place for the
   * form's "why" (the reason category), so `choice.why` cannot be given here.
   */
  async escalateWithForm(thread: StoryThread, choice: EscalateChoice) {
    const command = `/escalate to ${choice.path ?? 'tech'} ${choice.priority ?? 'P2'} ${choice.reason}`;
    const answer = await this.say(this.people.agent, thread.channel, command, thread.rootId);
    await this.refresh();
    const text = answer.reply?.text ?? '';
    return text.startsWith('Escalated to') ? {} : { refused: text };
  }

  async escalateWithMention(thread: StoryThread, command: string) {
    await this.say(this.people.agent, thread.channel, `@Escalator ${command}`, thread.rootId);
    await this.refresh();
  }

  async waitForCard(channel: string, except: StoryCard[] = []): Promise<StoryCard> {
    const found = await eventually(async () => {
      await this.readRoots(channel);
      return this.cardsIn(channel).find((m) => !except.some((e) => e.messageId === m.id));
    }, `a card in ${channel}`);
    return { channel, messageId: found.id, escalationId: escalationOf(found) };
  }

  cardText(card: StoryCard): string {
    const message = this.roots.get(card.channel)?.find((m) => m.id === card.messageId);
    return JSON.stringify(message?.card ?? {});
  }

  async waitForCardText(card: StoryCard, text: string) {
    await eventually(async () => {
      await this.readRoots(card.channel);
      return this.cardText(card).includes(text);
    }, `card to show "${text}"`);
  }

  async click(card: StoryCard, button: CardButton, who: Person, inputs: Record<string, string> = {}) {
    const outcome = (await this.post('/local/api/actions', {
      messageId: card.messageId,
      escalationId: card.escalationId,
      action: button,
      personId: who.id,
      inputs,
    })) as { done: boolean; reply?: string };
    if (!outcome.done) this.answers.push({ to: who.id, text: outcome.reply ?? '' });
    await this.refresh();
  }

  notesIn(thread: StoryThread): string[] {
    return (this.threads.get(thread.rootId)?.messages ?? [])
      .filter((m) => m.kind === 'note')
      .map((m) => m.text ?? '');
  }

  waitForNote(thread: StoryThread, text: string) {
    return eventually(async () => {
      await this.readThread(thread);
      return this.notesIn(thread).find((n) => n.includes(text));
    }, `a note with "${text}"`);
  }

  waitForReplyTo(who: Person, text: string) {
    return eventually(async () => {
      await this.readEphemerals(who);
      return this.repliesTo(who).find((r) => r.includes(text));
    }, `an answer to ${who.shownAs} with "${text}"`);
  }

  cardsPosted(channel: string): number {
    return this.cardsIn(channel).length;
  }

  repliesTo(who: Person): string[] {
    return [
      ...this.answers.filter((a) => a.to === who.id).map((a) => a.text),
      ...(this.ephemerals.get(who.id) ?? []).map((m) => m.text ?? ''),
    ];
  }

  digestOf(_channel: string): Promise<PostedDigest> {
    throw new Error(NOT_USED);
  }

  digestsPosted(_channel: string): number {
    throw new Error(NOT_USED);
  }

  askForDigest(_who: Person, _request: string): Promise<string> {
    throw new Error(NOT_USED);
  }

  csatPrompt(_thread: StoryThread, _text?: string): Promise<string> {
    throw new Error(NOT_USED);
  }

  rateCsat(_thread: StoryThread, _who: Person, _score: number): Promise<void> {
    throw new Error(NOT_USED);
  }

  mentionBotAs(_who: Person, _thread: StoryThread, _command: string): Promise<void> {
    throw new Error(NOT_USED);
  }

  setMembers(_channelOrGroup: string, _people: Person[], _options?: { announce?: boolean }): Promise<void> {
    throw new Error(NOT_USED);
  }

  memberLookups(_channelOrGroup: string): number {
    throw new Error(NOT_USED);
  }

  /**
   * The workspace has no escalate form: `/escalate` is its submit and escalates at once. Similar
   * past escalations are offered for `@Escalator escalate …` in the thread, as a private card.
   */
  async beforeEscalating(thread: StoryThread, how: { form: true; reason?: string } | { mention: string }) {
    if ('form' in how) {
      throw new Error(
        'The local workspace has no escalate form (no modal, no task module): it offers similar past escalations for "@Escalator escalate …" only, so use { mention }.',
      );
    }
    const answer = await this.say(
      this.people.agent,
      thread.channel,
      `@Escalator ${how.mention}`,
      thread.rootId,
    );
    await this.refresh();
    const reply = answer.reply;
    if (!reply?.card?.suggestions) {
      // Nothing similar enough: the mention escalated at once (its answer is among the ephemerals).
      this.suggestions.delete(thread.rootId);
      return [];
    }
    this.suggestions.set(thread.rootId, reply);
    return reply.card.sections.map((s) => s.text);
  }

  async thisSolvedIt(thread: StoryThread, pastNumber: number): Promise<string> {
    const shown = this.suggestionsFor(thread);
    const offered = shown.card!.suggestions!.offered.find((o) => o.escalationNumber === pastNumber);
    if (!offered) throw new Error(`past escalation #${pastNumber} was not offered for this thread`);
    return this.choose(shown, { choice: 'solved', entryId: offered.entryId });
  }

  async escalateAnyway(thread: StoryThread): Promise<void> {
    await this.choose(this.suggestionsFor(thread), { choice: 'escalate_anyway' });
  }

  /**
   * "View conversation" on the card, then "Next" `next` times, through the JSON API the page reads
   * (`GET /local/api/transcript`). Anyone in the workspace may read it, so `who` changes nothing.
   */
  async viewConversation(card: StoryCard, _who: Person, next = 0): Promise<string> {
    const read = (page: number) =>
      this.get(
        `/local/api/transcript?${new URLSearchParams({ escalation: card.escalationId, page: String(page) })}`,
      ) as Promise<ConversationView>;
    let view = await read(0);
    for (let i = 0; i < next; i++) {
      if (view.page >= view.pages - 1)
        throw new Error(`the conversation has no page after ${view.pageLabel}`);
      view = await read(view.page + 1);
    }
    return [view.pageLabel, ...view.lines.map((l) => `${l.author.name} (${l.role}): ${l.text}`)].join('\n');
  }

  private suggestionsFor(thread: StoryThread): MessageView {
    const shown = this.suggestions.get(thread.rootId);
    if (!shown) throw new Error('no suggestions were shown for this thread: call beforeEscalating first');
    return shown;
  }

  private async choose(shown: MessageView, body: { choice: string; entryId?: string }): Promise<string> {
    const outcome = (await this.post('/local/api/suggestions', {
      messageId: shown.id,
      personId: this.people.agent.id,
      ...body,
    })) as { done: boolean; reply: string };
    this.answers.push({ to: this.people.agent.id, text: outcome.reply });
    await this.refresh();
    return outcome.reply;
  }

  /** Reads the channels, the story's threads and everyone's ephemerals again. */
  private async refresh() {
    for (const channel of Object.values(CHANNELS)) await this.readRoots(channel);
    for (const { thread } of this.threads.values()) await this.readThread(thread);
    for (const who of Object.values(this.people)) await this.readEphemerals(who);
  }

  private cardsIn(channel: string): MessageView[] {
    return (this.roots.get(channel) ?? []).filter((m) => m.kind === 'card');
  }

  private async readRoots(channel: string) {
    this.roots.set(channel, await this.messages(channel));
  }

  private async readThread(thread: StoryThread) {
    this.threads.set(thread.rootId, { thread, messages: await this.messages(thread.channel, thread.rootId) });
  }

  /** What only `who` was shown: ephemerals in the channels and in the story's threads. */
  private async readEphemerals(who: Person) {
    const seen: MessageView[] = [];
    for (const channel of Object.values(CHANNELS))
      seen.push(...(await this.messages(channel, undefined, who)));
    for (const { thread } of this.threads.values()) {
      seen.push(...(await this.messages(thread.channel, thread.rootId, who)));
    }
    this.ephemerals.set(
      who.id,
      seen.filter((m) => m.kind === 'ephemeral' && m.visibleTo === who.id),
    );
  }

  private async messages(channel: string, thread?: string, as?: Person): Promise<MessageView[]> {
    const query = new URLSearchParams({
      channel,
      ...(thread ? { thread } : {}),
      ...(as ? { as: as.id } : {}),
    });
    const answer = (await this.get(`/local/api/messages?${query}`)) as { messages: MessageView[] };
    return answer.messages;
  }

  private async say(who: Person, channel: string, text: string, threadId?: string) {
    return (await this.post('/local/api/messages', {
      channel,
      threadId,
      authorId: who.id,
      text,
      clientId: `story-${++this.clientIds}`,
    })) as { message?: MessageView; reply?: MessageView };
  }

  private async get(path: string): Promise<unknown> {
    return answerOf(await fetch(`${this.world.app.url}${path}`), `GET ${path}`);
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.world.app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return answerOf(response, `POST ${path}`);
  }
}

async function answerOf(response: Response, what: string): Promise<unknown> {
  const body = await response.json();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** The escalation a card is about: its buttons and links name it. */
function escalationOf(message: MessageView): string {
  const id = /"escalationId":"(esc_[A-Za-z0-9]+)"/.exec(JSON.stringify(message.card))?.[1];
  if (!id) throw new Error(`card ${message.id} names no escalation`);
  return id;
}
