import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformDriver, StoryCard, StoryThread } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';

const FIRST_PROBLEM = 'The CSV export fails with error 500 every time I export my invoices.';
const SIMILAR_PROBLEM = 'Exporting invoices to CSV fails, I get an error 500 on each export.';
const DISSIMILAR_PROBLEM = 'Please change the delivery address on my account to our new office.';
const ANSWER =
  'Ask them to open Settings, Data and press "Clear export cache"; exports work again a minute later.';

/**
 * "Help the frontline resolve more", told once and run on Slack and on Teams through each
 * platform's real stack: a resolved escalation (with a reusable answer) is offered to the next agent
 * with the same problem before they escalate, on the card if they escalate anyway, and "This solved
 * it" closes the thread without a card; every card opens the whole conversation.
 */
describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new SlackDriver(w)],
  ['Teams', 'teams' as const, (w: StoryWorld) => new TeamsDriver(w)],
])('%s: similar past escalations and full transcripts', (_name, layout, makeDriver) => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy(layout));
    chat = makeDriver(world);
    await chat.prepare();
  });
  afterEach(async () => {
    await world.stop();
  });

  /** A first thread about the export, escalated and resolved as a knowledge gap with a reusable answer. */
  async function solvedOnce(answer?: string): Promise<StoryCard> {
    const thread = await chat.customerPosts(FIRST_PROBLEM);
    await chat.agentReplies(thread, 'Sorry, let me find out what is going on.');
    expect(await chat.escalateWithForm(thread, { reason: 'Export broken, no idea why' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    await chat.click(card, 'resolve', chat.people.specialist, {
      note: 'Cleared the stale export cache for the account.',
      rootCause: 'knowledge_gap',
      ...(answer ? { answer } : {}),
    });
    await chat.waitForCardText(card, 'Resolved by');
    return card;
  }

  it('a similar new thread is offered the earlier fix in the form, and on the card when escalated anyway', async () => {
    const first = await solvedOnce();
    const thread = await chat.customerPosts(SIMILAR_PROBLEM);

    const offered = await chat.beforeEscalating(thread, { form: true });
    expect(offered).toHaveLength(1);
    expect(offered[0]).toContain('#1');
    expect(offered[0]).toContain('Cleared the stale export cache');
    expect(offered[0]).toContain('Knowledge gap');
    expect(offered[0]).toContain(chat.people.specialist.shownAs);

    // "Escalate anyway": the form's submit goes on as before.
    expect(await chat.escalateWithForm(thread, { reason: 'Same export error again' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'), [first]);
    const text = chat.cardText(card);
    expect(text).toContain('Similar past escalations');
    expect(text).toContain('#1');
    expect(text).toContain('Cleared the stale export cache');
  });

  it('"This solved it" closes the thread without a card, credits the earlier fix and counts as deflected', async () => {
    await solvedOnce();
    const thread = await chat.customerPosts(SIMILAR_PROBLEM);
    await chat.beforeEscalating(thread, { form: true });

    const answer = await chat.thisSolvedIt(thread, 1);
    expect(answer).toContain('#1');
    const note = await chat.waitForNote(thread, 'Solved without escalating');
    expect(note).toContain('escalation #1');
    expect(note).toContain('Cleared the stale export cache');

    const issue = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    expect(issue.status).toBe('resolved');
    // No escalation, so no card: the note came through the thread's outbox line, where a card would be.
    expect(await world.store.escalations.listForIssue(issue.id)).toEqual([]);
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
    const deflections = await world.store.knowledge.listDeflections(
      new Date(0),
      new Date('2100-01-01T00:00:00Z'),
    );
    expect(deflections).toMatchObject([{ issueId: issue.id, actor: chat.people.agent.id }]);
  });

  it('a dissimilar thread is offered nothing, and its card has no similar past escalations', async () => {
    const first = await solvedOnce();
    const thread = await chat.customerPosts(DISSIMILAR_PROBLEM);
    expect(await chat.beforeEscalating(thread, { form: true })).toEqual([]);
    expect(await chat.escalateWithForm(thread, { reason: 'Address change needs account admin' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'), [first]);
    expect(chat.cardText(card)).toContain('Address change needs account admin');
    expect(chat.cardText(card)).not.toContain('Similar past escalations');
  });

  it("a knowledge-gap resolution's reusable answer is what the next agent is shown first", async () => {
    await solvedOnce(ANSWER);
    const thread = await chat.customerPosts(SIMILAR_PROBLEM);
    const [first] = await chat.beforeEscalating(thread, { form: true });
    expect(first).toContain('Clear export cache');
    expect(first).toContain('#1');
    const [entry] = await world.store.knowledge.listAnswers();
    expect(entry).toMatchObject({ answer: ANSWER, rootCause: 'knowledge_gap', escalationNumber: 1 });
  });

  it('@Escalator escalate on a similar thread shows the suggestions first; "Escalate anyway" then escalates', async () => {
    const first = await solvedOnce(ANSWER);
    const thread = await chat.customerPosts(SIMILAR_PROBLEM);

    const offered = await chat.beforeEscalating(thread, { mention: 'escalate export still failing' });
    expect(offered[0]).toContain('Clear export cache');
    expect(await world.store.escalations.listForIssue(await issueIdOf(thread))).toEqual([]);

    await chat.escalateAnyway(thread);
    const card = await chat.waitForCard(chat.channel('l2'), [first]);
    expect(chat.cardText(card)).toContain('export still failing');
    await chat.waitForNote(thread, 'Escalated to');
    const [escalation] = await world.store.escalations.listForIssue(await issueIdOf(thread));
    expect(escalation?.reason).toBe('export still failing');
  });

  it('"View conversation" on a card shows the whole thread, page by page', async () => {
    const thread = await chat.customerPosts('Our dashboard shows no data since the migration.');
    for (let i = 1; i <= 44; i++) {
      if (i % 2) await chat.customerReplies(thread, `Customer detail number ${i}`);
      else await chat.agentReplies(thread, `Agent answer number ${i}`);
    }
    expect(await chat.escalateWithForm(thread, { reason: 'Data missing after migration' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));

    const firstPage = await chat.viewConversation(card, chat.people.specialist);
    expect(firstPage).toContain('Our dashboard shows no data since the migration.');
    expect(firstPage).toContain('Customer detail number 1');
    expect(firstPage).not.toContain('Agent answer number 44');
    expect(firstPage).toMatch(/page 1 of 2/i);

    const secondPage = await chat.viewConversation(card, chat.people.specialist, 1);
    expect(secondPage).toContain('Agent answer number 44');
    expect(secondPage).not.toContain('Our dashboard shows no data since the migration.');
    expect(secondPage).toMatch(/page 2 of 2/i);
  });

  async function issueIdOf(thread: StoryThread): Promise<string> {
    const issue = await world.store.issues.findByThread(thread.channel, thread.rootId);
    if (!issue) throw new Error('thread not tracked');
    return issue.id;
  }
});
