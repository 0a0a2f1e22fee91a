import {
  appMentionEvent,
  blockAction,
  messageEvent,
  messageShortcut,
  newEventId,
  sendCommand,
  sendEvent,
  sendInteraction,
  slackTs,
  slashCommand,
  viewSubmission,
} from '../slack/index.js';
import { ephemeralBlockAction, viewBlockAction } from '../slack/view-actions.js';
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
import { SlackMembers } from './slack-members.js';
import { SLACK_SECRET, type StoryWorld } from './story-world.js';

const CUSTOMER_TEAM = 'T0CUSTOMER';
const SOLVED = 'escalator:solved';
const SUGGESTION_BLOCK = 'escalator_suggestion_';

/** Where "Before you escalate" last showed suggestions for a thread: the open form, or a private message. */
type Offer =
  | { kind: 'modal'; viewId: string }
  | { kind: 'message'; blocks: unknown[]; channel: string; threadTs: string };
const person = (id: string): Person => ({ id: `slack:${id}`, shownAs: `<@${id}>` });
const raw = (coreId: string) => coreId.replace(/^slack:/, '');

/** People on Slack, acting through signed requests to the real Bolt receiver. */
export class SlackDriver implements PlatformDriver {
  readonly platform = 'slack' as const;
  readonly people = {
    customer: person('U0CUSTOMER'),
    agent: person('U0ALICE'),
    specialist: person('U0BOB'),
    otherSpecialist: person('U0CAROL'),
  };

  private readonly offers = new Map<string, Offer>();
  /** Clicks answered through a `response_url`, each with its own (`respond-<n>`). */
  private responseUrls = 0;

  constructor(private readonly world: StoryWorld) {}

  get fake() {
    return this.world.slackApi;
  }

  get eventsUrl() {
    return `${this.world.app.url}/slack/events`;
  }

  channel(name: 'support' | 'l2' | 'l3' | 'leads') {
    return { support: 'slack:C0SUPPORT', l2: 'slack:C0L2', l3: 'slack:C0L3', leads: 'slack:C0LEADS' }[name];
  }

  async prepare() {}

  async customerPosts(text: string): Promise<StoryThread> {
    const ts = slackTs();
    const channel = this.channel('support');
    const event = messageEvent({
      channel: raw(channel),
      user: raw(this.people.customer.id),
      team: CUSTOMER_TEAM,
      text,
      ts,
    });
    await ok(sendEvent(this.eventsUrl, SLACK_SECRET, event));
    await this.tracked(channel, ts);
    return { channel, rootId: ts };
  }

  async customerReplies(thread: StoryThread, text: string) {
    const ts = slackTs();
    const event = messageEvent({
      channel: raw(thread.channel),
      user: raw(this.people.customer.id),
      team: CUSTOMER_TEAM,
      text,
      ts,
      threadTs: thread.rootId,
    });
    await ok(sendEvent(this.eventsUrl, SLACK_SECRET, event));
    await this.tracked(thread.channel, ts);
  }

  async agentReplies(thread: StoryThread, text: string) {
    const ts = slackTs();
    const event = messageEvent({
      channel: raw(thread.channel),
      user: raw(this.people.agent.id),
      text,
      ts,
      threadTs: thread.rootId,
    });
    await ok(sendEvent(this.eventsUrl, SLACK_SECRET, event));
    await this.tracked(thread.channel, ts);
  }

  private tracked(channel: string, ts: string) {
    return eventually(
      () => this.world.store.messages.findByMessageId(channel, ts),
      `message ${ts} to be tracked`,
    );
  }

  async escalateWithForm(thread: StoryThread, choice: EscalateChoice) {
    const agent = this.people.agent;
    const opened = this.fake.callsTo('views.open').length;
    const repliesBefore = this.ephemerals(agent).length;
    await this.useEscalateShortcut(thread);
    // Either the form opens, or the agent is told why not.
    const outcome = await eventually(
      () =>
        this.fake.callsTo('views.open')[opened] ??
        (this.ephemerals(agent).length > repliesBefore ? this.ephemerals(agent).at(-1) : undefined),
      'the escalate form or an explanation',
    );
    if (typeof outcome === 'string') return { refused: outcome };
    const view = outcome.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    const picked = (
      view.blocks as Array<{ block_id: string; element: { initial_option?: { value: string } } }>
    ).find((b) => b.block_id === 'thread')?.element.initial_option?.value;
    const response = await sendInteraction(
      this.eventsUrl,
      SLACK_SECRET,
      viewSubmission({
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        user: raw(agent.id),
        viewId: `V${slackTs().replace('.', '')}`,
        values: {
          thread: { value: { select: picked ?? '' } },
          path: { value: { select: choice.path ?? 'tech' } },
          priority: { value: { select: choice.priority ?? 'P2' } },
          reason: { value: choice.reason },
          why: { value: { select: choice.why ?? 'knowledge_gap' } },
        } as never,
      }),
    );
    const errors = (response.json as { errors?: Record<string, string> } | undefined)?.errors;
    if (errors) return { refused: Object.values(errors).join(' ') };
    // The agent's confirmation arrives through the outbox; wait for it so later replies are not confused with it.
    await eventually(() => this.ephemerals(agent).length > repliesBefore, 'the confirmation to the agent');
    return {};
  }

  /** The agent's message shortcut "Escalate thread" on the thread's root message. */
  private useEscalateShortcut(thread: StoryThread) {
    return ok(
      sendInteraction(
        this.eventsUrl,
        SLACK_SECRET,
        messageShortcut({
          channel: raw(thread.channel),
          user: raw(this.people.agent.id),
          message: { ts: thread.rootId, text: 'customer message', user: raw(this.people.customer.id) },
        }),
      ),
    );
  }

  async escalateWithMention(thread: StoryThread, command: string) {
    const event = appMentionEvent({
      channel: raw(thread.channel),
      user: raw(this.people.agent.id),
      threadTs: thread.rootId,
      text: `<@U0BOT> ${command}`,
    });
    await ok(sendEvent(this.eventsUrl, SLACK_SECRET, event));
  }

  async waitForCard(channel: string, except: StoryCard[] = []): Promise<StoryCard> {
    const post = await this.fake.waitFor(
      'chat.postMessage',
      (args, call) =>
        !call.failed &&
        args.channel === raw(channel) &&
        Array.isArray(args.blocks) &&
        !except.some((c) => JSON.stringify(args.blocks).includes(c.escalationId)),
    );
    const escalationId = /"value":"(esc_[a-z0-9]+)"/.exec(JSON.stringify(post.args.blocks))?.[1] ?? '';
    const messageId = await eventually(
      async () => (await this.world.store.escalations.get(escalationId))?.cardMessageId,
      'the card to be recorded',
    );
    return { channel, messageId, escalationId };
  }

  cardText(card: StoryCard): string {
    const message = this.fake.message(raw(card.channel), card.messageId) as unknown as
      | { blocks?: unknown[] }
      | undefined;
    return JSON.stringify(message?.blocks ?? []);
  }

  async waitForCardText(card: StoryCard, text: string) {
    await eventually(() => this.cardText(card).includes(text), `card to show "${text}"`);
  }

  async click(card: StoryCard, button: CardButton, who: Person, inputs: Record<string, string> = {}) {
    const message = this.cardAsSeenWith(card, `escalator:${button}`);
    const opened = this.fake.callsTo('views.open').length;
    const repliesBefore = this.ephemerals(who).length;
    await ok(
      sendInteraction(
        this.eventsUrl,
        SLACK_SECRET,
        blockAction({
          actionId: `escalator:${button}`,
          channel: raw(card.channel),
          user: raw(who.id),
          message,
          messageTs: card.messageId,
        }),
      ),
    );
    if (button !== 'resolve' && button !== 'bounce' && button !== 'not_an_escalation') return;
    // The form opens unless the click was refused (then the person got a private answer).
    const open = await eventually(
      () =>
        this.fake.callsTo('views.open')[opened] ??
        (this.ephemerals(who).length > repliesBefore ? 'refused' : undefined),
      'the form',
    ).catch(() => 'refused');
    if (typeof open === 'string') return;
    const view = open.args.view as { callback_id: string; private_metadata: string };
    const values =
      button === 'resolve'
        ? {
            note: { value: inputs.note ?? '' },
            root_cause: { value: { select: inputs.rootCause ?? 'other' } },
            // Slack sends every input; an optional one left empty is null.
            answer: { value: inputs.answer ?? null },
          }
        : { reason: { value: inputs.reason ?? '' } };
    await ok(
      sendInteraction(
        this.eventsUrl,
        SLACK_SECRET,
        viewSubmission({
          callbackId: view.callback_id,
          privateMetadata: view.private_metadata,
          values: values as never,
          user: raw(who.id),
        }),
      ),
    );
  }

  /**
   * The card as the person's Slack client shows it: the newest version that still has the button.
   * A client that has not refreshed yet still shows buttons the card no longer has (stale clicks).
   */
  private cardAsSeenWith(card: StoryCard, actionId: string): Record<string, unknown> {
    const current = this.fake.message(raw(card.channel), card.messageId) as unknown as Record<
      string,
      unknown
    >;
    const versions = this.fake.calls
      .filter((c) => !c.failed && c.args.channel === raw(card.channel))
      .filter(
        (c) =>
          (c.method === 'chat.update' && c.args.ts === card.messageId) || c.method === 'chat.postMessage',
      )
      .map((c) => c.args.blocks)
      .filter(
        (blocks) =>
          JSON.stringify(blocks ?? '').includes(card.escalationId) &&
          JSON.stringify(blocks).includes(actionId),
      );
    return versions.length > 0 && !JSON.stringify(current.blocks).includes(actionId)
      ? { ...current, blocks: versions.at(-1) }
      : current;
  }

  notesIn(thread: StoryThread): string[] {
    return this.fake
      .callsTo('chat.postMessage')
      .filter(
        (c) => !c.failed && c.args.channel === raw(thread.channel) && c.args.thread_ts === thread.rootId,
      )
      .map((c) => String(c.args.text));
  }

  waitForNote(thread: StoryThread, text: string) {
    return eventually(() => this.notesIn(thread).find((n) => n.includes(text)), `a note with "${text}"`);
  }

  private ephemerals(who: Person): string[] {
    return this.ephemeralCalls(who).map((c) => String(c.args.text));
  }

  private ephemeralCalls(who: Person) {
    return this.fake.callsTo('chat.postEphemeral').filter((c) => !c.failed && c.args.user === raw(who.id));
  }

  waitForReplyTo(who: Person, text: string) {
    return eventually(
      () => this.ephemerals(who).find((t) => t.includes(text)),
      `a private reply with "${text}"`,
    );
  }

  /** The CSAT prompt Escalator posted into the thread (as Slack stores it). */
  private csatMessage(thread: StoryThread) {
    return eventually(
      () =>
        this.fake
          .messages(raw(thread.channel))
          .find(
            (m) => m.thread_ts === thread.rootId && JSON.stringify(m.blocks ?? []).includes('escalator:csat'),
          ),
      'the CSAT prompt in the thread',
    );
  }

  /** How many rating clicks were sent; each gets its own `response_url`, named after the prompt. */
  private csatClicks = 0;

  async csatPrompt(thread: StoryThread, text?: string): Promise<string> {
    const prompt = await this.csatMessage(thread);
    // An answer replaces the prompt through the click's response_url (`replace_original`).
    const shown = () => {
      const replaced = this.fake.responses
        .filter((r) => r.id.startsWith(`csat-${prompt.ts}-`))
        .map((r) => r.body as { replace_original?: boolean; text?: string })
        .filter((b) => b.replace_original)
        .at(-1);
      return replaced ? String(replaced.text) : JSON.stringify({ text: prompt.text, blocks: prompt.blocks });
    };
    return eventually(
      () => (text === undefined || shown().includes(text) ? shown() : undefined),
      `the CSAT prompt to show "${text}"`,
    );
  }

  async rateCsat(thread: StoryThread, who: Person, score: number) {
    const prompt = await this.csatMessage(thread);
    const blocks = JSON.stringify(prompt.blocks ?? []);
    const escalationId = /"value":"(esc_[a-z0-9]+):\d+"/.exec(blocks)?.[1] ?? '';
    const actionId = `escalator:csat_${score}`;
    this.csatClicks += 1;
    await ok(
      sendInteraction(
        this.eventsUrl,
        SLACK_SECRET,
        blockAction({
          actionId,
          channel: raw(thread.channel),
          user: raw(who.id),
          message: prompt as unknown as Record<string, unknown>,
          messageTs: prompt.ts,
          threadTs: thread.rootId,
          // No such button (a forged or stale click): the value carries the score anyway.
          ...(blocks.includes(`"${actionId}"`)
            ? {}
            : { value: `${escalationId}:${score}`, blockId: 'escalator_csat' }),
          responseUrl: this.fake.responseUrl(`csat-${prompt.ts}-${this.csatClicks}`),
        }),
      ),
    );
  }

  async digestOf(channel: string): Promise<PostedDigest> {
    const call = await this.fake.waitFor(
      'files.completeUploadExternal',
      (args, c) => !c.failed && args.channel_id === raw(channel),
    );
    const fileId = (call.args.files as Array<{ id: string }>)[0]!.id;
    const bytes = this.fake.file(fileId)?.bytes;
    if (!bytes) throw new Error(`digest chart ${fileId} was never uploaded`);
    return { text: JSON.stringify(call.args.blocks), png: bytes };
  }

  digestsPosted(channel: string): number {
    return this.fake
      .callsTo('files.completeUploadExternal')
      .filter((c) => !c.failed && c.args.channel_id === raw(channel)).length;
  }

  async askForDigest(who: Person, request: string): Promise<string> {
    const response = await ok(
      sendCommand(
        this.eventsUrl,
        SLACK_SECRET,
        slashCommand({
          command: '/escalation-digest',
          text: request,
          channel: raw(this.channel('leads')),
          user: raw(who.id),
        }),
      ),
    );
    const body = JSON.parse(response.text) as { response_type?: string };
    if (body?.response_type !== 'ephemeral')
      throw new Error(`the digest answer is not ephemeral: ${response.text}`);
    return response.text;
  }

  cardsPosted(channel: string): number {
    return this.fake
      .callsTo('chat.postMessage')
      .filter((c) => !c.failed && c.args.channel === raw(channel) && Array.isArray(c.args.blocks)).length;
  }

  async mentionBotAs(who: Person, thread: StoryThread, command: string) {
    const event = appMentionEvent({
      channel: raw(thread.channel),
      user: raw(who.id),
      threadTs: thread.rootId,
      text: `<@U0BOT> ${command}`,
    });
    await ok(sendEvent(this.eventsUrl, SLACK_SECRET, event));
  }

  async setMembers(channelOrGroup: string, people: Person[], options: { announce?: boolean } = {}) {
    const id = raw(channelOrGroup);
    const members = SlackMembers.of(this.fake);
    const users = people.map((p) => raw(p.id));
    if (id.startsWith('S')) return members.setGroup(id, users);
    const before = members.channel(id);
    members.setChannel(id, users);
    if (!options.announce) return;
    const changes = [
      ...users.filter((u) => !before.includes(u)).map((u) => ['member_joined_channel', u] as const),
      ...before.filter((u) => !users.includes(u)).map((u) => ['member_left_channel', u] as const),
    ];
    for (const [type, user] of changes) {
      const event = { type, user, channel: id, channel_type: 'C', team: 'T0HOME', event_ts: slackTs() };
      await ok(
        sendEvent(this.eventsUrl, SLACK_SECRET, { ...appMentionEvent(), event, event_id: newEventId() }),
      );
    }
  }

  repliesTo(who: Person): string[] {
    return this.ephemerals(who);
  }

  async beforeEscalating(
    thread: StoryThread,
    how: { form: true; reason?: string } | { mention: string },
  ): Promise<string[]> {
    const agent = this.people.agent;
    if ('mention' in how) {
      const before = this.ephemeralCalls(agent).length;
      await this.mentionBotAs(agent, thread, how.mention);
      // Every mention is answered privately in its thread: the suggestions, or the escalation (or why not).
      const answer = await eventually(
        () =>
          this.ephemeralCalls(agent)
            .slice(before)
            .find((c) => c.args.thread_ts === thread.rootId),
        'an answer to the mention',
      );
      const blocks = (answer.args.blocks as unknown[] | undefined) ?? [];
      const shown = suggestionsIn(blocks);
      if (shown.length > 0) {
        this.offers.set(thread.rootId, {
          kind: 'message',
          blocks,
          channel: raw(thread.channel),
          threadTs: thread.rootId,
        });
      }
      return shown;
    }
    const opened = this.fake.callsTo('views.open').length;
    await this.useEscalateShortcut(thread);
    const call = await eventually(() => this.fake.callsTo('views.open')[opened], 'the escalate form');
    const viewId = call.viewId ?? '';
    this.offers.set(thread.rootId, { kind: 'modal', viewId });
    if (how.reason !== undefined) {
      // The agent types a reason, then picks the thread again: the form looks again with their words.
      const view = this.fake.view(viewId)!;
      const picked = (
        view.blocks as Array<{ block_id: string; element?: { initial_option?: { value: string } } }>
      ).find((b) => b.block_id === 'thread')?.element?.initial_option?.value;
      const updates = this.fake.callsTo('views.update').length;
      await ok(
        sendInteraction(
          this.eventsUrl,
          SLACK_SECRET,
          viewBlockAction({
            view,
            user: raw(agent.id),
            blockId: 'thread',
            actionId: 'value',
            selected: picked,
            values: { thread: { value: { select: picked ?? null } }, reason: { value: how.reason } },
          }),
        ),
      );
      await eventually(
        () =>
          this.fake
            .callsTo('views.update')
            .slice(updates)
            .find((c) => c.viewId === viewId),
        'the form to show the suggestions for what the agent wrote',
      );
    }
    return suggestionsIn(this.fake.view(viewId)?.blocks);
  }

  async thisSolvedIt(thread: StoryThread, pastNumber: number): Promise<string> {
    const offer = this.offers.get(thread.rootId);
    if (!offer) throw new Error('no suggestions were shown for this thread (call beforeEscalating first)');
    const agent = raw(this.people.agent.id);
    if (offer.kind === 'message') {
      return this.clickInMessage(offer, suggestionOf(offer.blocks, pastNumber), SOLVED);
    }
    const view = this.fake.view(offer.viewId)!;
    const updates = this.fake.callsTo('views.update').length;
    await ok(
      sendInteraction(
        this.eventsUrl,
        SLACK_SECRET,
        viewBlockAction({
          view,
          user: agent,
          blockId: suggestionOf(view.blocks, pastNumber),
          actionId: SOLVED,
        }),
      ),
    );
    await eventually(
      () =>
        this.fake
          .callsTo('views.update')
          .slice(updates)
          .find((c) => c.viewId === offer.viewId),
      'the form to say what happened',
    );
    return textsOf(this.fake.view(offer.viewId)?.blocks);
  }

  async escalateAnyway(thread: StoryThread): Promise<void> {
    const offer = this.offers.get(thread.rootId);
    if (offer?.kind !== 'message') {
      throw new Error(
        "no mention's suggestions are shown for this thread (the form's Escalate anyway is its submit)",
      );
    }
    await this.clickInMessage(offer, 'escalator_before_escalating', 'escalator:escalate_anyway');
  }

  /** Clicks a button in the private message of `offer`; returns what it was replaced with. */
  private async clickInMessage(
    offer: Extract<Offer, { kind: 'message' }>,
    blockId: string,
    actionId: string,
  ) {
    this.responseUrls += 1;
    const id = `respond-${this.responseUrls}`;
    await ok(
      sendInteraction(
        this.eventsUrl,
        SLACK_SECRET,
        ephemeralBlockAction({
          blocks: offer.blocks,
          channel: offer.channel,
          threadTs: offer.threadTs,
          user: raw(this.people.agent.id),
          blockId,
          actionId,
          responseUrl: this.fake.responseUrl(id),
        }),
      ),
    );
    const response = await this.fake.waitForResponse((_body, r) => r.id === id && !r.failed);
    return String((response.body as { text?: string }).text ?? '');
  }

  async viewConversation(card: StoryCard, who: Person, next = 0): Promise<string> {
    const opened = this.fake.callsTo('views.open').length;
    await ok(
      sendInteraction(
        this.eventsUrl,
        SLACK_SECRET,
        blockAction({
          actionId: 'escalator:view_conversation',
          channel: raw(card.channel),
          user: raw(who.id),
          message: this.fake.message(raw(card.channel), card.messageId) as unknown as Record<string, unknown>,
          messageTs: card.messageId,
        }),
      ),
    );
    const call = await eventually(
      () =>
        this.fake
          .callsTo('views.open')
          .slice(opened)
          .find((c) => (c.args.view as { callback_id?: string }).callback_id === 'escalator_transcript'),
      'the conversation to open',
    );
    const viewId = call.viewId ?? '';
    for (let i = 0; i < next; i++) {
      const updates = this.fake.callsTo('views.update').length;
      await ok(
        sendInteraction(
          this.eventsUrl,
          SLACK_SECRET,
          viewBlockAction({
            view: this.fake.view(viewId)!,
            user: raw(who.id),
            blockId: 'escalator_transcript_pages',
            actionId: 'escalator:transcript_newer',
          }),
        ),
      );
      await eventually(
        () =>
          this.fake
            .callsTo('views.update')
            .slice(updates)
            .find((c) => c.viewId === viewId),
        'the next page',
      );
    }
    const view = this.fake.view(viewId);
    return textsOf([view?.title, view?.blocks]);
  }

  memberLookups(channelOrGroup: string): number {
    const id = raw(channelOrGroup);
    return id.startsWith('S')
      ? this.fake.callsTo('usergroups.users.list').filter((c) => c.args.usergroup === id).length
      : this.fake.callsTo('conversations.members').filter((c) => c.args.channel === id && !c.args.cursor)
          .length;
  }
}

/** The suggestions among blocks (`escalator_suggestion_<n>` sections), their text in the order shown. */
function suggestionsIn(blocks: unknown): string[] {
  return ((blocks as Array<{ block_id?: string; text?: { text?: string } }> | undefined) ?? [])
    .filter((b) => b.block_id?.startsWith(SUGGESTION_BLOCK))
    .map((b) => b.text?.text ?? '');
}

/** The suggestion block of past escalation #`number` (its text starts `*#<number>*`). */
function suggestionOf(blocks: unknown, number: number): string {
  const block = ((blocks as Array<{ block_id?: string; text?: { text?: string } }> | undefined) ?? []).find(
    (b) => b.block_id?.startsWith(SUGGESTION_BLOCK) && b.text?.text?.startsWith(`*#${number}*`),
  );
  if (!block?.block_id) throw new Error(`past escalation #${number} is not among the suggestions shown`);
  return block.block_id;
}

/** Every text a view or message shows (titles, sections, context, buttons), one per line. */
export function textsOf(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    for (const [key, inner] of Object.entries(v)) {
      if (key === 'text' && typeof inner === 'string') out.push(inner);
      else walk(inner);
    }
  };
  walk(value);
  return out.join('\n');
}

async function ok(response: Promise<{ status: number; text: string }>) {
  const r = await response;
  if (r.status !== 200) throw new Error(`Slack request answered ${r.status}: ${r.text}`);
  return r;
}
