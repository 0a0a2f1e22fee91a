import { blockAction, messageShortcut, sendInteraction, slackTs, viewSubmission } from '../slack/index.js';
import {
  adaptiveCardInvoke,
  messageExtensionFetchTask,
  messageExtensionSubmitAction,
  postActivity,
  TEAMS_IDS,
  type TeamsActivity,
} from '../teams/index.js';
import { eventually } from './eventually.js';
import type { EscalateChoice, Person, StoryCard, StoryThread } from './platform-driver.js';
import { SLACK_SECRET, type StoryWorld } from './story-world.js';

/** What the person saw after submitting: nothing to fix (`refused` absent) or why not. */
export interface Submitted {
  refused?: string;
  /** Teams answers a submit with a message; Slack's confirmation comes separately (ephemeral). */
  answer?: string;
}

/**
 * A form opened once and submitted as often as a test likes: the same submission each time (the same
 * Slack view id, the same Teams invoke activity), as a double click or a platform's redelivery
 * would send it. Opening and submitting are apart so a test can time the submit against other work.
 */
export interface OpenForm {
  submit(): Promise<Submitted>;
}

export interface FormSubmitter {
  /** The escalate form on a thread, opened by `who` and filled with `choice`. */
  openEscalateForm(thread: StoryThread, who: Person, choice: EscalateChoice): Promise<OpenForm>;
  /** The Resolve form of a card (Slack: the modal the button opens; Teams: the card's inline inputs). */
  openResolveForm(card: StoryCard, who: Person, note: string, rootCause: string): Promise<OpenForm>;
}

const rawSlack = (id: string) => id.replace(/^slack:/, '');
const rawTeams = (id: string) => id.replace(/^teams:/, '');

export class SlackFormSubmitter implements FormSubmitter {
  constructor(private readonly world: StoryWorld) {}

  private get url() {
    return `${this.world.app.url}/slack/events`;
  }

  /** Sends an interaction and waits for the `views.open` it leads to. */
  private async opened(payload: unknown) {
    const before = this.world.slackApi.callsTo('views.open').length;
    const response = await sendInteraction(this.url, SLACK_SECRET, payload);
    if (response.status !== 200) throw new Error(`Slack answered ${response.status}`);
    const call = await eventually(() => this.world.slackApi.callsTo('views.open')[before], 'the form');
    return call.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Array<{ block_id: string; element?: { initial_option?: { value: string } } }>;
    };
  }

  private form(view: { callback_id: string; private_metadata: string }, who: Person, values: unknown) {
    const payload = viewSubmission({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      user: rawSlack(who.id),
      viewId: `V${slackTs().replace('.', '')}`,
      values: values as never,
    });
    return {
      submit: async (): Promise<Submitted> => {
        const response = await sendInteraction(this.url, SLACK_SECRET, payload);
        if (response.status !== 200) throw new Error(`Slack answered ${response.status}`);
        const errors = (response.json as { errors?: Record<string, string> } | undefined)?.errors;
        return errors ? { refused: Object.values(errors).join(' ') } : {};
      },
    };
  }

  async openEscalateForm(thread: StoryThread, who: Person, choice: EscalateChoice): Promise<OpenForm> {
    const view = await this.opened(
      messageShortcut({
        channel: rawSlack(thread.channel),
        user: rawSlack(who.id),
        message: { ts: thread.rootId, text: 'customer message', user: 'U0CUSTOMER' },
      }),
    );
    const picked = view.blocks.find((b) => b.block_id === 'thread')?.element?.initial_option?.value ?? '';
    return this.form(view, who, {
      thread: { value: { select: picked } },
      path: { value: { select: choice.path ?? 'tech' } },
      priority: { value: { select: choice.priority ?? 'P2' } },
      reason: { value: choice.reason },
      why: { value: { select: choice.why ?? 'knowledge_gap' } },
    });
  }

  async openResolveForm(card: StoryCard, who: Person, note: string, rootCause: string): Promise<OpenForm> {
    const channel = rawSlack(card.channel);
    const view = await this.opened(
      blockAction({
        actionId: 'escalator:resolve',
        channel,
        user: rawSlack(who.id),
        message: this.world.slackApi.message(channel, card.messageId) as unknown as Record<string, unknown>,
        messageTs: card.messageId,
      }),
    );
    return this.form(view, who, {
      note: { value: note },
      root_cause: { value: { select: rootCause } },
    });
  }
}

export class TeamsFormSubmitter implements FormSubmitter {
  constructor(private readonly world: StoryWorld) {}

  private get url() {
    return `${this.world.app.url}/api/messages`;
  }

  private userOf(who: Person) {
    const user = Object.values(TEAMS_IDS.users).find((u) => `teams:${u.aadObjectId}` === who.id);
    if (!user) throw new Error(`no Teams user for ${who.id}`);
    return user;
  }

  private async post(activity: TeamsActivity) {
    const response = await postActivity(this.url, activity);
    if (response.status !== 200) throw new Error(`Teams answered ${response.status}`);
    return response.body;
  }

  async openEscalateForm(thread: StoryThread, who: Person, choice: EscalateChoice): Promise<OpenForm> {
    const on = {
      serviceUrl: this.world.connector.serviceUrl,
      user: this.userOf(who),
      channelId: rawTeams(thread.channel),
      messagePayload: { id: thread.rootId, replyToId: null },
    };
    const fetched = (await this.post(messageExtensionFetchTask(on))) as {
      task: { type: string; value: { card: { content: { actions: Array<{ data: object }> } } } };
    };
    if (fetched.task.type !== 'continue') throw new Error(`no form: ${JSON.stringify(fetched.task)}`);
    const submit = messageExtensionSubmitAction({
      ...on,
      data: {
        ...fetched.task.value.card.content.actions[0]!.data,
        path: choice.path ?? 'tech',
        priority: choice.priority ?? 'P2',
        reason: choice.reason,
        why: choice.why ?? 'knowledge_gap',
      },
    });
    return {
      submit: async () => {
        const answer = (await this.post(submit)) as { task: { type: string; value: unknown } };
        const text = typeof answer.task.value === 'string' ? answer.task.value : JSON.stringify(answer.task);
        return text.startsWith('Escalated to') ? { answer: text } : { refused: text, answer: text };
      },
    };
  }

  async openResolveForm(card: StoryCard, who: Person, note: string, rootCause: string): Promise<OpenForm> {
    const click = adaptiveCardInvoke({
      serviceUrl: this.world.connector.serviceUrl,
      user: this.userOf(who),
      verb: 'resolve',
      data: { escalationId: card.escalationId, note, rootCause },
      replyToId: card.messageId,
      channelId: rawTeams(card.channel),
    });
    return {
      submit: async () => {
        const answer = (await this.post(click)) as {
          value: { body: Array<{ color?: string; text?: string }> };
        };
        const warning = answer.value.body.find((b) => b.color === 'Attention')?.text;
        return warning ? { refused: warning } : {};
      },
    };
  }
}
