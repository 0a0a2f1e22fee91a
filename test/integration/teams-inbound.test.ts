import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/story/eventually.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import {
  adaptiveCardInvoke,
  channelMessage,
  mentionMessage,
  messageDelete,
  messageEdit,
  messageExtensionFetchTask,
  messageExtensionSubmitAction,
  postActivity,
  TEAMS_IDS,
  type TeamsActivity,
} from '../support/teams/index.js';
import { adaptiveCardProblems } from '../support/teams/validate-adaptive-card.js';

/**
 * What Teams sends Escalator besides the happy path, through the real `/api/messages` (botbuilder,
 * SQLite file, outbox, fake Bot Connector): redeliveries, edits and deletions, channels and threads
 * Escalator does not track, 1:1 chats, commands it does not know, half-filled forms and stale cards.
 * Every refusal says what to do instead.
 */

const { users, channels } = TEAMS_IDS;
const SUPPORT = `teams:${channels.support}`;

interface TaskResponse {
  task: { type: 'message' | 'continue'; value: unknown };
}
interface InvokeCard {
  statusCode: number;
  type: string;
  value: { type: string; body: Array<{ type: string; text?: string; color?: string }> };
}

describe('Teams: what arrives at /api/messages', () => {
  let world: StoryWorld;
  let chat: TeamsDriver;
  let url: string;

  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy('teams'));
    chat = new TeamsDriver(world);
    await chat.prepare();
    url = `${world.app.url}/api/messages`;
  });
  afterEach(async () => {
    await world.stop();
  });

  const post = async (activity: TeamsActivity | Record<string, unknown>) => {
    const response = await postActivity(url, activity);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response;
  };
  const serviceUrl = () => world.connector.serviceUrl;
  const replyTexts = () =>
    world.connector.calls
      .filter((c) => (c.kind === 'send' || c.kind === 'reply') && !c.failed)
      .map((c) => ({
        conversationId: c.conversationId,
        text: String((c.body as { text?: string }).text ?? ''),
      }));

  it('the same activity delivered twice is tracked once', async () => {
    const root = channelMessage({
      serviceUrl: serviceUrl(),
      user: users.customer,
      text: 'Refund never arrived',
    });
    const reply = channelMessage({
      serviceUrl: serviceUrl(),
      user: users.customer,
      text: 'It has been two weeks',
      threadRootId: root.id,
    });
    for (const activity of [root, root, reply, reply, root]) await post(activity);

    const issue = await world.store.issues.findByThread(SUPPORT, root.id);
    expect(issue).toMatchObject({ messageCount: 2, customerId: `teams:${users.customer.aadObjectId}` });
    const messages = await world.store.messages.listForIssue(issue!.id);
    expect(messages.map((m) => m.text)).toEqual(['Refund never arrived', 'It has been two weeks']);
    expect(await world.store.issues.nextNumber()).toBe(2);
  });

  it('edits and deletions are applied: the card shows the edited text, not the deleted one', async () => {
    const thread = await chat.customerPosts('Original first message');
    const second = channelMessage({
      serviceUrl: serviceUrl(),
      user: users.customer,
      text: 'Second message with a typpo',
      threadRootId: thread.rootId,
    });
    const third = channelMessage({
      serviceUrl: serviceUrl(),
      user: users.customer,
      text: 'Third message, my card number is 4111 1111 1111 1111',
      threadRootId: thread.rootId,
    });
    await post(second);
    await post(third);

    await post(
      messageEdit({
        serviceUrl: serviceUrl(),
        user: users.customer,
        id: thread.rootId,
        text: 'Edited: order A-7 was charged twice',
      }),
    );
    await post(
      messageEdit({
        serviceUrl: serviceUrl(),
        user: users.customer,
        id: second.id,
        threadRootId: thread.rootId,
        text: 'Second message, corrected',
      }),
    );
    await post(
      messageDelete({
        serviceUrl: serviceUrl(),
        user: users.customer,
        id: third.id,
        threadRootId: thread.rootId,
      }),
    );

    const issue = (await world.store.issues.findByThread(SUPPORT, thread.rootId))!;
    const stored = await world.store.messages.listForIssue(issue.id);
    expect(stored.map((m) => [m.text, Boolean(m.editedAt), Boolean(m.deletedAt)])).toEqual([
      ['Edited: order A-7 was charged twice', true, false],
      ['Second message, corrected', true, false],
      ['', false, true],
    ]);

    expect(await chat.escalateWithForm(thread, { reason: 'Double charge' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    const shown = chat.cardText(card);
    expect(shown).toContain('Edited: order A-7 was charged twice');
    expect(shown).toContain('Second message, corrected');
    expect(shown).not.toContain('Original first message');
    expect(shown).not.toContain('typpo');
    expect(shown).not.toContain('4111');
  });

  it('a message in a channel outside the policy is not tracked, and "Escalate" there explains support channels', async () => {
    const elsewhere = channelMessage({
      serviceUrl: serviceUrl(),
      user: users.customer,
      channelId: channels.general,
      text: 'Lunch at noon?',
    });
    await post(elsewhere);
    expect(await world.store.issues.findByThread(`teams:${channels.general}`, elsewhere.id)).toBeUndefined();
    expect(await world.store.issues.nextNumber()).toBe(1);

    const response = await post(
      messageExtensionFetchTask({ serviceUrl: serviceUrl(), user: users.agent, message: elsewhere }),
    );
    const { task } = response.body as TaskResponse;
    expect(task.type).toBe('message');
    expect(String(task.value)).toMatch(/only tracks threads in the support channels/);
  });

  it('"Escalate" on a thread Escalator never saw says so and what to do', async () => {
    // Posted before the app was added: Teams never sent it to the bot.
    const unseen = channelMessage({ serviceUrl: serviceUrl(), user: users.customer, text: 'Old thread' });
    const response = await post(
      messageExtensionFetchTask({ serviceUrl: serviceUrl(), user: users.agent, message: unseen }),
    );
    const { task } = response.body as TaskResponse;
    expect(task.type).toBe('message');
    expect(String(task.value)).toMatch(/has not seen this thread/);
    expect(String(task.value)).toMatch(/Ask the customer to reply in the thread, then escalate again/);
  });

  it('a 1:1 chat with the bot gets a reply telling where Escalator works', async () => {
    const inChannel = channelMessage({
      serviceUrl: serviceUrl(),
      user: users.agent,
      text: 'hi, can you help?',
    });
    const personal = {
      ...inChannel,
      conversation: {
        id: 'a:1AlicePersonalChatWithEscalator',
        conversationType: 'personal',
        tenantId: TEAMS_IDS.tenantId,
      },
      channelData: { tenant: { id: TEAMS_IDS.tenantId } },
      attachments: [],
    };
    await post(personal);
    const reply = await world.connector.waitFor(
      'reply',
      (c) => c.conversationId === personal.conversation.id,
    );
    expect(reply.activityId).toBe(personal.id);
    expect((reply.body as { text: string }).text).toMatch(/works in team channels/);
    expect((reply.body as { text: string }).text).toContain('@Escalator escalate');
    expect(await world.store.issues.nextNumber()).toBe(1);
  });

  it.each([
    ['help', 'help'],
    ['an unknown verb', 'dance'],
    ['nothing but the mention', ''],
  ])('@Escalator %s gets the usage, addressed to the person in the thread', async (_name, command) => {
    const thread = await chat.customerPosts('Where is my parcel?');
    await post(
      mentionMessage({
        serviceUrl: serviceUrl(),
        user: users.agent,
        text: command,
        threadRootId: thread.rootId,
      }),
    );
    const answer = await chat.waitForReplyTo(chat.people.agent, 'To escalate this thread');
    expect(answer).toBe(
      'Alice Agent: To escalate this thread, write "@Escalator escalate <reason>" in it (optionally "escalate to <path> P2 <reason>").',
    );
    const inThread = replyTexts().filter((r) => r.text === answer);
    expect(inThread).toEqual([
      { conversationId: `${channels.support};messageid=${thread.rootId}`, text: answer },
    ]);
    const issue = (await world.store.issues.findByThread(SUPPORT, thread.rootId))!;
    expect(await world.store.escalations.listForIssue(issue.id)).toEqual([]);
  });

  it('submitting the "Escalate" form without a reason shows the form again with the error', async () => {
    const root = channelMessage({
      serviceUrl: serviceUrl(),
      user: users.customer,
      text: 'App crashes on login',
    });
    await post(root);
    const fetched = (
      await post(messageExtensionFetchTask({ serviceUrl: serviceUrl(), user: users.agent, message: root }))
    ).body as TaskResponse;
    expect(fetched.task.type).toBe('continue');
    const form = (
      fetched.task.value as { card: { content: { actions: Array<{ data: { issueId: string } }> } } }
    ).card.content;
    const { issueId } = form.actions[0]!.data;

    for (const reason of ['', '   \n ']) {
      const submitted = (
        await post(
          messageExtensionSubmitAction({
            serviceUrl: serviceUrl(),
            user: users.agent,
            message: root,
            data: { issueId, path: 'tech', priority: 'P2', reason },
          }),
        )
      ).body as TaskResponse;
      expect(submitted.task.type).toBe('continue');
      const again = submitted.task.value as {
        title: string;
        card: { contentType: string; content: { body: Array<{ text?: string; color?: string }> } };
      };
      expect(again.title).toBe('Escalate thread');
      expect(again.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(again.card.content.body[0]).toMatchObject({
        text: 'Say why: the specialist reads this first.',
        color: 'Attention',
      });
      expect(JSON.stringify(again.card.content)).toContain('App crashes on login');
    }
    expect(await world.store.escalations.listForIssue(issueId)).toEqual([]);
    expect(world.connector.callsOf('create_conversation')).toEqual([]);
  });

  it.each(['claim', 'resolve', 'bounce', 'escalate_further'])(
    'a "%s" click on a card whose escalation does not exist answers 200 with a card saying so',
    async (verb) => {
      const response = await post(
        adaptiveCardInvoke({
          serviceUrl: serviceUrl(),
          user: users.specialist,
          verb,
          data: { escalationId: 'esc_doesnotexist', note: 'n', rootCause: 'other', reason: 'r' },
        }),
      );
      const answer = response.body as InvokeCard;
      expect(answer.statusCode).toBe(200);
      expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
      expect(answer.value.body).toEqual([
        expect.objectContaining({
          type: 'TextBlock',
          text: '⚠️ That escalation no longer exists.',
          color: 'Attention',
        }),
      ]);
      expect(adaptiveCardProblems(answer.value)).toEqual([]);
      await world.app.dispatcher.idle();
      expect(world.connector.calls).toEqual([]);
    },
  );

  it('a click with a verb the card never had answers with the card and a warning', async () => {
    const thread = await chat.customerPosts('Invoice PDF is empty');
    await chat.escalateWithForm(thread, { reason: 'PDF generator' });
    const card = await chat.waitForCard(chat.channel('l2'));
    const response = await post(
      adaptiveCardInvoke({
        serviceUrl: serviceUrl(),
        user: users.specialist,
        verb: 'delete_everything',
        data: { escalationId: card.escalationId },
        replyToId: card.messageId,
      }),
    );
    const answer = response.body as InvokeCard;
    expect(answer.statusCode).toBe(200);
    expect(answer.value.body[0]).toMatchObject({
      text: '⚠️ Unknown action "delete_everything".',
      color: 'Attention',
    });
    expect(JSON.stringify(answer.value)).toContain('Escalation #1');
    expect(adaptiveCardProblems(answer.value)).toEqual([]);
    expect((await world.store.escalations.get(card.escalationId))?.status).toBe('open');
  });

  it('every card returned by a click is a valid Adaptive Card', async () => {
    const thread = await chat.customerPosts('Cannot export reports');
    await chat.escalateWithForm(thread, { reason: 'Export job stuck' });
    const card = await chat.waitForCard(chat.channel('l2'));
    const click = async (verb: string, data: Record<string, string> = {}) => {
      const response = await post(
        adaptiveCardInvoke({
          serviceUrl: serviceUrl(),
          user: users.specialist,
          verb,
          data: { escalationId: card.escalationId, ...data },
          replyToId: card.messageId,
        }),
      );
      return (response.body as InvokeCard).value;
    };
    // Resolve without a root cause: the card comes back with what is missing.
    const missing = await click('resolve', { note: 'Restarted the job' });
    expect(missing.body[0]).toMatchObject({ text: '⚠️ Pick the root cause, then Resolve again.' });
    for (const value of [missing, await click('claim'), await click('claim')]) {
      expect(adaptiveCardProblems(value)).toEqual([]);
    }
    await eventually(
      async () => (await world.store.escalations.get(card.escalationId))?.status === 'claimed',
      'claim',
    );
  });
});
