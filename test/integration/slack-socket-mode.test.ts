import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../src/config/load-policy.js';
import { type RunningEscalator, startEscalator } from '../../src/escalator.js';
import { silentLogger } from '../../src/ports/logger.js';
import { type FreshDatabase, freshDatabaseUrl } from '../support/core/fresh-database.js';
import { ManualClock } from '../support/core/manual-clock.js';
import { type FakeSocketMode, startFakeSocketMode } from '../support/slack/fake-socket-mode.js';
import {
  appMentionEvent,
  blockAction,
  type FakeSlackApi,
  messageEvent,
  sendEvent,
  slackTs,
  slashCommand,
  startFakeSlackApi,
} from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import { SlackMembers } from '../support/story/slack-members.js';
import { AGENT, CUSTOMER, CUSTOMER_TEAM, L2, SPECIALIST, SUPPORT } from '../support/story/slack-world.js';

/**
 * Socket Mode end to end: with an app token, Escalator opens a WebSocket from the URL that
 * `apps.connections.open` returns and receives events, commands and clicks as envelopes on it,
 * acking each by `envelope_id`. No public Request URL is served.
 */
describe('Slack in Socket Mode', () => {
  let database: FreshDatabase;
  let fake: FakeSlackApi;
  let socket: FakeSocketMode;
  let app: RunningEscalator | undefined;

  beforeEach(async () => {
    database = await freshDatabaseUrl();
    fake = await startFakeSlackApi();
    SlackMembers.of(fake); // the specialist who claims is a member of the L2 channel
    socket = await startFakeSocketMode(fake);
    app = await startEscalator({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      policy: loadPolicyFile('escalation-policy.example.yaml'),
      slack: { botToken: 'xoxb-test', signingSecret: 'unused', appToken: 'xapp-test', apiUrl: fake.url },
      log: silentLogger,
      clock: new ManualClock(new Date()),
      schedules: false,
    });
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await socket.close();
    await fake.close();
    await database.cleanup();
  });

  function running(): RunningEscalator {
    if (!app) throw new Error('Escalator is not running');
    return app;
  }

  function tracked(ts: string) {
    return eventually(
      () => running().ctx.store.messages.findByMessageId(`slack:${SUPPORT}`, ts),
      `message ${ts} to be tracked`,
    );
  }

  function notesIn(threadTs: string): string[] {
    return fake
      .callsTo('chat.postMessage')
      .filter((c) => !c.failed && c.args.channel === SUPPORT && c.args.thread_ts === threadTs)
      .map((c) => String(c.args.text));
  }

  it('connects with the app token, then handles events, a command and a click sent over the socket', async () => {
    // Start-up opened one link with the app token (not the bot token) and waited for `hello`.
    expect(fake.callsTo('apps.connections.open').map((c) => c.token)).toEqual(['xapp-test']);
    expect(socket.openConnections).toBe(1);

    // No Request URL in Socket Mode: even a correctly signed request finds no route.
    const customerTs = slackTs();
    const customerMessage = messageEvent({
      channel: SUPPORT,
      user: CUSTOMER,
      team: CUSTOMER_TEAM,
      text: 'Order #A-1042 was charged twice, $1,250. Please fix this today.',
      ts: customerTs,
    });
    const http = await sendEvent(`${running().url}/slack/events`, 'unused', customerMessage);
    expect(http.status).toBe(404);

    // A Slack Connect customer starts a thread: the envelope is acked and the issue tracked.
    const ack = await socket.send({ type: 'events_api', payload: customerMessage });
    expect(ack).toEqual({ envelope_id: socket.envelopes.at(-1)!.envelope_id, payload: {} });
    expect(socket.envelopes.at(-1)).toMatchObject({
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
    });
    await tracked(customerTs);

    // Slack retries the same event (new envelope, same event_id): acked, but not counted again.
    const retry = await socket.send({
      type: 'events_api',
      payload: customerMessage,
      retry_attempt: 1,
      retry_reason: 'timeout',
    });
    expect(retry.envelope_id).not.toBe(ack.envelope_id);
    const replyTs = slackTs();
    await socket.send({
      type: 'events_api',
      payload: messageEvent({
        channel: SUPPORT,
        user: AGENT,
        text: 'Sorry about that, checking with billing now.',
        ts: replyTs,
        threadTs: customerTs,
      }),
    });
    await tracked(replyTs);
    const issue = await eventually(
      () => running().ctx.store.issues.findByThread(`slack:${SUPPORT}`, customerTs),
      'issue',
    );
    expect(issue.messageCount).toBe(2);
    expect(await running().ctx.store.messages.listForIssue(issue.id)).toHaveLength(2);

    // `@escalator escalate <reason>` in the thread: the card goes to L2 and the thread hears of it.
    await socket.send({
      type: 'events_api',
      payload: appMentionEvent({
        channel: SUPPORT,
        user: AGENT,
        threadTs: customerTs,
        text: '<@U0BOT> escalate Double charge needs a refund I cannot approve',
      }),
    });
    const post = await fake.waitFor(
      'chat.postMessage',
      (args) => args.channel === L2 && Array.isArray(args.blocks),
    );
    const card = JSON.stringify(post.args.blocks);
    expect(card).toContain('Double charge needs a refund I cannot approve');
    expect(card).toContain('escalator:claim');
    await eventually(
      () => notesIn(customerTs).some((n) => n.includes('Escalated to *L2 Tech* as #1')),
      'escalation note in the support thread',
    );

    // `/escalate` outside a support channel: the answer travels back in the ack's payload.
    const views = fake.callsTo('views.open').length;
    const command = await socket.send({
      type: 'slash_commands',
      payload: slashCommand({ channel: 'C0RANDOM', user: AGENT, text: '' }),
    });
    expect(socket.envelopes.at(-1)).toMatchObject({ type: 'slash_commands', accepts_response_payload: true });
    expect(command.payload).toEqual({
      response_type: 'ephemeral',
      text: expect.stringContaining('Escalator only tracks threads in support channels (<#C0SUPPORT>)'),
    });
    expect(fake.callsTo('views.open')).toHaveLength(views);

    // Claim on the posted card (sent as Slack stores it): acked, and the card is edited in place.
    const escalation = await eventually(
      () => running().ctx.store.escalations.findActiveForIssue(issue.id),
      'escalation',
    );
    const cardTs = await eventually(
      async () => (await running().ctx.store.escalations.get(escalation.id))?.cardMessageId,
      'card ts',
    );
    const click = await socket.send({
      type: 'interactive',
      payload: blockAction({
        actionId: 'escalator:claim',
        channel: L2,
        user: SPECIALIST,
        message: fake.message(L2, cardTs) as unknown as Record<string, unknown>,
        messageTs: cardTs,
      }),
    });
    expect(click).toEqual({ envelope_id: socket.envelopes.at(-1)!.envelope_id, payload: {} });
    await fake.waitFor(
      'chat.update',
      (args) =>
        args.channel === L2 &&
        args.ts === cardTs &&
        JSON.stringify(args.blocks).includes('Claimed by <@U0BOB>'),
    );
    await eventually(
      () => notesIn(customerTs).some((n) => n.includes('<@U0BOB> (L2 Tech) claimed escalation #1')),
      'claim note',
    );

    // Every envelope got exactly one ack, and the client sent nothing else.
    expect(socket.acks.map((a) => a.envelope_id)).toEqual(socket.envelopes.map((e) => e.envelope_id));
    expect(socket.unexpected).toEqual([]);
    expect(socket.connectionCount).toBe(1);
  });

  it('answers heartbeats, refuses a bot token for the link, and closes the link when stopped', async () => {
    await socket.ping();

    const withBotToken = await fetch(`${fake.url}apps.connections.open`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test' },
    });
    expect(await withBotToken.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });

    await running().stop();
    app = undefined;
    await socket.waitForNoConnections(2000);
    expect(socket.connectionCount).toBe(1); // stopping does not reconnect
  });
});
