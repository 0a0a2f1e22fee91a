import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasButton } from '../support/checker/cards.js';
import {
  type ClockedDriver,
  ClockedSlackDriver,
  ClockedTeamsDriver,
} from '../support/checker/clocked-drivers.js';
import { MINUTE, sydney } from '../support/checker/local-time.js';
import type { StoryThread } from '../support/story/platform-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';

/**
 * Content triggers read every customer message; the next checker tick escalates what they found,
 * with the evidence on the card. Example policy: manager requests, high value (P2, AUD 10,000 and
 * over), legal (P1) and dissatisfaction all go to the management path (Team lead channel).
 */
describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new ClockedSlackDriver(w)],
  ['Teams', 'teams' as const, (w: StoryWorld) => new ClockedTeamsDriver(w)],
])('%s: content triggers', (_name, layout, makeDriver) => {
  let world: StoryWorld;
  let chat: ClockedDriver;

  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy(layout));
    chat = makeDriver(world);
    await chat.prepare();
    world.clock.set(sydney('2026-03-10 10:00')); // Tuesday morning: no SLA is near
  });
  afterEach(async () => {
    await world.stop();
  });

  const leads = () => chat.channel('leads');

  async function escalationsOf(thread: StoryThread) {
    const issue = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    return world.store.escalations.listForIssue(issue.id);
  }

  it('high value: an amount over the threshold fires, with the amount and the threshold on the card', async () => {
    const thread = await chat.customerPosts(
      'We are about to lose a $12,500 order because checkout keeps rejecting our card.',
    );
    expect(chat.cardsPosted(leads())).toBe(0);
    await world.tick();
    const card = await chat.waitForCard(leads());
    const text = chat.cardText(card);
    expect(text).toContain('High value');
    expect(text).toContain('Escalation #1 · P2'); // the trigger's priority
    // Card text is JSON, so the quotes around the matched amount read \".
    expect(text).toContain('Amount \\"$12,500\\" (AUD 12,500)');
    expect(text).toContain('the AUD 10,000 threshold');
    expect(text).toContain('$ taken as AUD');
    expect(text).toContain('Team lead');
    expect(hasButton(text, 'not_an_escalation')).toBe(true);
    await chat.waitForNote(thread, 'Escalated to');
    expect((await escalationsOf(thread))[0]).toMatchObject({ trigger: 'high_value', priority: 'P2' });
  });

  it('high value: a small amount does not fire', async () => {
    await chat.customerPosts('I was charged $45 twice for the same order, can you refund one?');
    await world.tick();
    await world.tick(MINUTE);
    expect(chat.cardsPosted(leads())).toBe(0);
  });

  it('legal: the legal words are on the card and the escalation is P1', async () => {
    const thread = await chat.customerPosts(
      'Your app showed my address to another customer. That is a privacy breach and I have reported it to the OAIC.',
    );
    await world.tick();
    const card = await chat.waitForCard(leads());
    const text = chat.cardText(card);
    expect(text).toContain('Legal / compliance');
    expect(text).toContain('Escalation #1 · P1');
    expect(text).toContain('privacy breach');
    expect(text).toContain('OAIC');
    expect(text).toContain('Legal, compliance or safety terms');
    expect((await escalationsOf(thread))[0]?.evidence.matched).toEqual(
      expect.arrayContaining(['privacy breach', 'OAIC']),
    );
  });

  it('dissatisfaction: the churn phrase and the sentiment score are on the card', async () => {
    await chat.customerPosts(
      'This is useless and a complete waste of money. Cancel my account today, we are switching to another provider.',
    );
    await world.tick();
    const card = await chat.waitForCard(leads());
    const text = chat.cardText(card);
    expect(text).toContain('Dissatisfaction');
    // The churn phrases that matched, and the score with the words that made it.
    expect(text).toMatch(/Churn phrase \\"Cancel my account\\"/i);
    expect(text).toMatch(/Churn phrase \\"switching to/i);
    expect(text).toMatch(/Sentiment score -\d+ \(AFINN, threshold -3\b[^)]*\): [^"]*useless -\d/);
  });

  it('fires once per issue and kind: two manager requests in one thread make one card', async () => {
    const thread = await chat.customerPosts('I want to speak to your manager about this invoice.');
    await chat.customerRepliesIn(thread, 'Please put me through to a supervisor, I have waited long enough.');
    await world.tick();
    await chat.waitForCard(leads());
    await world.tick(MINUTE);
    await chat.customerRepliesIn(thread, 'Hello? I asked to speak to a manager.');
    await world.tick(MINUTE);
    expect(chat.cardsPosted(leads())).toBe(1);
    expect(await escalationsOf(thread)).toHaveLength(1);
    expect(chat.notesIn(thread).filter((n) => n.includes('Escalated to'))).toHaveLength(1);
  });

  it('a negated ask does not fire', async () => {
    await chat.customerPosts('No need for a manager, thanks, the refund arrived and we are all good.');
    await world.tick();
    expect(chat.cardsPosted(leads())).toBe(0);
  });

  it('another trigger on an escalated thread adds its evidence to the open card; after resolution a new ask fires again', async () => {
    const thread = await chat.customerPosts('I want to speak to your manager about this invoice.');
    await world.tick();
    const card = await chat.waitForCard(leads());

    await world.tick(MINUTE);
    await chat.customerRepliesIn(thread, 'If this is not sorted by Friday, our lawyer will be in touch.');
    await world.tick();
    await chat.waitForCardText(card, 'Also: Legal, compliance or safety terms');
    const text = chat.cardText(card);
    expect(text).toContain('lawyer');
    expect(text).toContain('Escalation #1 · P1'); // legal raises the open card's priority
    expect(text).toContain('Manager request'); // still the card the manager request raised
    expect(chat.cardsPosted(leads())).toBe(1);
    expect(await escalationsOf(thread)).toHaveLength(1);

    // A team lead sorts it out and resolves the card.
    await world.tick(MINUTE);
    await chat.click(card, 'resolve', chat.people.specialist, {
      note: 'Called the customer, invoice corrected.',
      rootCause: 'customer_request',
    });
    await chat.waitForCardText(card, 'Resolved by');
    await world.tick(MINUTE);
    expect(chat.cardsPosted(leads())).toBe(1); // resolution alone re-fires nothing

    // Weeks later the same thread: a new ask after resolution is a new occurrence.
    await world.tick(MINUTE);
    await chat.customerRepliesIn(thread, 'The invoice is wrong again. I want to speak to your manager.');
    await world.tick();
    const again = await chat.waitForCard(leads(), [card]);
    expect(chat.cardText(again)).toContain('Escalation #2');
    expect(chat.cardText(again)).toContain('Manager request');
    expect((await escalationsOf(thread)).map((e) => [e.number, e.status])).toEqual([
      [1, 'resolved'],
      [2, 'open'],
    ]);
  });
});
