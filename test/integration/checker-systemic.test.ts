import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClockedSlackDriver, type SlackCustomer } from '../support/checker/clocked-drivers.js';
import { MINUTE, sydney } from '../support/checker/local-time.js';
import type { StoryThread } from '../support/story/platform-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';

/**
 * Systemic problems: several customers report the same thing at once (an outage). The example
 * policy's `systemic` is 3 threads from different customers within 1h, similarity 0.5, escalated
 * to tech level 2 (L3 Engineering). One card stands for all the threads, lists them and links
 * them; later similar threads join it.
 */
const company = (user: string, team: string): SlackCustomer => ({ user, team });
const dave = company('U0DAVE', 'T0DAVECO');
const erin = company('U0ERIN', 'T0ERINCO');
const frank = company('U0FRANK', 'T0FRANKCO');
const gina = company('U0GINA', 'T0GINACO');
const hugo = company('U0HUGO', 'T0HUGOCO');

const OUTAGE = [
  'Checkout fails with error 502 when paying by card',
  'Checkout fails with a 502 error when we pay by credit card',
  'Paying by card at checkout fails, error 502',
  'Hi team, checkout is failing with error 502 whenever a customer pays by card',
];

/** Slack's permalink of a thread, as the card's link buttons carry it. */
const permalink = (thread: StoryThread) => `/archives/C0SUPPORT/p${thread.rootId.replace('.', '')}`;

describe('systemic: similar threads from different customers become one escalation', () => {
  let world: StoryWorld;
  let chat: ClockedSlackDriver;

  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy('slack'));
    chat = new ClockedSlackDriver(world);
    world.clock.set(sydney('2026-03-10 10:00'));
  });
  afterEach(async () => {
    await world.stop();
  });

  const l3 = () => chat.channel('l3');

  /** `who` posts `text` as a new thread, `minutes` after the previous post. */
  async function post(who: SlackCustomer, text: string, minutes = 10) {
    world.clock.advance(minutes * MINUTE);
    return chat.customerPostsAs(who, text);
  }

  async function issueNumber(thread: StoryThread) {
    return (await world.store.issues.findByThread(thread.channel, thread.rootId))!.number;
  }

  it('three customers within the hour: one card listing and linking every thread; a fourth joins; a dissimilar one does not', async () => {
    const first = await post(dave, OUTAGE[0]!, 0);
    const second = await post(erin, OUTAGE[1]!);
    await world.tick();
    expect(chat.cardsPosted(l3())).toBe(0); // two customers are not a pattern yet

    const third = await post(frank, OUTAGE[2]!);
    await world.tick();
    const card = await chat.waitForCard(l3());
    await chat.waitForCardText(card, 'Affected threads (3 in all)');
    let text = chat.cardText(card);
    expect(text).toContain('Systemic');
    expect(text).toContain('3 customers report a similar problem within 1h');
    expect(text).toContain('L3 Engineering');
    expect(text).toContain(`#${await issueNumber(first)}: ${OUTAGE[0]}`);
    expect(text).toContain(`#${await issueNumber(second)}: ${OUTAGE[1]}`);
    for (const thread of [first, second, third]) expect(text).toContain(permalink(thread));
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(0);

    // A fourth customer with the same problem joins the card instead of raising another.
    const fourth = await post(gina, OUTAGE[3]!);
    await world.tick();
    await chat.waitForCardText(card, 'Affected threads (4 in all)');
    text = chat.cardText(card);
    expect(text).toContain(`#${await issueNumber(fourth)}: Hi team, checkout is failing with error 502`);
    expect(text).toContain(permalink(fourth));
    expect(chat.cardsPosted(l3())).toBe(1);

    // A different question in the same hour is not part of it.
    const other = await post(hugo, 'How do I change the email address on my invoices?', 5);
    await world.tick();
    await world.tick(MINUTE);
    expect(chat.cardsPosted(l3())).toBe(1);
    expect(chat.cardText(card)).toContain('Affected threads (4 in all)');
    expect(chat.cardText(card)).not.toContain(permalink(other));

    const members = await world.store.triggers.listSystemicMembers(card.escalationId);
    expect(members).toHaveLength(4);
  });

  it('threads from the same customer count once: one customer posting three times plus one other is not systemic', async () => {
    await post(dave, OUTAGE[0]!, 0);
    await post(dave, OUTAGE[1]!);
    await post(dave, OUTAGE[2]!);
    await post(erin, OUTAGE[3]!);
    await world.tick();
    await world.tick(MINUTE);
    expect(chat.cardsPosted(l3())).toBe(0);
  });

  it('threads older than the window do not count', async () => {
    await post(dave, OUTAGE[0]!, 0); // 10:00
    await post(erin, OUTAGE[1]!, 30); // 10:30
    await post(frank, OUTAGE[2]!, 35); // 11:05: Dave's thread is more than an hour old
    await world.tick();
    await world.tick(MINUTE);
    expect(chat.cardsPosted(l3())).toBe(0);

    // One more customer inside the window of the last two makes three again.
    await post(gina, OUTAGE[3]!, 10); // 11:15
    await world.tick();
    const card = await chat.waitForCard(l3());
    await chat.waitForCardText(card, 'Affected threads (3 in all)');
    expect(chat.cardText(card)).not.toContain(OUTAGE[0]);
  });
});
