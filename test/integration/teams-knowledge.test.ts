import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { type CardElement, TeamsDriver, visibleText } from '../support/story/teams-driver.js';
import {
  adaptiveCardInvoke,
  channelMessage,
  mentionMessage,
  messageExtensionFetchTask,
  messageExtensionSubmitAction,
  postActivity,
  TEAMS_IDS,
  type TeamsActivity,
  taskFetch,
  taskSubmit,
  threadConversationId,
} from '../support/teams/index.js';
import { adaptiveCardProblems, cardBytes } from '../support/teams/validate-adaptive-card.js';

/**
 * The Teams side of "help the frontline resolve more" beyond the shared story, through the real
 * `/api/messages` (botbuilder), a real database, the outbox and the fake Bot Connector: what the
 * escalate form shows, "This solved it" sent twice, the mention's card clicked twice, the
 * conversation dialog at both ends, and the reusable answer kept from Resolve.
 */

const { users, channels } = TEAMS_IDS;
const FIRST_PROBLEM = 'The CSV export fails with error 500 every time I export my invoices.';
const SIMILAR_PROBLEM = 'Exporting invoices to CSV fails, I get an error 500 on each export.';
const ANSWER = 'Open Settings, Data and press "Clear export cache"; exports work a minute later.';

interface TaskAnswer {
  task: { type: 'message' | 'continue'; value: unknown };
}
interface InvokeCard {
  statusCode: number;
  type: string;
  value: CardElement & { type: string };
}

const all = (e: CardElement): CardElement[] => [
  e,
  ...[...(e.body ?? []), ...(e.items ?? []), ...(e.actions ?? [])].flatMap(all),
];

describe('Teams: before escalating, and the whole conversation', () => {
  let world: StoryWorld;
  let chat: TeamsDriver;

  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy('teams'));
    chat = new TeamsDriver(world);
    await chat.prepare();
  });
  afterEach(async () => {
    await world.stop();
  });

  const serviceUrl = () => world.connector.serviceUrl;
  const post = async (activity: TeamsActivity) => {
    const response = await postActivity(`${world.app.url}/api/messages`, activity);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  /** A first export thread, escalated and resolved by Bob as a knowledge gap. */
  async function solvedOnce(inputs: Record<string, string> = {}) {
    const thread = await chat.customerPosts(FIRST_PROBLEM);
    expect(await chat.escalateWithForm(thread, { reason: 'Export broken, no idea why' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    await chat.click(card, 'resolve', chat.people.specialist, {
      note: 'Cleared the stale export cache for the account.',
      rootCause: 'knowledge_gap',
      ...inputs,
    });
    await chat.waitForCardText(card, 'Resolved by');
    return card;
  }

  /** A new customer post in the support channel (the activity, to use message actions on it). */
  async function customerPost(text: string): Promise<TeamsActivity> {
    const root = channelMessage({ serviceUrl: serviceUrl(), user: users.customer, text });
    await post(root);
    return root;
  }

  async function openForm(root: TeamsActivity) {
    const { task } = (await post(
      messageExtensionFetchTask({ serviceUrl: serviceUrl(), user: users.agent, message: root }),
    )) as TaskAnswer;
    expect(task.type).toBe('continue');
    return task.value as { height: string; card: { contentType: string; content: CardElement } };
  }

  it('the form shows the similar past escalation with its facts, a valid card under 28 KB', async () => {
    await solvedOnce();
    world.clock.advance(3 * 24 * 3_600_000);
    const root = await customerPost(SIMILAR_PROBLEM);
    const opened = await openForm(root);
    const form = opened.card.content;
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(cardBytes(form)).toBeLessThan(28 * 1024);
    expect(opened.height).toBe('large');

    const [entry] = await world.store.knowledge.listResolvedSince(new Date(0), 10);
    const issue = (await world.store.issues.findByThread(chat.channel('support'), root.id))!;
    const suggestions = all(form).filter((e) => e.type === 'Container');
    expect(suggestions).toHaveLength(1);
    const shown = visibleText(suggestions[0]!);
    expect(shown).toContain('**#1** · Knowledge gap');
    expect(shown).toContain('Resolved by Bob Specialist 3d ago');
    expect(shown).toContain('Cleared the stale export cache for the account.');
    expect(shown).toContain(
      `[Open thread](https://teams.microsoft.com/l/message/${encodeURIComponent(channels.support)}/`,
    );
    expect(all(suggestions[0]!).find((e) => e.title === 'This solved it')).toEqual({
      type: 'Action.Submit',
      title: 'This solved it',
      associatedInputs: 'none',
      data: { solvedEntryId: entry!.id, issueId: issue.id },
    });
    expect(form.actions).toEqual([
      { type: 'Action.Submit', title: 'Escalate anyway', data: { issueId: issue.id } },
    ]);
  });

  it('"This solved it" submitted twice (a redelivery) closes the thread and counts once', async () => {
    await solvedOnce();
    const root = await customerPost(SIMILAR_PROBLEM);
    const form = (await openForm(root)).card.content;
    const solved = all(form).find((e) => e.title === 'This solved it')!;
    const submit = messageExtensionSubmitAction({
      serviceUrl: serviceUrl(),
      user: users.agent,
      message: root,
      data: solved.data,
    });

    const first = (await post(submit)) as TaskAnswer;
    expect(first.task).toEqual({
      type: 'message',
      value: "Closed issue #2 with escalation #1's fix, without escalating. The thread says so.",
    });
    const again = (await post(submit)) as TaskAnswer;
    expect(again.task).toEqual({ type: 'message', value: 'That was already recorded.' });
    // The form still open elsewhere, clicked later: the thread is already closed.
    const later = (await post(
      messageExtensionSubmitAction({
        serviceUrl: serviceUrl(),
        user: users.agent,
        message: root,
        data: solved.data,
      }),
    )) as TaskAnswer;
    expect(later.task).toEqual({ type: 'message', value: 'Issue #2 is already closed.' });

    const thread = { channel: chat.channel('support'), rootId: root.id };
    await chat.waitForNote(thread, 'Solved without escalating');
    await world.app.dispatcher.idle();
    expect(chat.notesIn(thread).filter((n) => n.includes('Solved without escalating'))).toHaveLength(1);
    const deflections = await world.store.knowledge.listDeflections(
      new Date(0),
      new Date('2100-01-01T00:00:00Z'),
    );
    expect(deflections).toHaveLength(1);
    const issue = (await world.store.issues.findByThread(thread.channel, root.id))!;
    expect(issue.status).toBe('resolved');
    expect(await world.store.escalations.listForIssue(issue.id)).toEqual([]);
  });

  it('@Escalator escalate offers the fixes once; "Escalate anyway" clicked twice escalates once', async () => {
    await solvedOnce({ answer: ANSWER });
    const root = await customerPost(SIMILAR_PROBLEM);
    const mention = mentionMessage({
      serviceUrl: serviceUrl(),
      user: users.agent,
      text: 'escalate P2 export still failing',
      channelId: channels.support,
      threadRootId: root.id,
    });
    await post(mention);
    await post(mention); // Teams redelivers what it thinks went unanswered
    const conversation = threadConversationId(channels.support, root.id);
    const offers = world.connector.calls.filter(
      (c) => c.conversationId === conversation && JSON.stringify(c.body).includes('"verb":"solved_it"'),
    );
    expect(offers).toHaveLength(1);
    const offer = (offers[0]!.body as { attachments: Array<{ content: CardElement }> }).attachments[0]!
      .content;
    expect(adaptiveCardProblems(offer)).toEqual([]);
    expect(visibleText(offer)).toContain('Alice Agent: a similar escalation was solved before.');
    expect(visibleText(offer)).toContain('**#1** · 📘 Answer');
    expect(visibleText(offer)).toContain('Clear export cache');
    const issue = (await world.store.issues.findByThread(chat.channel('support'), root.id))!;
    expect(await world.store.escalations.listForIssue(issue.id)).toEqual([]);

    const anyway = offer.actions!.find((a) => a.verb === 'escalate_anyway')!;
    expect(anyway.data).toEqual({ issueId: issue.id, reason: 'export still failing', priority: 'P2' });
    const click = adaptiveCardInvoke({
      serviceUrl: serviceUrl(),
      user: users.agent,
      verb: 'escalate_anyway',
      data: anyway.data,
      replyToId: offers[0]!.newActivityId!,
      conversationId: conversation,
    });
    for (const answer of [(await post(click)) as InvokeCard, (await post(click)) as InvokeCard]) {
      expect(answer.statusCode).toBe(200);
      expect(adaptiveCardProblems(answer.value)).toEqual([]);
      expect(visibleText(answer.value)).toBe(
        '⏫ Escalated to L2 Tech as #2. Updates will appear in this thread.',
      );
      expect(all(answer.value).filter((e) => e.type?.startsWith('Action.'))).toEqual([]);
    }
    const escalations = await world.store.escalations.listForIssue(issue.id);
    expect(escalations).toMatchObject([{ number: 2, reason: 'export still failing', priority: 'P2' }]);
  });

  it('when the offer of past fixes cannot be posted, the mention escalates as asked (nothing is lost)', async () => {
    await solvedOnce({ answer: ANSWER });
    const root = await customerPost(SIMILAR_PROBLEM);
    const conversation = threadConversationId(channels.support, root.id);
    // The connector refuses the one reply that would carry the offer.
    world.connector.failWhen(
      '*',
      (c) => c.conversationId === conversation && JSON.stringify(c.body ?? '').includes('solved_it'),
      { status: 403, code: 'Forbidden' },
    );
    await post(
      mentionMessage({
        serviceUrl: serviceUrl(),
        user: users.agent,
        text: 'escalate export still failing',
        channelId: channels.support,
        threadRootId: root.id,
      }),
    );
    const issue = (await world.store.issues.findByThread(chat.channel('support'), root.id))!;
    expect(await world.store.escalations.listForIssue(issue.id)).toMatchObject([
      { number: 2, reason: 'export still failing', status: 'open' },
    ]);
    await chat.waitForNote({ channel: chat.channel('support'), rootId: root.id }, 'Escalated to');
  });

  it('"This solved it" on the mention\'s card closes the thread; the card keeps no buttons', async () => {
    await solvedOnce();
    const root = await customerPost(SIMILAR_PROBLEM);
    const thread = { channel: chat.channel('support'), rootId: root.id };
    const offered = await chat.beforeEscalating(thread, { mention: 'escalate export broken again' });
    expect(offered).toHaveLength(1);

    const answer = await chat.thisSolvedIt(thread, 1);
    expect(answer).toBe(
      "✅ Closed issue #2 with escalation #1's fix, without escalating. The thread says so.",
    );
    await chat.waitForNote(thread, 'Solved without escalating');
    const issue = (await world.store.issues.findByThread(thread.channel, root.id))!;
    expect(issue.status).toBe('resolved');

    // Someone clicks the same suggestion again (a new click): it says how things stand.
    await chat.thisSolvedIt(thread, 1);
    expect(chat.repliesTo(chat.people.agent)).toEqual(['⚠️ Issue #2 is already closed.']);
    const deflections = await world.store.knowledge.listDeflections(
      new Date(0),
      new Date('2100-01-01T00:00:00Z'),
    );
    expect(deflections).toHaveLength(1);
    expect(await world.store.escalations.listForIssue(issue.id)).toEqual([]);
  });

  it('the conversation dialog pages from the first page to the last and back, and clamps forged pages', async () => {
    const thread = await chat.customerPosts('Our dashboard shows no data since the migration.');
    for (let i = 1; i <= 44; i++) {
      if (i % 2) await chat.customerReplies(thread, `Customer detail number ${i}`);
      else await chat.agentReplies(thread, `Agent answer number ${i}`);
    }
    expect(await chat.escalateWithForm(thread, { reason: 'Data missing after migration' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    const bob = chat.people.specialist;

    const [first, last, back] = await chat.conversationDialog(card, bob, ['Newer', 'Older']);
    const titles = (d: CardElement) => (d.actions ?? []).map((a) => a.title);
    const messages = (d: CardElement) =>
      (d.body ?? []).filter((e) => e.type === 'Container').map((c) => c.items![1]!.text);
    for (const dialog of [first!, last!, back!]) {
      expect(adaptiveCardProblems(dialog)).toEqual([]);
      expect(cardBytes(dialog)).toBeLessThan(28 * 1024);
    }
    expect(visibleText(first!)).toContain('Page 1 of 2 · 45 messages');
    expect(titles(first!)).toEqual(['Newer']);
    expect(messages(first!)).toHaveLength(40);
    expect(messages(first!)[0]).toBe('Our dashboard shows no data since the migration.');
    expect(visibleText(first!)).toMatch(/\*\*Carla Customer\*\* · customer · /);
    expect(visibleText(first!)).toMatch(/\*\*Alice Agent\*\* · /);

    expect(visibleText(last!)).toContain('Page 2 of 2 · 45 messages');
    expect(titles(last!)).toEqual(['Older']);
    expect(messages(last!)).toEqual([
      'Agent answer number 40',
      'Customer detail number 41',
      'Agent answer number 42',
      'Customer detail number 43',
      'Agent answer number 44',
    ]);
    expect(back).toEqual(first);

    // Pages a client could not have asked for show the nearest end.
    const submit = async (data: Record<string, unknown>) =>
      (await post(
        taskSubmit({
          serviceUrl: serviceUrl(),
          user: users.specialist,
          data,
          replyToId: card.messageId,
        }),
      )) as TaskAnswer;
    const dialog = (answer: TaskAnswer) =>
      (answer.task.value as { card: { content: CardElement } }).card.content;
    const past = await submit({ escalationId: card.escalationId, view: 'conversation', page: 99 });
    expect(visibleText(dialog(past))).toContain('Page 2 of 2');
    const before = await submit({ escalationId: card.escalationId, view: 'conversation', page: -3 });
    expect(visibleText(dialog(before))).toContain('Page 1 of 2');

    // An escalation that does not exist, and a dialog Escalator never opened, are answered in words.
    const gone = (await post(
      taskFetch({
        serviceUrl: serviceUrl(),
        user: users.specialist,
        data: { msteams: { type: 'task/fetch' }, escalationId: 'esc_doesnotexist', view: 'conversation' },
      }),
    )) as TaskAnswer;
    expect(gone.task).toEqual({ type: 'message', value: 'That escalation no longer exists.' });
    const unknown = await submit({ somethingElse: true });
    expect(unknown.task.type).toBe('message');
    expect(String(unknown.task.value)).toMatch(/does not know that dialog/);
  });

  it('Resolve keeps the reusable answer for the frontline; a blank one is no answer', async () => {
    const first = await solvedOnce({ answer: `  ${ANSWER}\n` });
    const [kept] = await world.store.knowledge.listAnswers();
    expect(kept).toMatchObject({ answer: ANSWER, rootCause: 'knowledge_gap', escalationNumber: 1 });

    const second = await chat.customerPosts('Invoices PDF download shows a blank page.');
    expect(await chat.escalateWithForm(second, { reason: 'Blank PDF' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'), [first]);
    await chat.click(card, 'resolve', chat.people.specialist, {
      note: 'Regenerated the PDF.',
      rootCause: 'system_issue',
      answer: '   ',
    });
    await chat.waitForCardText(card, 'Resolved by');
    const entries = await world.store.knowledge.listResolvedSince(new Date(0), 10);
    expect(entries.find((e) => e.escalationNumber === 2)).toMatchObject({
      answer: null,
      resolutionNote: 'Regenerated the PDF.',
    });
    expect(await world.store.knowledge.listAnswers()).toHaveLength(1);
  });
});
