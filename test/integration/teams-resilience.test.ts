import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/story/eventually.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import {
  channelMessage,
  conversationUpdateInstall,
  type FakeConnector,
  type FakeConnectorCall,
  postActivity,
  startFakeConnector,
  TEAMS_IDS,
} from '../support/teams/index.js';

/**
 * The Bot Connector failing and Escalator restarting, on the real stack (botbuilder over HTTP,
 * SQLite file, outbox): cards arrive late but exactly once, in place, and in order with their notes.
 */

const { channels, users } = TEAMS_IDS;
const L2 = `teams:${channels.l2}`;

describe('Teams delivery survives outages and restarts', () => {
  let world: StoryWorld;
  let chat: TeamsDriver;
  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy('teams'));
    chat = new TeamsDriver(world);
  });
  afterEach(async () => {
    await world.stop();
  });

  const ok = (kind: FakeConnectorCall['kind']) => world.connector.callsOf(kind).filter((c) => !c.failed);
  const cardPostsTo = (channel: string) => ok('create_conversation').filter((c) => c.channel === channel);

  it('a restart on the same database keeps the escalation, and its card is still updated in place', async () => {
    await chat.prepare();
    const { specialist } = chat.people;
    const thread = await chat.customerPosts('Webhooks stopped firing at 09:00');
    expect(await chat.escalateWithForm(thread, { reason: 'Webhook worker down?' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    await chat.waitForNote(thread, 'Escalated to');
    await world.app.dispatcher.idle();
    const notesBefore = chat.notesIn(thread).length;

    await world.app.stop();
    await world.boot();
    await world.app.dispatcher.kick();

    // Nothing is sent again after the restart.
    expect(cardPostsTo(channels.l2)).toHaveLength(1);
    expect(chat.notesIn(thread)).toHaveLength(notesBefore);
    expect(await world.store.escalations.get(card.escalationId)).toMatchObject({
      status: 'open',
      cardChannel: L2,
      cardMessageId: card.messageId,
    });

    // The card posted before the restart works, and is edited in place.
    await chat.click(card, 'claim', specialist);
    const update = await world.connector.waitFor(
      'update',
      (c) =>
        c.activityId === card.messageId &&
        JSON.stringify(c.body).includes(`Claimed by ${specialist.shownAs}`),
    );
    expect(update.conversationId).toBe(`${channels.l2};messageid=${card.messageId}`);
    await chat.waitForCardText(card, `Claimed by ${specialist.shownAs}`);
    await chat.waitForNote(thread, `${specialist.shownAs} (L2 Tech) claimed escalation #1`);

    await chat.click(card, 'resolve', specialist, {
      note: 'Restarted the webhook worker.',
      rootCause: 'system_issue',
    });
    await chat.waitForCardText(card, `Resolved by ${specialist.shownAs}`);
    await world.app.dispatcher.idle();
    expect(world.connector.callsOf('create_conversation')).toHaveLength(1);
    expect(world.connector.versions(card.messageId).length).toBeGreaterThanOrEqual(3);
  });

  it('the connector answering 503 delays the card and its note; both arrive once, in order, after recovery', async () => {
    await chat.prepare();
    const thread = await chat.customerPosts('Checkout page is blank');
    // botbuilder retries a 5xx itself (4 attempts per send), so 8 failures are two failed deliveries.
    world.connector.failNext('create_conversation', { status: 503, retryAfter: 0 }, 8);
    expect(await chat.escalateWithForm(thread, { reason: 'Checkout outage?' })).toEqual({});

    await eventually(
      () => world.connector.callsOf('create_conversation').some((c) => c.failed),
      'the first failed post',
    );
    await world.app.dispatcher.idle();
    expect(cardPostsTo(channels.l2)).toHaveLength(0);
    expect(chat.notesIn(thread)).toHaveLength(0); // the note waits behind its card
    const entry = (
      await world.store.escalations.listForIssue(
        (await world.store.issues.findByThread(chat.channel('support'), thread.rootId))!.id,
      )
    )[0]!;
    expect(entry.cardMessageId).toBeNull();

    // Each retry waits longer (by the world's clock); move time on until the connector is back.
    for (let i = 0; i < 10 && cardPostsTo(channels.l2).length === 0; i += 1) {
      world.clock.advance(60_000);
      await world.app.dispatcher.kick();
    }
    await world.app.dispatcher.kick();
    await world.app.dispatcher.idle();

    expect(world.connector.callsOf('create_conversation').filter((c) => c.failed)).toHaveLength(8);
    expect(cardPostsTo(channels.l2)).toHaveLength(1);
    const card = await chat.waitForCard(chat.channel('l2'));
    expect(card.escalationId).toBe(entry.id);
    expect((await world.store.escalations.get(entry.id))?.cardMessageId).toBe(card.messageId);

    const notes = chat.notesIn(thread).filter((n) => n.includes('Escalated to'));
    expect(notes).toHaveLength(1);
    const delivered = world.connector.calls.filter((c) => !c.failed);
    const cardIndex = delivered.findIndex((c) => c.kind === 'create_conversation');
    const noteIndex = delivered.findIndex(
      (c) =>
        c.kind === 'reply' &&
        c.conversationId === `${channels.support};messageid=${thread.rootId}` &&
        String((c.body as { text?: string }).text).includes('Escalated to'),
    );
    expect(cardIndex).toBeGreaterThanOrEqual(0);
    expect(noteIndex).toBeGreaterThan(cardIndex);
  });

  it('a card Teams refuses for good (403) is not retried, and the thread is told where it did not go', async () => {
    await chat.prepare();
    const thread = await chat.customerPosts('Payroll export is empty');
    world.connector.failWhen(
      'create_conversation',
      (c) => c.channel === channels.l2,
      { status: 403 },
      Infinity,
    );
    expect(await chat.escalateWithForm(thread, { reason: 'Export bug' })).toEqual({});

    const warning = await chat.waitForNote(thread, 'could not be posted');
    expect(warning).toContain('escalation #1');
    expect(warning).toContain('L2 Tech');
    for (let i = 0; i < 3; i += 1) {
      world.clock.advance(10 * 60_000);
      await world.app.dispatcher.kick();
    }
    // 403 is final: one attempt (botbuilder does not retry it either), nothing posted, nothing pending.
    expect(world.connector.callsOf('create_conversation')).toHaveLength(1);
    expect(cardPostsTo(channels.l2)).toHaveLength(0);
    expect(await world.store.outbox.countPending()).toBe(0);
  });

  it('a channel Escalator never saw any activity for gets the card through the latest known reference', async () => {
    // An older reference, through a connector that is gone by now.
    const stale: FakeConnector = await startFakeConnector();
    const url = `${world.app.url}/api/messages`;
    try {
      expect(
        (await postActivity(url, conversationUpdateInstall({ serviceUrl: stale.serviceUrl }))).status,
      ).toBe(200);
    } finally {
      await stale.close();
    }
    world.clock.advance(60_000);

    // The customer's message teaches Escalator the current service URL; l2 itself was never seen.
    const root = channelMessage({
      serviceUrl: world.connector.serviceUrl,
      user: users.customer,
      text: 'Invoices are wrong',
    });
    expect((await postActivity(url, root)).status).toBe(200);
    expect(await world.store.conversationRefs.get(L2)).toBeUndefined();

    const thread = { channel: chat.channel('support'), rootId: root.id };
    await chat.escalateWithMention(thread, 'escalate P2 invoice totals are off');
    const card = await chat.waitForCard(chat.channel('l2'));
    const posted = world.connector
      .callsOf('create_conversation')
      .find((c) => c.newActivityId === card.messageId)!;
    expect(posted.channel).toBe(channels.l2);
    expect(posted.body).toMatchObject({ isGroup: true, channelData: { channel: { id: channels.l2 } } });
    // The reference it borrowed is the support channel's (the stale connector is closed: using it fails).
    expect(await world.store.conversationRefs.get(L2)).toBeUndefined();
    expect(chat.cardText(card)).toContain('invoice totals are off');
    await chat.waitForNote(thread, 'Escalated to');
  });
});
