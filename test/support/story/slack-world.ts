import { randomBytes } from 'node:crypto';
import {
  blockAction,
  type FakeSlackApi,
  type FakeSlackCall,
  messageEvent,
  messageShortcut,
  type SimpleStateValues,
  sendCommand,
  sendEvent,
  sendInteraction,
  slackTs,
  slashCommand,
  viewSubmission,
} from '../slack/index.js';
import { viewBlockAction } from '../slack/view-actions.js';
import { eventually } from './eventually.js';
import { storyPolicy } from './story-policy.js';
import { SLACK_SECRET, StoryWorld } from './story-world.js';

export const SECRET = SLACK_SECRET;
export const CUSTOMER = 'U0CUSTOMER';
export const CUSTOMER_TEAM = 'T0CUSTOMER';
export const AGENT = 'U0ALICE';
export const SPECIALIST = 'U0BOB';
export const OTHER_SPECIALIST = 'U0CAROL';
export const SUPPORT = 'C0SUPPORT';
export const L2 = 'C0L2';
export const L3 = 'C0L3';

/**
 * A StoryWorld seen from Slack only, with helpers named for what Slack users do; used by the
 * Slack-specific tests (slash command picker, retries, signatures, outages).
 */
export class SlackWorld extends StoryWorld {
  static override async start(): Promise<SlackWorld> {
    const world = new SlackWorld(storyPolicy('slack'));
    await world.open();
    return world;
  }

  get fake(): FakeSlackApi {
    return this.slackApi;
  }

  get eventsUrl(): string {
    return `${this.app.url}/slack/events`;
  }

  /** A customer (Slack Connect guest) starts a thread; resolves once the issue is tracked. */
  async customerPosts(text: string, threadTs?: string): Promise<string> {
    const ts = slackTs();
    const envelope = messageEvent({
      channel: SUPPORT,
      user: CUSTOMER,
      team: CUSTOMER_TEAM,
      text,
      ts,
      threadTs,
    });
    await this.expectOk(sendEvent(this.eventsUrl, SECRET, envelope));
    await this.tracked(ts);
    return ts;
  }

  async agentReplies(threadTs: string, text: string): Promise<string> {
    const ts = slackTs();
    await this.expectOk(
      sendEvent(this.eventsUrl, SECRET, messageEvent({ channel: SUPPORT, user: AGENT, text, ts, threadTs })),
    );
    await this.tracked(ts);
    return ts;
  }

  /** Waits until the message is stored (listeners run after Bolt's ack). */
  tracked(ts: string) {
    return eventually(
      () => this.app.ctx.store.messages.findByMessageId(`slack:${SUPPORT}`, ts),
      `message ${ts} to be tracked`,
    );
  }

  issueOf(threadTs: string) {
    return eventually(
      () => this.app.ctx.store.issues.findByThread(`slack:${SUPPORT}`, threadTs),
      `issue of ${threadTs}`,
    );
  }

  sendEscalateCommand(text: string, channel = SUPPORT, user = AGENT) {
    return sendCommand(this.eventsUrl, SECRET, slashCommand({ channel, user, text }));
  }

  /** `/escalate` in the support channel; returns the modal Escalator opened. */
  async openEscalateModal(text = '', user = AGENT) {
    const before = this.fake.callsTo('views.open').length;
    const response = await sendCommand(
      this.eventsUrl,
      SECRET,
      slashCommand({ channel: SUPPORT, user, text }),
    );
    if (response.status !== 200) throw new Error(`/escalate answered ${response.status}`);
    const call = await eventually(() => this.fake.callsTo('views.open')[before], 'views.open');
    // Slack gives every opened modal its own view id; submissions carry it.
    return { ...(call.args.view as ModalView), id: `V${randomBytes(5).toString('hex').toUpperCase()}` };
  }

  /** Submits the escalate modal as Slack would, with the agent's choices. */
  submitEscalateModal(
    modal: ModalView,
    choice: {
      issueId: string;
      path?: string;
      priority?: string;
      reason: string;
      why?: string;
      viewId?: string;
    },
    user = AGENT,
  ) {
    const values: Record<string, unknown> = {
      thread: { value: { select: choice.issueId } },
      path: { value: { select: choice.path ?? 'tech' } },
      priority: { value: { select: choice.priority ?? 'P2' } },
      reason: { value: choice.reason },
      why: { value: { select: choice.why ?? 'knowledge_gap' } },
    };
    return sendInteraction(
      this.eventsUrl,
      SECRET,
      viewSubmission({
        callbackId: modal.callback_id,
        privateMetadata: modal.private_metadata,
        values: values as never,
        user,
        viewId: choice.viewId ?? modal.id,
      }),
    );
  }

  /** Escalates a thread through `/escalate` + modal and waits for the card in the L2 channel. */
  async escalate(threadTs: string, reason = 'Refund is beyond my authority') {
    const issue = await this.issueOf(threadTs);
    const modal = await this.openEscalateModal();
    await this.expectOk(this.submitEscalateModal(modal, { issueId: issue.id, reason }));
    await this.fake.waitFor('chat.postMessage', (args) => args.channel === L2 && Array.isArray(args.blocks));
    const escalation = await eventually(
      () => this.app.ctx.store.escalations.findActiveForIssue(issue.id),
      'escalation',
    );
    return {
      issue,
      escalation,
      cardTs: (await eventually(() => this.cardTs(escalation.id), 'card ts')) as string,
    };
  }

  async cardTs(escalationId: string) {
    return (await this.app.ctx.store.escalations.get(escalationId))?.cardMessageId ?? undefined;
  }

  /** Clicks a button on a posted card, sending the card as Slack stores it. */
  click(
    action: 'claim' | 'resolve' | 'bounce' | 'escalate_further',
    channel: string,
    cardTs: string,
    user = SPECIALIST,
  ) {
    const message = this.fake.message(channel, cardTs) as unknown as Record<string, unknown>;
    return sendInteraction(
      this.eventsUrl,
      SECRET,
      blockAction({ actionId: `escalator:${action}`, channel, user, message, messageTs: cardTs }),
    );
  }

  /** Submits the resolve or bounce modal that the last `views.open` showed. */
  async submitLastModal(values: Record<string, unknown>, user = SPECIALIST) {
    const view = this.fake.callsTo('views.open').at(-1)!.args.view as ModalView;
    return sendInteraction(
      this.eventsUrl,
      SECRET,
      viewSubmission({
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: values as never,
        user,
      }),
    );
  }

  /** Text of the thread notes Escalator posted into a support thread. */
  notesIn(threadTs: string): string[] {
    return this.fake
      .callsTo('chat.postMessage')
      .filter((c) => !c.failed && c.args.channel === SUPPORT && c.args.thread_ts === threadTs)
      .map((c) => String(c.args.text));
  }

  /** Everything visible on a card right now (all block texts joined). */
  cardText(channel: string, ts: string): string {
    const message = this.fake.message(channel, ts) as unknown as { blocks?: unknown[] } | undefined;
    return JSON.stringify(message?.blocks ?? []);
  }

  /**
   * Resolves an escalation from its card as the specialist: Resolve, then the form with a note, the
   * root cause and (optionally) the reusable answer; waits until it is resolved.
   */
  async resolve(
    escalationId: string,
    cardTs: string,
    form: { note: string; rootCause?: string; answer?: string },
    user = SPECIALIST,
  ) {
    const opened = this.fake.callsTo('views.open').length;
    await this.expectOk(this.click('resolve', L2, cardTs, user));
    const call = await eventually(() => this.fake.callsTo('views.open')[opened], 'the resolve form');
    const view = call.args.view as ModalView;
    const submitted = await this.expectOk(
      sendInteraction(
        this.eventsUrl,
        SECRET,
        viewSubmission({
          callbackId: view.callback_id,
          privateMetadata: view.private_metadata,
          values: {
            note: { value: form.note },
            root_cause: { value: { select: form.rootCause ?? 'knowledge_gap' } },
            answer: { value: form.answer ?? null },
          },
          user,
        }),
      ),
    );
    if (submitted.text) throw new Error(`the resolve form was refused: ${submitted.text}`);
    await eventually(
      async () => (await this.app.ctx.store.escalations.get(escalationId))?.status === 'resolved',
      'the escalation to be resolved',
    );
  }

  /** The agent's "Escalate thread" shortcut on a thread's message; returns the form Escalator opened. */
  async openFormFromShortcut(threadTs: string, user = AGENT): Promise<OpenView> {
    const before = this.fake.callsTo('views.open').length;
    await this.expectOk(
      sendInteraction(
        this.eventsUrl,
        SECRET,
        messageShortcut({
          channel: SUPPORT,
          user,
          message: { ts: threadTs, text: 'customer message', user: CUSTOMER },
        }),
      ),
    );
    const call = await eventually(() => this.fake.callsTo('views.open')[before], 'the escalate form');
    return this.openView(call);
  }

  /** A view as Slack shows it now (the fake keeps its latest version), by the call that opened it. */
  openView(call: FakeSlackCall): OpenView {
    const id = call.viewId;
    if (!id) throw new Error(`${call.method} opened no view`);
    const view = this.fake.view(id);
    if (!view) throw new Error(`the fake has no view ${id}`);
    return view as unknown as OpenView;
  }

  /** The latest version of an open view. */
  currentView(id: string): OpenView {
    return this.fake.view(id) as unknown as OpenView;
  }

  /**
   * A click (or a pick in a `dispatch_action` select) inside an open modal, sent with the modal as
   * the person's Slack shows it. Resolves once Escalator has changed the modal (`views.update`),
   * or with `waitForUpdate: false` as soon as Slack has the answer to the click.
   */
  async clickInView(
    view: OpenView,
    click: {
      blockId: string;
      actionId: string;
      selected?: string;
      values?: SimpleStateValues;
      triggerId?: string;
      actionTs?: string;
    },
    options: { user?: string; waitForUpdate?: boolean } = {},
  ): Promise<FakeSlackCall | undefined> {
    const updates = this.fake.callsTo('views.update').length;
    await this.expectOk(
      sendInteraction(
        this.eventsUrl,
        SECRET,
        viewBlockAction({
          view: view as unknown as Record<string, unknown>,
          user: options.user ?? AGENT,
          ...click,
        }),
      ),
    );
    if (options.waitForUpdate === false) return undefined;
    return eventually(
      () =>
        this.fake
          .callsTo('views.update')
          .slice(updates)
          .find((c) => c.args.view_id === view.id),
      `Escalator to answer in view ${view.id}`,
    );
  }

  ephemeralsTo(user: string): string[] {
    return this.fake
      .callsTo('chat.postEphemeral')
      .filter((c) => !c.failed && c.args.user === user)
      .map((c) => String(c.args.text));
  }

  async expectOk(response: Promise<{ status: number; text: string }>) {
    const r = await response;
    if (r.status !== 200) throw new Error(`Slack request answered ${r.status}: ${r.text}`);
    return r;
  }
}

export interface ModalView {
  id?: string;
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  blocks: Array<{
    block_id: string;
    element: {
      options?: Array<{ text: { text: string }; value: string }>;
      initial_option?: { value: string };
    };
  }>;
}

/** A modal as the fake keeps it after `views.open`/`views.update`: what the person sees, with its id and hash. */
export interface OpenView {
  id: string;
  hash: string;
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  submit?: { text: string } | null;
  blocks: Array<{
    type: string;
    block_id?: string;
    dispatch_action?: boolean;
    text?: { type: string; text: string };
    elements?: Array<{ type: string; action_id?: string; value?: string; text?: { text: string } | string }>;
    accessory?: { type: string; action_id: string; value?: string; text: { text: string } };
    element?: { options?: Array<{ value: string }>; initial_option?: { value: string } };
  }>;
}
