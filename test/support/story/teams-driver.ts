import { randomUUID } from 'node:crypto';
import {
  adaptiveCardInvoke,
  channelMessage,
  conversationUpdateInstall,
  mentionMessage,
  messageExtensionFetchTask,
  messageExtensionSubmitAction,
  postActivity,
  TEAMS_IDS,
  type TeamsActivity,
  type TeamsUser,
} from '../teams/index.js';
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

const { users, channels } = TEAMS_IDS;
const person = (user: TeamsUser): Person => ({ id: `teams:${user.aadObjectId}`, shownAs: user.name });
const raw = (coreId: string) => coreId.replace(/^teams:/, '');

/** People on Teams, acting through activities posted to the real `/api/messages` (botbuilder). */
export class TeamsDriver implements PlatformDriver {
  readonly platform = 'teams' as const;
  readonly people = {
    customer: person(users.customer),
    agent: person(users.agent),
    specialist: person(users.specialist),
    otherSpecialist: person(users.otherSpecialist),
  };
  /** Everything a person saw as an answer only for them: invoke responses with a warning. */
  private readonly answers: Array<{ to: string; text: string }> = [];
  /** Root message activities we posted, to point message actions at. */
  private readonly posted = new Map<string, TeamsActivity>();

  constructor(private readonly world: StoryWorld) {}

  get fake() {
    return this.world.connector;
  }

  private get url() {
    return `${this.world.app.url}/api/messages`;
  }

  private userOf(who: Person): TeamsUser {
    const user = Object.values(users).find((u) => `teams:${u.aadObjectId}` === who.id);
    if (!user) throw new Error(`no Teams user for ${who.id}`);
    return user;
  }

  channel(name: 'support' | 'l2' | 'l3' | 'leads') {
    return `teams:${channels[name]}`;
  }

  /** The app is added to the team: Teams tells the bot, which learns how to reach the channels. */
  async prepare() {
    await this.post(conversationUpdateInstall({ serviceUrl: this.fake.serviceUrl }));
  }

  private async post(activity: TeamsActivity | Record<string, unknown>) {
    const response = await postActivity(this.url, activity);
    if (response.status >= 300)
      throw new Error(`Teams activity answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response;
  }

  async customerPosts(text: string): Promise<StoryThread> {
    const activity = channelMessage({ serviceUrl: this.fake.serviceUrl, user: users.customer, text });
    await this.post(activity);
    this.posted.set(activity.id, activity);
    return { channel: this.channel('support'), rootId: activity.id };
  }

  async customerReplies(thread: StoryThread, text: string) {
    await this.post(
      channelMessage({
        serviceUrl: this.fake.serviceUrl,
        user: users.customer,
        text,
        channelId: raw(thread.channel),
        threadRootId: thread.rootId,
      }),
    );
  }

  async agentReplies(thread: StoryThread, text: string) {
    await this.post(
      channelMessage({
        serviceUrl: this.fake.serviceUrl,
        user: users.agent,
        text,
        channelId: raw(thread.channel),
        threadRootId: thread.rootId,
      }),
    );
  }

  async escalateWithForm(thread: StoryThread, choice: EscalateChoice) {
    const message = this.posted.get(thread.rootId);
    const fetched = await this.post(
      messageExtensionFetchTask({
        serviceUrl: this.fake.serviceUrl,
        user: users.agent,
        ...(message ? { message } : {}),
      }),
    );
    const task = (fetched.body as { task: { type: string; value: unknown } }).task;
    if (task.type === 'message') return { refused: String(task.value) };
    const form = (task.value as { card: { content: { actions: Array<{ data: Record<string, string> }> } } })
      .card.content;
    const submitted = await this.post(
      messageExtensionSubmitAction({
        serviceUrl: this.fake.serviceUrl,
        user: users.agent,
        ...(message ? { message } : {}),
        data: {
          ...form.actions[0]!.data,
          path: choice.path ?? 'tech',
          priority: choice.priority ?? 'P2',
          reason: choice.reason,
          why: choice.why ?? 'knowledge_gap',
        },
      }),
    );
    const answer = (submitted.body as { task: { type: string; value: unknown } }).task;
    if (answer.type === 'message' && String(answer.value).startsWith('Escalated to')) return {};
    return { refused: JSON.stringify(answer.value) };
  }

  async escalateWithMention(thread: StoryThread, command: string) {
    await this.post(
      mentionMessage({
        serviceUrl: this.fake.serviceUrl,
        user: users.agent,
        text: command,
        channelId: raw(thread.channel),
        threadRootId: thread.rootId,
      }),
    );
  }

  async waitForCard(channel: string, except: StoryCard[] = []): Promise<StoryCard> {
    const call = await this.fake.waitFor(
      'create_conversation',
      (c) =>
        !c.failed &&
        c.channel === raw(channel) &&
        !except.some((e) => JSON.stringify(c.body).includes(e.escalationId)),
    );
    const escalationId = /"escalationId":"(esc_[a-z0-9]+)"/.exec(JSON.stringify(call.body))?.[1] ?? '';
    return { channel, messageId: call.newActivityId!, escalationId };
  }

  cardText(card: StoryCard): string {
    return JSON.stringify(this.fake.activity(card.messageId)?.attachments ?? []);
  }

  async waitForCardText(card: StoryCard, text: string) {
    await eventually(() => this.cardText(card).includes(text), `card to show "${text}"`);
  }

  async click(card: StoryCard, button: CardButton, who: Person, inputs: Record<string, string> = {}) {
    const response = await this.post(
      adaptiveCardInvoke({
        serviceUrl: this.fake.serviceUrl,
        user: this.userOf(who),
        verb: button,
        data: {
          escalationId: card.escalationId,
          ...inputs,
          // The card's inline form calls the optional "why not" field dismissReason.
          ...(button === 'not_an_escalation' && inputs.reason ? { dismissReason: inputs.reason } : {}),
        },
        replyToId: card.messageId,
        channelId: raw(card.channel),
      }),
    );
    const returned = response.body as {
      statusCode: number;
      value: { body: Array<{ color?: string; text?: string }> };
    };
    if (returned.statusCode !== 200) throw new Error(`invoke answered ${JSON.stringify(returned)}`);
    const warning = returned.value.body.find((b) => b.color === 'Attention')?.text;
    if (warning) this.answers.push({ to: who.id, text: warning });
  }

  notesIn(thread: StoryThread): string[] {
    return this.fake.calls
      .filter(
        (c) =>
          (c.kind === 'send' || c.kind === 'reply') &&
          !c.failed &&
          c.conversationId === `${raw(thread.channel)};messageid=${thread.rootId}`,
      )
      .map((c) => String((c.body as { text?: string }).text ?? ''));
  }

  waitForNote(thread: StoryThread, text: string) {
    return eventually(() => this.notesIn(thread).find((n) => n.includes(text)), `a note with "${text}"`);
  }

  waitForReplyTo(who: Person, text: string) {
    // Teams has no private messages in channels: an answer to a click comes back on the clicker's
    // card; an answer to a command is a thread reply addressed to the person by name.
    return eventually(
      () =>
        this.answers.find((a) => a.to === who.id && a.text.includes(text))?.text ??
        this.fake.calls
          .filter((c) => c.kind === 'send' || c.kind === 'reply')
          .map((c) => String((c.body as { text?: string }).text ?? ''))
          .find((t) => t.startsWith(`${who.shownAs}:`) && t.includes(text)),
      `an answer to ${who.shownAs} with "${text}"`,
    );
  }

  /** The CSAT prompt Escalator posted into the thread: its activity id and card. */
  private csatMessage(thread: StoryThread) {
    return eventually(
      () =>
        this.fake
          .thread(raw(thread.channel), thread.rootId)
          .find((a) => JSON.stringify(a.attachments ?? []).includes('"verb":"csat"')),
      'the CSAT prompt in the thread',
    );
  }

  /** What Teams showed after a rating click: the card the invoke answered with, per prompt. */
  private readonly csatAnswers = new Map<string, unknown>();

  async csatPrompt(thread: StoryThread, text?: string): Promise<string> {
    const prompt = await this.csatMessage(thread);
    const shown = () => JSON.stringify(this.csatAnswers.get(prompt.id) ?? prompt.attachments ?? []);
    return eventually(
      () => (text === undefined || shown().includes(text) ? shown() : undefined),
      `the CSAT prompt to show "${text}"`,
    );
  }

  async rateCsat(thread: StoryThread, who: Person, score: number) {
    const prompt = await this.csatMessage(thread);
    const escalationId =
      /"escalationId":"(esc_[a-z0-9]+)"/.exec(JSON.stringify(prompt.attachments))?.[1] ?? '';
    const response = await this.post(
      adaptiveCardInvoke({
        serviceUrl: this.fake.serviceUrl,
        user: this.userOf(who),
        verb: 'csat',
        data: { escalationId, score },
        replyToId: prompt.id,
        channelId: raw(thread.channel),
      }),
    );
    const returned = response.body as {
      statusCode: number;
      value: { body: Array<{ color?: string; text?: string }> };
    };
    if (returned.statusCode !== 200) throw new Error(`invoke answered ${JSON.stringify(returned)}`);
    this.csatAnswers.set(prompt.id, returned.value);
    const warning = returned.value.body.find((b) => b.color === 'Attention')?.text;
    if (warning) this.answers.push({ to: who.id, text: warning });
  }

  async digestOf(channel: string): Promise<PostedDigest> {
    const call = await this.fake.waitFor(
      'create_conversation',
      (c) => !c.failed && c.channel === raw(channel) && JSON.stringify(c.body).includes('Escalation digest'),
    );
    return { text: JSON.stringify(call.body), png: chartOf(call.body) };
  }

  digestsPosted(channel: string): number {
    return this.fake
      .callsOf('create_conversation')
      .filter(
        (c) =>
          !c.failed && c.channel === raw(channel) && JSON.stringify(c.body).includes('Escalation digest'),
      ).length;
  }

  async askForDigest(who: Person, request: string): Promise<string> {
    const before = this.fake.calls.length;
    const ask = mentionMessage({
      serviceUrl: this.fake.serviceUrl,
      user: this.userOf(who),
      text: `digest ${request}`,
      channelId: channels.leads,
      threadRootId: null,
    });
    await this.post(ask);
    const reply = await eventually(
      () =>
        this.fake.calls
          .slice(before)
          .find((c) => (c.kind === 'reply' || c.kind === 'send') && c.channel === channels.leads),
      'the answer to the digest request',
    );
    return JSON.stringify(reply.body);
  }

  cardsPosted(channel: string): number {
    return this.fake.callsOf('create_conversation').filter((c) => !c.failed && c.channel === raw(channel))
      .length;
  }

  async mentionBotAs(who: Person, thread: StoryThread, command: string) {
    await this.post(
      mentionMessage({
        serviceUrl: this.fake.serviceUrl,
        user: this.userOf(who),
        text: command,
        channelId: raw(thread.channel),
        threadRootId: thread.rootId,
      }),
    );
  }

  /** Lists given to `setMembers`, to tell who joined and who left (before that: the whole team). */
  private readonly memberLists = new Map<string, Person[]>();

  async setMembers(channelOrGroup: string, people: Person[], options: { announce?: boolean } = {}) {
    const id = raw(channelOrGroup);
    const before = this.memberLists.get(id) ?? Object.values(users).map(person);
    this.fake.setMembers(
      people.map((p) => this.userOf(p)),
      id,
    );
    this.memberLists.set(id, people);
    if (!options.announce) return;
    const account = (p: Person) => ({ id: this.userOf(p).id, aadObjectId: this.userOf(p).aadObjectId });
    const added = people.filter((p) => !before.some((b) => b.id === p.id));
    const removed = before.filter((b) => !people.some((p) => p.id === b.id));
    const update = conversationUpdateInstall({ serviceUrl: this.fake.serviceUrl });
    for (const [members, eventType] of [
      [added, 'teamMemberAdded'],
      [removed, 'teamMemberRemoved'],
    ] as const) {
      if (members.length === 0) continue;
      const key = eventType === 'teamMemberAdded' ? 'membersAdded' : 'membersRemoved';
      await this.post({
        ...update,
        id: `f:${randomUUID()}`,
        membersAdded: [],
        [key]: members.map(account),
        channelData: { ...update.channelData, eventType },
      });
    }
  }

  repliesTo(who: Person): string[] {
    // Answers on clicked cards, then thread replies addressed to the person (command answers).
    return [
      ...this.answers.filter((a) => a.to === who.id).map((a) => a.text),
      ...this.fake.calls
        .filter((c) => (c.kind === 'send' || c.kind === 'reply') && !c.failed)
        .map((c) => String((c.body as { text?: string }).text ?? ''))
        .filter((t) => t.startsWith(`${who.shownAs}:`)),
    ];
  }

  memberLookups(channelOrGroup: string): number {
    return this.fake
      .callsOf('get_paged_members')
      .filter((c) => c.conversationId === raw(channelOrGroup) && !c.query.continuationToken).length;
  }
}

/** The chart of a digest card: the Image element's `data:image/png;base64,…` URL, decoded. */
function chartOf(activity: unknown): Buffer {
  const url = /"url":"data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(JSON.stringify(activity))?.[1];
  if (!url) throw new Error('the digest card has no chart image');
  return Buffer.from(url, 'base64');
}
