import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDriver } from '../support/story/local-driver.js';
import type { StoryCard, StoryThread } from '../support/story/platform-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';

const FIRST_PROBLEM = 'The CSV export fails with error 500 every time I export my invoices.';
const SIMILAR_PROBLEM = 'Exporting invoices to CSV fails, I get an error 500 on each export.';
const DISSIMILAR_PROBLEM = 'Please change the delivery address on my account to our new office.';
const ANSWER =
  'Ask them to open Settings, Data and press "Clear export cache"; exports work again a minute later.';

/**
 * Issue #11 in the simulated local workspace, through its JSON API over real HTTP as the page uses
 * it: "View conversation" on every card (a page at a time), and "before you escalate" for
 * `@Escalator escalate …` (the workspace has no escalate form; `/escalate` is its submit).
 */
describe('the local workspace: similar past escalations and the whole conversation', () => {
  let world: StoryWorld;
  let chat: LocalDriver;
  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy('local'), { localWorkspace: '/local' });
    chat = new LocalDriver(world);
    await chat.prepare();
  });
  afterEach(async () => {
    await world.stop();
  });

  async function solvedOnce(answer?: string): Promise<StoryCard> {
    const thread = await chat.customerPosts(FIRST_PROBLEM);
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

  async function escalationsOf(thread: StoryThread) {
    const issue = await world.store.issues.findByThread(thread.channel, thread.rootId);
    if (!issue) throw new Error('thread not tracked');
    return { issue, escalations: await world.store.escalations.listForIssue(issue.id) };
  }

  it('"View conversation" on a card shows the whole thread, page by page', async () => {
    const thread = await chat.customerPosts('Our dashboard shows no data since the migration.');
    for (let i = 1; i <= 44; i++) {
      // People write seconds apart: the workspace's message ids are not in time order, so messages
      // stamped in the same millisecond would have no order of their own.
      world.clock.advance(1_000);
      if (i % 2) await chat.customerReplies(thread, `Customer detail number ${i}`);
      else await chat.agentReplies(thread, `Agent answer number ${i}`);
    }
    expect(await chat.escalateWithForm(thread, { reason: 'Data missing after migration' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    expect(chat.cardText(card)).toContain('View conversation (45)');

    const firstPage = await chat.viewConversation(card, chat.people.specialist);
    expect(firstPage).toMatch(/^Page 1 of 2 · 45 messages/);
    expect(firstPage).toContain(
      'Casey Customer (customer): Our dashboard shows no data since the migration.',
    );
    expect(firstPage).toContain('Alex Agent (staff): Agent answer number 2');
    expect(firstPage).not.toContain('Agent answer number 44');

    const secondPage = await chat.viewConversation(card, chat.people.specialist, 1);
    expect(secondPage).toMatch(/^Page 2 of 2/);
    expect(secondPage).toContain('Agent answer number 44');
    expect(secondPage).not.toContain('Our dashboard shows no data since the migration.');
    // Five messages on the last page: 45 = 40 + 5.
    expect(secondPage.split('\n')).toHaveLength(1 + 5);
  });

  it('the transcript API explains what it needs', async () => {
    const card = await solvedOnce();
    const get = async (query: string) => {
      const response = await fetch(`${world.app.url}/local/api/transcript${query}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await get('')).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('?escalation=') },
    });
    expect(await get('?escalation=esc_nope')).toMatchObject({
      status: 404,
      body: { error: 'That escalation no longer exists.' },
    });
    expect(await get(`?escalation=${card.escalationId}&page=two`)).toMatchObject({
      status: 400,
      body: { error: 'page must be a whole number from 0 (the first page), not "two".' },
    });
    // A page past the end shows the last one.
    expect(await get(`?escalation=${card.escalationId}&page=9`)).toMatchObject({
      status: 200,
      body: { page: 0, pages: 1, pageLabel: 'Page 1 of 1 · 1 message' },
    });
  });

  it('@Escalator escalate on a similar thread offers the earlier fix first; "Escalate anyway" then escalates', async () => {
    const first = await solvedOnce(ANSWER);
    const thread = await chat.customerPosts(SIMILAR_PROBLEM);

    const offered = await chat.beforeEscalating(thread, { mention: 'escalate export still failing' });
    expect(offered).toHaveLength(1);
    expect(offered[0]).toContain('#1');
    expect(offered[0]).toContain('Clear export cache');
    expect(offered[0]).toContain('Sam Specialist');
    expect((await escalationsOf(thread)).escalations).toEqual([]);

    await chat.escalateAnyway(thread);
    const card = await chat.waitForCard(chat.channel('l2'), [first]);
    expect(chat.cardText(card)).toContain('export still failing');
    expect(chat.cardText(card)).toContain('Similar past escalations');
    await chat.waitForNote(thread, 'Escalated to');
    const [escalation] = (await escalationsOf(thread)).escalations;
    expect(escalation?.reason).toBe('export still failing');
  });

  it('"This solved it" closes the thread without a card and counts as deflected', async () => {
    await solvedOnce(ANSWER);
    const thread = await chat.customerPosts(SIMILAR_PROBLEM);
    await chat.beforeEscalating(thread, { mention: 'escalate export broken again' });

    const answer = await chat.thisSolvedIt(thread, 1);
    expect(answer).toContain('escalation #1');
    const note = await chat.waitForNote(thread, 'Solved without escalating');
    expect(note).toContain('escalation #1');
    const { issue, escalations } = await escalationsOf(thread);
    expect(issue.status).toBe('resolved');
    expect(escalations).toEqual([]);
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
    const deflections = await world.store.knowledge.listDeflections(
      new Date(0),
      new Date('9999-12-31T00:00:00Z'),
    );
    expect(deflections).toMatchObject([{ issueId: issue.id, actor: chat.people.agent.id, source: 'local' }]);
  });

  it('a dissimilar thread is escalated by the mention at once; the workspace has no form to offer anything in', async () => {
    const first = await solvedOnce(ANSWER);
    const thread = await chat.customerPosts(DISSIMILAR_PROBLEM);
    await expect(chat.beforeEscalating(thread, { form: true })).rejects.toThrow(/no escalate form/);
    expect(
      await chat.beforeEscalating(thread, { mention: 'escalate address change needs an admin' }),
    ).toEqual([]);
    const card = await chat.waitForCard(chat.channel('l2'), [first]);
    expect(chat.cardText(card)).toContain('address change needs an admin');
    expect(chat.cardText(card)).not.toContain('Similar past escalations');
  });
});
