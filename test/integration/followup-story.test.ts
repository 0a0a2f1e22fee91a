import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/domain/policy.js';
import type { PlatformDriver, StoryCard, StoryThread } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import { adaptiveCardProblems } from '../support/teams/validate-adaptive-card.js';

const DAY = 24 * 3_600_000;

/**
 * Follow-up after an escalation, told once and run on Slack and on Teams through each platform's
 * real stack: the CSAT prompt and its answer, the resolver hearing that the customer came back,
 * ping-pong between levels and re-escalation marked on the next card.
 */
describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new SlackDriver(w)],
  ['Teams', 'teams' as const, (w: StoryWorld) => new TeamsDriver(w)],
])('%s: follow-up after an escalation', (_name, layout, makeDriver) => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  const policy = (): Policy => {
    const base = storyPolicy(layout);
    return { ...base, followUp: { csat: true, reopenWithinMs: 7 * DAY } };
  };
  beforeEach(async () => {
    world = await StoryWorld.start(policy());
    chat = makeDriver(world);
    await chat.prepare();
  });
  afterEach(async () => {
    await world.stop();
  });

  /** A thread escalated to L2 and resolved there by the specialist. */
  async function resolvedThread(text = 'Order A-1042 was charged twice.') {
    const thread = await chat.customerPosts(text);
    await chat.escalateWithForm(thread, { reason: 'Double charge needs a refund' });
    const card = await chat.waitForCard(chat.channel('l2'));
    await chat.click(card, 'resolve', chat.people.specialist, {
      note: 'Refunded the duplicate charge.',
      rootCause: 'authority_gap',
    });
    await chat.waitForCardText(card, 'Resolved by');
    return { thread, card };
  }

  const cardThread = (card: StoryCard): StoryThread => ({ channel: card.channel, rootId: card.messageId });

  it('after a resolution the thread asks the agent to confirm and the customer to rate; the first rating counts and shows on the card', async () => {
    const { customer, agent, otherSpecialist } = chat.people;
    const { thread, card } = await resolvedThread();

    const note = await chat.waitForNote(thread, 'Refunded the duplicate charge.');
    expect(note).toContain(`${agent.shownAs}, please confirm with the customer that this fixed it`);
    const prompt = await chat.csatPrompt(thread);
    expect(prompt).toContain('How did we do with escalation #1?');
    for (const score of [1, 2, 3, 4, 5]) expect(prompt).toContain(` ${score}`);
    if (layout === 'teams') {
      const activity = JSON.parse(prompt) as Array<{ content: unknown }>;
      expect(adaptiveCardProblems(activity[0]!.content)).toEqual([]);
    }

    await chat.rateCsat(thread, customer, 4);
    expect(await chat.csatPrompt(thread, 'rated 4/5')).toContain(`Thanks, ${customer.shownAs} rated 4/5`);
    await chat.waitForCardText(card, 'CSAT');
    expect(chat.cardText(card)).toContain('4/5');
    expect(await world.store.csat.forEscalation(card.escalationId)).toMatchObject({
      score: 4,
      respondent: customer.id,
    });

    // A second click, by anyone, is told and changes nothing.
    await chat.rateCsat(thread, otherSpecialist, 1);
    expect(await chat.waitForReplyTo(otherSpecialist, 'already rated')).toContain(
      `already rated 4/5 by ${customer.shownAs}`,
    );
    expect(await world.store.csat.forEscalation(card.escalationId)).toMatchObject({ score: 4 });
    expect(chat.cardText(card)).not.toContain('1/5');
  });

  it('a score outside 1 to 5 is refused and stores nothing', async () => {
    const { customer } = chat.people;
    const { thread, card } = await resolvedThread();
    await chat.csatPrompt(thread);
    await chat.rateCsat(thread, customer, 9);
    expect(await chat.waitForReplyTo(customer, 'from 1 (poor) to 5 (great)')).toBeTruthy();
    expect(await world.store.csat.forEscalation(card.escalationId)).toBeUndefined();
  });

  it('the customer writing again soon after the resolution reopens the issue and tells the resolver on the card', async () => {
    const { specialist } = chat.people;
    const { thread, card } = await resolvedThread();
    world.clock.advance(2 * DAY);
    await chat.customerReplies(thread, 'Hi again, the refund has not arrived and the charge is still there.');

    const told = await chat.waitForNote(cardThread(card), 'the customer wrote again');
    expect(told).toContain(
      `${specialist.shownAs} the customer wrote again in issue #1 after you resolved escalation #1: Hi again, the refund has not arrived`,
    );
    const issue = await world.store.issues.findByThread(thread.channel, thread.rootId);
    expect(issue?.status).toBe('open');
  });

  it('after the window the customer writing again reopens the issue silently', async () => {
    const { thread, card } = await resolvedThread();
    world.clock.advance(8 * DAY);
    await chat.customerReplies(thread, 'Hello, one more question about the invoice.');
    const issue = await world.store.issues.findByThread(thread.channel, thread.rootId);
    expect(issue?.status).toBe('open');
    await world.app.dispatcher.kick();
    await world.app.dispatcher.idle();
    expect(chat.notesIn(cardThread(card))).toEqual([]);
  });

  it('bounced from L3 to L2 twice: the next L2 card flags ping-pong', async () => {
    // One specialist sends it up, another sends it back (escalating further tells the first privately).
    const { specialist, otherSpecialist } = chat.people;
    const thread = await chat.customerPosts('The API returns error 502 on every call since the upgrade.');
    await chat.escalateWithForm(thread, { reason: 'Looks like a platform bug' });
    const seenL2: StoryCard[] = [await chat.waitForCard(chat.channel('l2'))];
    const seenL3: StoryCard[] = [];

    for (const round of [1, 2]) {
      await chat.click(seenL2.at(-1)!, 'escalate_further', specialist);
      const l3 = await chat.waitForCard(chat.channel('l3'), seenL3);
      seenL3.push(l3);
      await chat.click(l3, 'bounce', otherSpecialist, {
        reason: `Not ours, round ${round}: check the gateway config.`,
      });
      const back = await chat.waitForCard(chat.channel('l2'), seenL2);
      seenL2.push(back);
      if (round === 1) expect(chat.cardText(back)).not.toContain('Ping-pong');
    }
    await chat.waitForNote(thread, 'round 2');
    expect(chat.cardText(seenL2.at(-1)!)).toContain('Ping-pong');
    expect(chat.cardText(seenL2.at(-1)!)).toContain('Escalation #5');
  });

  it('a thread escalated again after its escalation was resolved is marked as a re-escalation of the earlier one', async () => {
    const { thread, card } = await resolvedThread();
    await chat.customerReplies(thread, 'It happened again on order A-1043.');
    await chat.waitForNote(cardThread(card), 'the customer wrote again');

    expect(await chat.escalateWithForm(thread, { reason: 'Charged twice again' })).toEqual({});
    const again = await chat.waitForCard(chat.channel('l2'), [card]);
    expect(chat.cardText(again)).toContain('Escalation #2');
    expect(chat.cardText(again)).toContain('Re-escalation of #1');
    expect((await world.store.escalations.get(again.escalationId))?.reescalationOf).toBe(card.escalationId);
  });
});
