import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/story/eventually.js';
import { L2, SlackWorld, SUPPORT } from '../support/story/slack-world.js';

/** Slack failing, throttling, and Escalator restarting: cards are late, never lost or doubled. */
describe('Slack delivery survives outages and restarts', () => {
  let world: SlackWorld;
  beforeEach(async () => {
    world = await SlackWorld.start();
  });
  afterEach(async () => {
    await world.stop();
  });

  const cardPosts = () =>
    world.fake.callsTo('chat.postMessage').filter((c) => !c.failed && c.args.channel === L2);

  it('restarting with the same database keeps every escalation and posts no card twice', async () => {
    const thread = await world.customerPosts('Webhooks stopped firing at 09:00');
    const { escalation, cardTs } = await world.escalate(thread);
    await world.expectOk(world.click('claim', L2, cardTs));
    await eventually(() => world.notesIn(thread).some((n) => n.includes('claimed')), 'claim note');
    await world.app.dispatcher.idle();
    const notesBefore = world.notesIn(thread).length;

    await world.app.stop();
    await world.boot();
    await world.app.dispatcher.kick();

    expect(cardPosts()).toHaveLength(1);
    expect(world.notesIn(thread)).toHaveLength(notesBefore);
    const kept = await world.app.ctx.store.escalations.get(escalation.id);
    expect(kept).toMatchObject({ status: 'claimed', claimedBy: 'slack:U0BOB', cardMessageId: cardTs });

    // The card posted before the restart still works and is edited in place.
    await world.expectOk(world.click('resolve', L2, cardTs));
    await world.fake.waitFor(
      'views.open',
      (args) => (args.view as { callback_id: string }).callback_id === 'escalator_resolve',
    );
    await world.expectOk(
      world.submitLastModal({
        note: { value: 'Restarted the webhook worker.' },
        root_cause: { value: { select: 'system_issue' } },
      }),
    );
    await world.fake.waitFor(
      'chat.update',
      (args) => args.ts === cardTs && JSON.stringify(args.blocks).includes('Resolved by'),
    );
    expect(cardPosts()).toHaveLength(1);
  });

  it('Slack answering 503 delays the card and its note; both arrive once, in order, after recovery', async () => {
    const thread = await world.customerPosts('Checkout page is blank');
    world.fake.failNext('chat.postMessage', { status: 503 }, 3);
    const issue = await world.issueOf(thread);
    const modal = await world.openEscalateModal();
    await world.expectOk(world.submitEscalateModal(modal, { issueId: issue.id, reason: 'Checkout outage?' }));

    await eventually(
      () => world.fake.callsTo('chat.postMessage').filter((c) => c.failed).length === 1,
      'the first failure',
    );
    await world.app.dispatcher.idle();
    expect(cardPosts()).toHaveLength(0);
    expect(world.notesIn(thread)).toHaveLength(0); // the note waits behind its card

    // Each retry waits longer; move time on until Slack is back.
    for (let i = 0; i < 6 && cardPosts().length === 0; i += 1) {
      world.clock.advance(60_000);
      await world.app.dispatcher.kick();
    }
    await world.app.dispatcher.kick();
    expect(cardPosts()).toHaveLength(1);
    expect(world.notesIn(thread).filter((n) => n.includes('Escalated to'))).toHaveLength(1);
    const posted = world.fake.callsTo('chat.postMessage').filter((c) => !c.failed);
    const cardIndex = posted.findIndex((c) => c.args.channel === L2);
    const noteIndex = posted.findIndex((c) => c.args.channel === SUPPORT && c.args.thread_ts === thread);
    expect(cardIndex).toBeLessThan(noteIndex);
  });

  it('a 429 with Retry-After pauses delivery to that channel for exactly that long', async () => {
    const thread = await world.customerPosts('Refund not received');
    world.fake.failWhen('chat.postMessage', (args) => args.channel === L2, { rateLimited: 30 }, 1);
    const issue = await world.issueOf(thread);
    const modal = await world.openEscalateModal();
    await world.expectOk(world.submitEscalateModal(modal, { issueId: issue.id, reason: 'Refund lost' }));
    await eventually(() => world.fake.callsTo('chat.postMessage').some((c) => c.failed), 'the 429');
    await world.app.dispatcher.idle();

    world.clock.advance(29_000);
    await world.app.dispatcher.kick();
    expect(cardPosts()).toHaveLength(0);
    expect(world.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === L2)).toHaveLength(1); // no call while paused

    world.clock.advance(2_000);
    await world.app.dispatcher.kick();
    expect(cardPosts()).toHaveLength(1);
  });

  it('a channel the bot cannot post to is parked with the reason, and other escalations still go out', async () => {
    world.fake.failWhen('chat.postMessage', (args) => args.channel === L2, { error: 'not_in_channel' }, 1);
    const first = await world.customerPosts('First customer');
    const second = await world.customerPosts('Second customer');
    for (const thread of [first, second]) {
      const issue = await world.issueOf(thread);
      const modal = await world.openEscalateModal();
      await world.expectOk(world.submitEscalateModal(modal, { issueId: issue.id, reason: `help ${thread}` }));
    }
    await eventually(() => cardPosts().length === 1, 'the second card');
    expect(world.fake.callsTo('chat.postMessage').filter((c) => c.failed)).toHaveLength(1);
    // The agent of the first thread learns the card never arrived, and why.
    const warning = await eventually(
      () => world.notesIn(first).find((n) => n.includes('could not be posted')),
      'warning note',
    );
    expect(warning).toContain('<#C0L2>');
    expect(warning).toContain('not_in_channel');
  });
});
