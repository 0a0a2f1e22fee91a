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
  taskFetch,
  taskSubmit,
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

/** An Adaptive Card element or action, as much of it as the driver reads. */
export interface CardElement {
  type?: string;
  text?: string;
  title?: string;
  verb?: string;
  data?: Record<string, unknown>;
  items?: CardElement[];
  body?: CardElement[];
  actions?: CardElement[];
  columns?: CardElement[];
  facts?: Array<{ title: string; value: string }>;
}

interface TaskAnswer {
  task: { type: 'message' | 'continue'; value: unknown };
}

/** A "This solved it" button as shown: the past escalation's number, what it showed, what it sends. */
interface ShownSuggestion {
  number: number;
  text: string;
  data: Record<string, unknown>;
}

/** What "before you escalate" last showed for a thread, to click on it later. */
type Offer =
  | { how: 'form'; message?: TeamsActivity; suggestions: ShownSuggestion[] }
  | { how: 'mention'; cardId: string; suggestions: ShownSuggestion[]; anyway: Record<string, unknown> };

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
  /** What "before you escalate" last showed, per thread root. */
  private readonly offers = new Map<string, Offer>();

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

  /** The thread's conversation id in Teams: `<channel>;messageid=<root>`. */
  private threadConversation(thread: StoryThread) {
    return `${raw(thread.channel)};messageid=${thread.rootId}`;
  }

  async beforeEscalating(
    thread: StoryThread,
    how: { form: true; reason?: string } | { mention: string },
  ): Promise<string[]> {
    if ('form' in how) {
      const message = this.posted.get(thread.rootId);
      const fetched = await this.post(
        messageExtensionFetchTask({
          serviceUrl: this.fake.serviceUrl,
          user: users.agent,
          ...(message ? { message } : {}),
        }),
      );
      const { task } = fetched.body as TaskAnswer;
      if (task.type !== 'continue') throw new Error(`the escalate form did not open: ${String(task.value)}`);
      const form = (task.value as { card: { content: CardElement } }).card.content;
      const suggestions = suggestionsOn(form);
      this.offers.set(thread.rootId, { how: 'form', ...(message ? { message } : {}), suggestions });
      return suggestions.map((s) => s.text);
    }
    const before = this.fake.calls.length;
    await this.post(
      mentionMessage({
        serviceUrl: this.fake.serviceUrl,
        user: users.agent,
        text: how.mention,
        channelId: raw(thread.channel),
        threadRootId: thread.rootId,
      }),
    );
    // The offer is the answer on the mention's own turn: there by the time the post returned.
    const offered = this.fake.calls
      .slice(before)
      .find(
        (c) =>
          (c.kind === 'send' || c.kind === 'reply') &&
          !c.failed &&
          c.conversationId === this.threadConversation(thread) &&
          JSON.stringify(c.body).includes('"verb":"solved_it"'),
      );
    if (!offered) {
      this.offers.delete(thread.rootId);
      return [];
    }
    const card = (offered.body as { attachments: Array<{ content: CardElement }> }).attachments[0]!.content;
    const anyway = (card.actions ?? []).find((a) => a.verb === 'escalate_anyway');
    if (!anyway?.data) throw new Error('the offer has no "Escalate anyway" button');
    const suggestions = suggestionsOn(card);
    this.offers.set(thread.rootId, {
      how: 'mention',
      cardId: offered.newActivityId!,
      suggestions,
      anyway: anyway.data,
    });
    return suggestions.map((s) => s.text);
  }

  private offerFor(thread: StoryThread): Offer {
    const offer = this.offers.get(thread.rootId);
    if (!offer)
      throw new Error('nothing was offered before escalating in this thread (call beforeEscalating)');
    return offer;
  }

  async thisSolvedIt(thread: StoryThread, pastNumber: number): Promise<string> {
    const offer = this.offerFor(thread);
    const picked = offer.suggestions.find((s) => s.number === pastNumber);
    if (!picked) throw new Error(`escalation #${pastNumber} was not among the suggestions`);
    if (offer.how === 'form') {
      const submitted = await this.post(
        messageExtensionSubmitAction({
          serviceUrl: this.fake.serviceUrl,
          user: users.agent,
          ...(offer.message ? { message: offer.message } : {}),
          data: picked.data,
        }),
      );
      const { task } = submitted.body as TaskAnswer;
      return task.type === 'message' ? String(task.value) : JSON.stringify(task.value);
    }
    return this.clickOffer(thread, offer.cardId, 'solved_it', picked.data);
  }

  async escalateAnyway(thread: StoryThread): Promise<void> {
    const offer = this.offerFor(thread);
    if (offer.how !== 'mention')
      throw new Error('in the form, "Escalate anyway" is its submit: use escalateWithForm');
    await this.clickOffer(thread, offer.cardId, 'escalate_anyway', offer.anyway);
  }

  /** A click on the offer card in the thread; returns what the card shows then. */
  private async clickOffer(thread: StoryThread, cardId: string, verb: string, data: Record<string, unknown>) {
    const response = await this.post(
      adaptiveCardInvoke({
        serviceUrl: this.fake.serviceUrl,
        user: users.agent,
        verb,
        data,
        replyToId: cardId,
        conversationId: this.threadConversation(thread),
      }),
    );
    const returned = response.body as { statusCode: number; value: CardElement };
    if (returned.statusCode !== 200) throw new Error(`invoke answered ${JSON.stringify(returned)}`);
    const warning = (returned.value.body ?? []).find(
      (b) => (b as { color?: string }).color === 'Attention',
    )?.text;
    if (warning) this.answers.push({ to: this.people.agent.id, text: warning });
    return visibleText(returned.value);
  }

  async viewConversation(card: StoryCard, who: Person, next = 0): Promise<string> {
    const pages = await this.conversationDialog(
      card,
      who,
      Array.from({ length: next }, () => 'Newer'),
    );
    return visibleText(pages.at(-1)!);
  }

  /**
   * "View conversation" on a card (a `task/fetch`), then the dialog's buttons by title, in order
   * (each a `task/submit`). Returns the dialog's card after each step, the opened one first.
   */
  async conversationDialog(card: StoryCard, who: Person, clicks: string[] = []): Promise<CardElement[]> {
    const shown = this.fake.activity(card.messageId)?.attachments?.[0]?.content as CardElement | undefined;
    if (!shown) throw new Error(`no card ${card.messageId} in ${card.channel}`);
    const button = elementsOf(shown).find(
      (e) => e.type === 'Action.Submit' && e.data?.view === 'conversation',
    );
    if (!button?.data) throw new Error('the card has no "View conversation" button');
    const common = {
      serviceUrl: this.fake.serviceUrl,
      user: this.userOf(who),
      replyToId: card.messageId,
      channelId: raw(card.channel),
    };
    const dialogs = [this.dialogOf(await this.post(taskFetch({ ...common, data: button.data })))];
    for (const title of clicks) {
      const turn = (dialogs.at(-1)!.actions ?? []).find((a) => a.title === title);
      if (!turn?.data) throw new Error(`the conversation dialog has no "${title}" button`);
      dialogs.push(this.dialogOf(await this.post(taskSubmit({ ...common, data: turn.data }))));
    }
    return dialogs;
  }

  /** The Adaptive Card a task-module answer opens (or the message it shows instead, as an error). */
  private dialogOf(response: { body: unknown }): CardElement {
    const { task } = response.body as TaskAnswer;
    if (task.type !== 'continue') throw new Error(`the dialog did not open: ${String(task.value)}`);
    const value = task.value as { card: { contentType: string; content: CardElement } };
    return value.card.content;
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

/** Every element of a card (body, containers, action sets, show-cards), depth first. */
function elementsOf(root: CardElement): CardElement[] {
  const children = [
    ...(root.body ?? []),
    ...(root.items ?? []),
    ...(root.columns ?? []),
    ...(root.actions ?? []),
  ];
  return [root, ...children.flatMap(elementsOf)];
}

/** What a person reads on a card: its texts and facts, in order (not its button titles). */
export function visibleText(root: CardElement): string {
  return elementsOf(root)
    .flatMap((e) => [
      ...(e.type === 'TextBlock' && e.text ? [e.text] : []),
      ...(e.facts ?? []).map((f) => `${f.title}: ${f.value}`),
    ])
    .join('\n');
}

/** The suggestions a card shows: each Container with a "This solved it" button. */
function suggestionsOn(card: CardElement): ShownSuggestion[] {
  return elementsOf(card)
    .filter((e) => e.type === 'Container')
    .flatMap((container) => {
      const solved = elementsOf(container).find((e) => e.title === 'This solved it');
      if (!solved?.data) return [];
      const text = visibleText(container);
      return [{ number: Number(/#(\d+)/.exec(text)?.[1] ?? Number.NaN), text, data: solved.data }];
    });
}

/** The chart of a digest card: the Image element's `data:image/png;base64,…` URL, decoded. */
function chartOf(activity: unknown): Buffer {
  const url = /"url":"data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(JSON.stringify(activity))?.[1];
  if (!url) throw new Error('the digest card has no chart image');
  return Buffer.from(url, 'base64');
}
