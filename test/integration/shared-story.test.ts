import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDriver } from '../support/story/local-driver.js';
import type { PlatformDriver } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';

/**
 * The escalation story, told once and run on Slack, on Teams and in the simulated local workspace
 * through each platform's real stack (Bolt / botbuilder / the workspace's JSON API over HTTP,
 * SQLite file, outbox, loopback fakes). A feature that works on one platform only fails here.
 */
describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new SlackDriver(w)],
  ['Teams', 'teams' as const, (w: StoryWorld) => new TeamsDriver(w)],
  // Slack and Teams stay on: the workspace simulates only the policy's `local:` channels.
  ['Local', 'local' as const, (w: StoryWorld) => new LocalDriver(w)],
])('%s: the escalation story', (_name, layout, makeDriver) => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  beforeEach(async () => {
    world = await StoryWorld.start(
      storyPolicy(layout),
      layout === 'local' ? { localWorkspace: '/local' } : {},
    );
    chat = makeDriver(world);
    await chat.prepare();
  });
  afterEach(async () => {
    await world.stop();
  });

  it('customer posts, agent escalates with the form, a specialist claims and resolves; the thread hears every step', async () => {
    const { specialist, agent } = chat.people;
    const thread = await chat.customerPosts('Order A-1042 was charged twice, $1,250. Please fix this today.');
    await chat.agentReplies(thread, 'Sorry about that, checking with billing now.');

    expect(
      await chat.escalateWithForm(thread, {
        reason: 'Double charge needs a refund I cannot approve',
        priority: 'P2',
        why: 'authority_gap',
      }),
    ).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    const text = chat.cardText(card);
    for (const expected of [
      'Escalation #1',
      'P2',
      'Manual',
      'L2 Tech',
      'Double charge needs a refund I cannot approve',
      // Local differs: the workspace has no escalate form, and `/escalate` has no way to say why
      // (the reason category), so its card cannot show it.
      ...(layout === 'local' ? [] : ['Authority gap']),
      'Order A-1042 was charged twice',
    ]) {
      expect(text).toContain(expected);
    }
    await chat.waitForNote(thread, 'Escalated to');

    await chat.click(card, 'claim', specialist);
    await chat.waitForCardText(card, `Claimed by ${specialist.shownAs}`);
    await chat.waitForNote(thread, `${specialist.shownAs} (L2 Tech) claimed escalation #1`);

    await chat.click(card, 'resolve', specialist, {
      note: 'Refunded the duplicate charge.',
      rootCause: 'authority_gap',
    });
    await chat.waitForCardText(card, `Resolved by ${specialist.shownAs}`);
    await chat.waitForNote(thread, 'Refunded the duplicate charge.');
    expect(chat.cardText(card)).not.toContain('"claim"');

    const escalation = (await world.store.escalations.get(card.escalationId))!;
    expect(escalation).toMatchObject({
      status: 'resolved',
      rootCause: 'authority_gap',
      resolvedBy: specialist.id,
      createdBy: agent.id,
    });
    const audit = await world.store.events.listForEscalation(card.escalationId);
    expect(audit.map((e) => [e.action, e.toStatus, e.source])).toEqual([
      ['open', 'open', layout],
      ['claim', 'claimed', layout],
      ['resolve', 'resolved', layout],
    ]);
  });

  it('@escalator escalate in the thread escalates it directly to the named path and priority', async () => {
    const thread = await chat.customerPosts('I want to speak to your manager about this bill');
    await chat.escalateWithMention(thread, 'escalate to management P1 angry customer, billing dispute');
    const card = await chat.waitForCard(chat.channel('leads'));
    expect(chat.cardText(card)).toContain('P1');
    expect(chat.cardText(card)).toContain('angry customer, billing dispute');
    await chat.waitForNote(thread, 'Team lead');
  });

  it('bounce back from the first level returns the thread to the frontline with the reason', async () => {
    const thread = await chat.customerPosts('My invoice is wrong.');
    await chat.escalateWithForm(thread, { reason: 'Invoice dispute' });
    const card = await chat.waitForCard(chat.channel('l2'));
    await chat.click(card, 'bounce', chat.people.specialist, { reason: 'Ask for the invoice number first.' });
    await chat.waitForCardText(card, `Bounced back by ${chat.people.specialist.shownAs}`);
    await chat.waitForNote(thread, 'bounced back to the frontline');
    const issue = await world.store.issues.findByThread(thread.channel, thread.rootId);
    expect(issue?.status).toBe('open');
  });

  it('escalate further posts a new card at the next level, marks the old one, and stops at the top', async () => {
    const thread = await chat.customerPosts('The API returns error 502 on every call since the upgrade.');
    await chat.escalateWithForm(thread, { reason: 'Looks like a platform bug' });
    const l2 = await chat.waitForCard(chat.channel('l2'));
    await chat.click(l2, 'escalate_further', chat.people.specialist);
    const l3 = await chat.waitForCard(chat.channel('l3'));
    expect(chat.cardText(l3)).toContain('Escalation #2');
    expect(chat.cardText(l3)).toContain('L3 Engineering');
    await chat.waitForCardText(l2, 'Escalated further');
    await chat.waitForNote(thread, 'L3 Engineering');
    expect(chat.cardText(l3)).not.toContain('escalate_further');
  });

  it('two specialists claim at once: one wins, the other is told who has it', async () => {
    const { specialist, otherSpecialist } = chat.people;
    const thread = await chat.customerPosts('Can someone look at my account?');
    await chat.escalateWithForm(thread, { reason: 'Account locked' });
    const card = await chat.waitForCard(chat.channel('l2'));
    await Promise.all([chat.click(card, 'claim', specialist), chat.click(card, 'claim', otherSpecialist)]);
    await chat.waitForNote(thread, 'claimed escalation #1');
    const claimNotes = chat.notesIn(thread).filter((n) => n.includes('claimed escalation #1'));
    expect(claimNotes).toHaveLength(1);
    const [winner, loser] = claimNotes[0]!.includes(specialist.shownAs)
      ? [specialist, otherSpecialist]
      : [otherSpecialist, specialist];
    expect(await chat.waitForReplyTo(loser, 'already claimed by')).toContain(winner.shownAs);
  });

  it('a click on a card that is already resolved is answered clearly and changes nothing', async () => {
    const { specialist, otherSpecialist } = chat.people;
    const thread = await chat.customerPosts('Password reset mails never arrive.');
    await chat.escalateWithForm(thread, { reason: 'Mail issue' });
    const card = await chat.waitForCard(chat.channel('l2'));
    await chat.click(card, 'resolve', specialist, {
      note: 'Mail provider blocklist removed.',
      rootCause: 'system_issue',
    });
    await chat.waitForCardText(card, 'Resolved by');
    await chat.click(card, 'claim', otherSpecialist);
    expect(await chat.waitForReplyTo(otherSpecialist, 'already resolved')).toContain(
      `resolved by ${specialist.shownAs}`,
    );
    expect((await world.store.escalations.get(card.escalationId))?.status).toBe('resolved');
  });

  it('escalating a thread that is already escalated says where it is, and posts no second card', async () => {
    const thread = await chat.customerPosts('Still broken.');
    await chat.escalateWithForm(thread, { reason: 'first' });
    await chat.waitForCard(chat.channel('l2'));
    const again = await chat.escalateWithForm(thread, { reason: 'second' });
    expect(again.refused).toContain('already escalated as #1');
    expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
  });

  it('"I want to speak to your manager" reaches the management channel after one checker tick, with the words that fired it', async () => {
    const thread = await chat.customerPosts(
      'This is the third time I ask. I want to speak to your manager now.',
    );
    expect(chat.cardsPosted(chat.channel('leads'))).toBe(0); // nothing until the checker runs
    await world.tick();
    const card = await chat.waitForCard(chat.channel('leads'));
    const text = chat.cardText(card);
    expect(text).toContain('Manager request');
    expect(text).toContain('speak to your manager');
    expect(text).toContain('Team lead');
    await chat.waitForNote(thread, 'Escalated to');

    // A second tick (or another ask in the thread) does not post a second card.
    await world.tick(60_000);
    expect(chat.cardsPosted(chat.channel('leads'))).toBe(1);
  });

  it('"Not an escalation" closes a trigger card as a false positive and records it against the trigger', async () => {
    const thread = await chat.customerPosts(
      '> can I speak to your manager\nthat is what my colleague wrote, ignore it, all good now',
    );
    await chat.customerPosts('I want to speak to a manager about the refund');
    await world.tick();
    const card = await chat.waitForCard(chat.channel('leads'));
    await chat.click(card, 'not_an_escalation', chat.people.specialist, { reason: 'They were joking' });
    await chat.waitForCardText(card, 'Closed as not an escalation');
    const escalation = await world.store.escalations.get(card.escalationId);
    expect(escalation?.status).toBe('dismissed');
    const [precision] = await world.store.triggers.precision(new Date(0));
    expect(precision).toMatchObject({ kind: 'manager_request', fired: 1, falsePositives: 1 });
    expect(chat.notesIn(thread).some((n) => n.includes('Escalated'))).toBe(false); // the quoted ask did not fire
  });
});
