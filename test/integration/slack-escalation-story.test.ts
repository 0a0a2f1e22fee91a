import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/story/eventually.js';
import {
  AGENT,
  L2,
  L3,
  OTHER_SPECIALIST,
  SlackWorld,
  SPECIALIST,
  SUPPORT,
} from '../support/story/slack-world.js';

/**
 * The whole story on Slack through real HTTP: signed requests into the real Bolt receiver, a real
 * SQLite file, the outbox delivering to a loopback fake of the Slack Web API.
 */
describe('Slack: a thread is escalated by hand and handled to the end', () => {
  let world: SlackWorld;
  beforeEach(async () => {
    world = await SlackWorld.start();
  });
  afterEach(async () => {
    await world.stop();
  });

  it('customer posts, agent replies, agent escalates with /escalate, specialist claims and resolves', async () => {
    const thread = await world.customerPosts(
      'Order #A-1042 was charged twice, $1,250. Please fix this today.',
    );
    await world.agentReplies(thread, 'Sorry about that, checking with billing now.');

    // /escalate in the support channel opens the modal with the open thread to pick.
    const modal = await world.openEscalateModal();
    const threadPicker = modal.blocks.find((b) => b.block_id === 'thread')!;
    expect(threadPicker.element.options?.[0]?.text.text).toContain('Order #A-1042 was charged twice');

    const issue = await world.issueOf(thread);
    const submitted = await world.submitEscalateModal(modal, {
      issueId: issue.id,
      priority: 'P2',
      reason: 'Double charge needs a refund I cannot approve',
      why: 'authority_gap',
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe(''); // the modal closes: no errors

    // The card lands in the L2 channel with what the specialist needs.
    const post = await world.fake.waitFor('chat.postMessage', (args) => args.channel === L2);
    const card = JSON.stringify(post.args.blocks);
    expect(card).toContain('Escalation #1 · P2 · Manual');
    expect(card).toContain('Double charge needs a refund I cannot approve');
    expect(card).toContain('Authority gap');
    expect(card).toContain('Order #A-1042 was charged twice');
    expect(card).toContain('L2 Tech');
    expect(card).toContain('escalator:claim');
    expect(card).toMatch(/archives\/C0SUPPORT\/p\d{16}/);

    // The original thread is told, and the agent gets a private confirmation.
    await eventually(
      () => world.notesIn(thread).some((n) => n.includes('Escalated to *L2 Tech* as #1')),
      'escalation note',
    );
    await eventually(
      () => world.ephemeralsTo(AGENT).some((t) => t.includes('as #1')),
      'confirmation to the agent',
    );

    const escalation = (await world.app.ctx.store.escalations.findActiveForIssue(issue.id))!;
    const cardTs = await eventually(() => world.cardTs(escalation.id), 'card ts');

    // Claim: the card is edited in place and the thread hears who has it.
    await world.expectOk(world.click('claim', L2, cardTs));
    await world.fake.waitFor(
      'chat.update',
      (args) => args.ts === cardTs && JSON.stringify(args.blocks).includes('Claimed by <@U0BOB>'),
    );
    await eventually(
      () => world.notesIn(thread).some((n) => n.includes('<@U0BOB> (L2 Tech) claimed escalation #1')),
      'claim note',
    );

    // Resolve: a form for the note and root cause, then the card and the thread show the outcome.
    await world.expectOk(world.click('resolve', L2, cardTs));
    const resolveForm = await world.fake.waitFor(
      'views.open',
      (args) => (args.view as { callback_id: string }).callback_id === 'escalator_resolve',
    );
    expect(JSON.stringify(resolveForm.args.view)).toContain('Root cause');
    const resolved = await world.submitLastModal({
      note: { value: 'Refunded the duplicate charge; customer sees it in 3-5 days.' },
      root_cause: { value: { select: 'authority_gap' } },
    });
    expect(resolved.text).toBe('');
    await world.fake.waitFor(
      'chat.update',
      (args) => args.ts === cardTs && JSON.stringify(args.blocks).includes('Resolved by <@U0BOB>'),
    );
    await eventually(
      () =>
        world.notesIn(thread).some((n) => n.includes('resolved by <@U0BOB>: Refunded the duplicate charge')),
      'resolution note',
    );
    const finalCard = world.cardText(L2, cardTs);
    expect(finalCard).not.toContain('escalator:claim');
    expect(finalCard).not.toContain('escalator:resolve');
    expect((await world.app.ctx.store.issues.get(issue.id))?.status).toBe('resolved');

    // The audit trail has every step with its actor and source.
    const events = await world.app.ctx.store.events.listForEscalation(escalation.id);
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus, e.actor, e.source])).toEqual([
      ['open', null, 'open', `slack:${AGENT}`, 'slack'],
      ['claim', 'open', 'claimed', `slack:${SPECIALIST}`, 'slack'],
      ['resolve', 'claimed', 'resolved', `slack:${SPECIALIST}`, 'slack'],
    ]);
  });

  it('bounce back from the first level returns the thread to the frontline with the reason', async () => {
    const thread = await world.customerPosts('My invoice is wrong.');
    const { issue, cardTs } = await world.escalate(thread);
    await world.expectOk(world.click('bounce', L2, cardTs));
    await world.fake.waitFor(
      'views.open',
      (args) => (args.view as { callback_id: string }).callback_id === 'escalator_bounce',
    );

    // Bouncing without a reason is refused inside the form.
    const empty = await world.submitLastModal({ reason: { value: '  ' } });
    expect(empty.json).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.stringContaining('why') },
    });

    await world.expectOk(
      world.submitLastModal({
        reason: { value: 'Ask for the invoice number first, then check the KB article on VAT.' },
      }),
    );
    await world.fake.waitFor(
      'chat.update',
      (args) => args.ts === cardTs && JSON.stringify(args.blocks).includes('Bounced back by <@U0BOB>'),
    );
    await eventually(
      () =>
        world
          .notesIn(thread)
          .some(
            (n) => n.includes('bounced back to the frontline') && n.includes('Ask for the invoice number'),
          ),
      'bounce note',
    );
    expect((await world.app.ctx.store.issues.get(issue.id))?.status).toBe('open');
  });

  it('escalate further posts a new card at the next level and marks the old one', async () => {
    const thread = await world.customerPosts('The API returns error 502 on every call since the upgrade.');
    const { escalation, cardTs } = await world.escalate(thread, 'Looks like a platform bug');
    await world.expectOk(world.click('escalate_further', L2, cardTs));

    const l3 = await world.fake.waitFor('chat.postMessage', (args) => args.channel === L3);
    expect(JSON.stringify(l3.args.blocks)).toContain('Escalation #2');
    expect(JSON.stringify(l3.args.blocks)).toContain('L3 Engineering');
    expect(JSON.stringify(l3.args.blocks)).toContain('Escalated further from L2 Tech');
    await world.fake.waitFor(
      'chat.update',
      (args) => args.ts === cardTs && JSON.stringify(args.blocks).includes('Escalated further'),
    );
    await eventually(
      () => world.notesIn(thread).some((n) => n.includes('escalated further to *L3 Engineering* as #2')),
      'note',
    );

    const old = await world.app.ctx.store.escalations.get(escalation.id);
    expect(old?.status).toBe('superseded');
    const next = await world.app.ctx.store.escalations.get(old!.supersededBy!);
    expect(next).toMatchObject({ level: 1, parentId: escalation.id, status: 'open' });

    // At the top of the path there is no higher level: the specialist is told, nothing changes.
    const topCardTs = await eventually(() => world.cardTs(next!.id), 'L3 card ts');
    expect(world.cardText(L3, topCardTs)).not.toContain('escalator:escalate_further');
  });

  it('two specialists clicking Claim at once: one wins, the other is told who has it', async () => {
    const thread = await world.customerPosts('Can someone look at my account?');
    const { cardTs } = await world.escalate(thread);
    const [a, b] = await Promise.all([
      world.click('claim', L2, cardTs, SPECIALIST),
      world.click('claim', L2, cardTs, OTHER_SPECIALIST),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);

    const loserMessage = await eventually(
      () =>
        [...world.ephemeralsTo(SPECIALIST), ...world.ephemeralsTo(OTHER_SPECIALIST)].find((t) =>
          t.includes('already claimed by'),
        ),
      'the loser to be told',
    );
    await eventually(
      () => world.notesIn(thread).some((n) => n.includes('claimed escalation #1')),
      'claim note',
    );
    const claimNotes = world.notesIn(thread).filter((n) => n.includes('claimed escalation #1'));
    expect(claimNotes).toHaveLength(1);
    const winner = claimNotes[0]!.includes('U0BOB') ? 'U0BOB' : 'U0CAROL';
    expect(loserMessage).toContain(`already claimed by <@${winner}>`);
  });

  it('a click on a card that is already resolved gets a clear private answer', async () => {
    const thread = await world.customerPosts('Password reset mails never arrive.');
    const { escalation, cardTs } = await world.escalate(thread);
    await world.expectOk(world.click('resolve', L2, cardTs));
    await world.fake.waitFor(
      'views.open',
      (args) => (args.view as { callback_id: string }).callback_id === 'escalator_resolve',
    );
    await world.expectOk(
      world.submitLastModal({
        note: { value: 'Mail provider blocklist removed.' },
        root_cause: { value: { select: 'system_issue' } },
      }),
    );
    await eventually(
      async () => (await world.app.ctx.store.escalations.get(escalation.id))?.status === 'resolved',
      'resolved',
    );

    await world.expectOk(world.click('claim', L2, cardTs, OTHER_SPECIALIST));
    const answer = await eventually(
      () => world.ephemeralsTo(OTHER_SPECIALIST).find((t) => t.includes('already resolved')),
      'stale answer',
    );
    expect(answer).toContain('Escalation #1 was already resolved by <@U0BOB>');
    expect(
      world.fake
        .callsTo('views.open')
        .filter((c) => (c.args.view as { callback_id: string }).callback_id === 'escalator_resolve'),
    ).toHaveLength(1);
  });

  it('escalating a thread that is already escalated says where it is instead of a second card', async () => {
    const thread = await world.customerPosts('Still broken.');
    const issue = await world.issueOf(thread);
    const staleModal = await world.openEscalateModal(); // a colleague opened the form earlier
    await world.escalate(thread);

    // Submitting the colleague's stale form shows the problem next to the thread field.
    const again = await world.submitEscalateModal(staleModal, { issueId: issue.id, reason: 'again' });
    expect(again.json).toMatchObject({
      response_action: 'errors',
      errors: { thread: expect.stringContaining('already escalated as #1') },
    });
    expect(world.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === L2)).toHaveLength(1);

    // With nothing left to escalate, /escalate says so instead of an empty form.
    const opened = world.fake.callsTo('views.open').length;
    await world.expectOk(world.sendEscalateCommand(''));
    await eventually(
      () => world.ephemeralsTo(AGENT).find((t) => t.includes('no open threads')),
      'no-threads answer',
    );
    expect(world.fake.callsTo('views.open')).toHaveLength(opened);
  });

  it('a thread picked in the support channel posts nothing in other channels', async () => {
    await world.customerPosts('Hello?');
    expect(world.fake.callsTo('chat.postMessage').filter((c) => c.args.channel !== SUPPORT)).toHaveLength(0);
  });
});
