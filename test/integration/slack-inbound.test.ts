import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appMentionEvent,
  botMessageEvent,
  channelJoinEvent,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  messageShortcut,
  sendEvent,
  sendInteraction,
  slackTs,
} from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import {
  AGENT,
  CUSTOMER,
  CUSTOMER_TEAM,
  L2,
  SECRET,
  SlackWorld,
  SUPPORT,
} from '../support/story/slack-world.js';

/** Everything Slack sends that is not the happy path: retries, forgeries, edits, other entry points. */
describe('Slack inbound', () => {
  let world: SlackWorld;
  beforeEach(async () => {
    world = await SlackWorld.start();
  });
  afterEach(async () => {
    await world.stop();
  });

  it('a Slack retry of the same event (X-Slack-Retry-Num) is not counted twice', async () => {
    const ts = slackTs();
    const envelope = messageEvent({
      channel: SUPPORT,
      user: CUSTOMER,
      team: CUSTOMER_TEAM,
      text: 'Is anyone there?',
      ts,
    });
    await world.expectOk(sendEvent(world.eventsUrl, SECRET, envelope));
    await world.tracked(ts);
    const retry = await sendEvent(world.eventsUrl, SECRET, envelope, { retryNum: 1 });
    expect(retry.status).toBe(200);
    const reply = await world.agentReplies(ts, 'Yes, looking now.');
    await world.tracked(reply);

    const issue = await world.issueOf(ts);
    expect(issue.messageCount).toBe(2);
    expect(await world.app.ctx.store.messages.listForIssue(issue.id)).toHaveLength(2);
  });

  it('unsigned, mis-signed and stale requests get 401 and change nothing', async () => {
    const ts = slackTs();
    const envelope = messageEvent({
      channel: SUPPORT,
      user: CUSTOMER,
      team: CUSTOMER_TEAM,
      text: 'forged',
      ts,
    });
    const badSignature = await sendEvent(world.eventsUrl, SECRET, envelope, { badSignature: true });
    expect(badSignature.status).toBe(401);
    const stale = await sendEvent(world.eventsUrl, SECRET, envelope, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(world.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope),
    });
    expect(unsigned.status).toBe(401);

    // A real message afterwards is tracked, and the forged one never was.
    const real = await world.customerPosts('real message');
    expect((await world.issueOf(real)).number).toBe(1);
    expect(await world.app.ctx.store.issues.findByThread(`slack:${SUPPORT}`, ts)).toBeUndefined();
  });

  it('edits and deletions show on the card; bots, joins and other channels are ignored', async () => {
    const thread = await world.customerPosts('My order 123 is lost');
    const reply = slackTs();
    await world.expectOk(
      sendEvent(
        world.eventsUrl,
        SECRET,
        messageEvent({
          channel: SUPPORT,
          user: CUSTOMER,
          team: CUSTOMER_TEAM,
          text: 'typo',
          ts: reply,
          threadTs: thread,
        }),
      ),
    );
    await world.tracked(reply);
    await world.expectOk(
      sendEvent(
        world.eventsUrl,
        SECRET,
        messageChangedEvent({
          channel: SUPPORT,
          ts: reply,
          threadTs: thread,
          user: CUSTOMER,
          text: 'It was order 124, sorry',
          previousText: 'typo',
        }),
      ),
    );
    const ignoredTs = slackTs();
    await world.expectOk(
      sendEvent(
        world.eventsUrl,
        SECRET,
        botMessageEvent({ channel: SUPPORT, ts: ignoredTs, threadTs: thread }),
      ),
    );
    await world.expectOk(sendEvent(world.eventsUrl, SECRET, channelJoinEvent({ channel: SUPPORT })));
    const elsewhere = slackTs();
    await world.expectOk(
      sendEvent(
        world.eventsUrl,
        SECRET,
        messageEvent({ channel: 'C0RANDOM', user: CUSTOMER, text: 'hi', ts: elsewhere }),
      ),
    );

    await eventually(
      async () =>
        (await world.app.ctx.store.messages.findByMessageId(`slack:${SUPPORT}`, reply))?.text ===
        'It was order 124, sorry',
      'edit',
    );
    const { cardTs } = await world.escalate(thread);
    const card = world.cardText(L2, cardTs);
    expect(card).toContain('It was order 124, sorry');
    expect(card).not.toContain('typo');

    await world.expectOk(
      sendEvent(
        world.eventsUrl,
        SECRET,
        messageDeletedEvent({ channel: SUPPORT, deletedTs: reply, threadTs: thread }),
      ),
    );
    await eventually(
      async () => (await world.app.ctx.store.messages.findByMessageId(`slack:${SUPPORT}`, reply))?.deletedAt,
      'deletion',
    );

    const issue = await world.issueOf(thread);
    expect(issue.messageCount).toBe(2); // the bot message and the join were not counted
    expect(await world.app.ctx.store.issues.findByThread('slack:C0RANDOM', elsewhere)).toBeUndefined();
  });

  it('/escalate outside a support channel explains where it works', async () => {
    const response = await world.sendEscalateCommand('', 'C0RANDOM');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('support channels (<#C0SUPPORT>)'),
    });
    expect(world.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('/escalate <thread link> <reason> escalates that thread at once; an untracked link is explained', async () => {
    const thread = await world.customerPosts('Data export has been stuck for two days');
    const link = `<https://acme.slack.com/archives/${SUPPORT}/p${thread.replace('.', '')}>`;
    await world.expectOk(world.sendEscalateCommand(`${link} customer blocked on a data export`));
    const card = await world.fake.waitFor('chat.postMessage', (args) => args.channel === L2);
    expect(JSON.stringify(card.args.blocks)).toContain('customer blocked on a data export');
    await eventually(
      () => world.ephemeralsTo(AGENT).find((t) => t.includes('Escalated issue #1')),
      'confirmation',
    );

    const unknown = await world.sendEscalateCommand(
      `https://acme.slack.com/archives/${SUPPORT}/p1600000000000100 please help`,
    );
    expect(unknown.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('has not seen this thread'),
    });
  });

  it('the "Escalate thread" shortcut opens the form with the thread already chosen', async () => {
    const thread = await world.customerPosts('Cannot log in since this morning');
    const reply = await world.agentReplies(thread, 'Trying a reset');
    const response = await sendInteraction(
      world.eventsUrl,
      SECRET,
      messageShortcut({
        channel: SUPPORT,
        user: AGENT,
        message: { ts: reply, thread_ts: thread, text: 'Trying a reset', user: AGENT },
      }),
    );
    expect(response.status).toBe(200);
    const open = await world.fake.waitFor('views.open');
    const view = open.args.view as {
      blocks: Array<{ block_id: string; element: { initial_option?: { value: string } } }>;
    };
    const issue = await world.issueOf(thread);
    expect(view.blocks.find((b) => b.block_id === 'thread')?.element.initial_option?.value).toBe(issue.id);

    // On a message Escalator does not track, the agent is told why instead.
    await world.expectOk(
      sendInteraction(
        world.eventsUrl,
        SECRET,
        messageShortcut({
          channel: 'C0RANDOM',
          user: AGENT,
          message: { ts: slackTs(), text: 'x', user: AGENT },
        }),
      ),
    );
    await eventually(
      () => world.ephemeralsTo(AGENT).find((t) => t.includes('only tracks threads in support channels')),
      'explanation',
    );
  });

  it('@escalator escalate <reason> inside a thread escalates it directly', async () => {
    const thread = await world.customerPosts('I want to speak to your manager about this bill');
    await world.expectOk(
      sendEvent(
        world.eventsUrl,
        SECRET,
        appMentionEvent({
          channel: SUPPORT,
          user: AGENT,
          threadTs: thread,
          text: '<@U0BOT> escalate to management P1 angry customer, billing dispute',
        }),
      ),
    );
    const card = await world.fake.waitFor('chat.postMessage', (args) => args.channel === 'C0LEADS');
    const blocks = JSON.stringify(card.args.blocks);
    expect(blocks).toContain('P1');
    expect(blocks).toContain('angry customer, billing dispute');
    await eventually(() => world.notesIn(thread).find((n) => n.includes('Escalated to *Team lead*')), 'note');

    // Outside a thread the mention explains how to use it.
    await world.expectOk(
      sendEvent(
        world.eventsUrl,
        SECRET,
        appMentionEvent({ channel: SUPPORT, user: AGENT, threadTs: null, text: '<@U0BOT> escalate now' }),
      ),
    );
    await eventually(
      () => world.ephemeralsTo(AGENT).find((t) => t.includes('inside the customer')),
      'explanation',
    );
  });
});
