import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, verifySlackRequest } from '@slack/bolt';
import {
  ErrorCode,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../support/slack/fake-slack-api.js';
import {
  appMentionEvent,
  blockAction,
  botMessageEvent,
  channelJoinEvent,
  loadSlackFixture,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  messageShortcut,
  SLACK_IDS,
  slashCommand,
  toStateValues,
  viewSubmission,
} from '../support/slack/payloads.js';
import {
  postToSlackEndpoint,
  sendCommand,
  sendEvent,
  sendInteraction,
  sendUrlVerification,
  signSlackRequest,
} from '../support/slack/sign.js';

const TOKEN = 'xoxb-test-token';
const SECRET = 'test-signing-secret';

let fake: FakeSlackApi;

function client(extra: ConstructorParameters<typeof WebClient>[1] = {}): WebClient {
  return new WebClient(TOKEN, {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
    ...extra,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

beforeAll(async () => {
  fake = await startFakeSlackApi();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

describe('fake Slack Web API through the real WebClient', () => {
  it('answers auth.test as the bot and records the bearer token', async () => {
    const result = await client().auth.test();
    expect(result).toMatchObject({
      ok: true,
      url: 'https://acme.slack.com/',
      team: 'Acme',
      user: 'escalator',
      team_id: 'T0HOME',
      user_id: 'U0BOT',
      bot_id: 'B0BOT',
    });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ method: 'auth.test', token: TOKEN });
  });

  it('posts a message, then updates it', async () => {
    const web = client();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Escalation #1*' } }];
    const metadata = { event_type: 'escalation', event_payload: { id: 'esc_01' } };
    const first = await web.chat.postMessage({ channel: 'C0ESC', text: 'Escalation #1', blocks, metadata });
    const second = await web.chat.postMessage({ channel: 'C0ESC', text: 'Escalation #2' });
    expect(first.ok).toBe(true);
    expect(first.channel).toBe('C0ESC');
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({
      text: 'Escalation #1',
      bot_id: 'B0BOT',
      user: 'U0BOT',
      blocks,
      metadata,
    });

    const call = fake.callsTo('chat.postMessage')[0]!;
    expect(call.token).toBe(TOKEN);
    expect(call.contentType).toBe('application/x-www-form-urlencoded');
    expect(call.args).toMatchObject({ channel: 'C0ESC', text: 'Escalation #1', blocks, metadata });
    expect(call.args).not.toHaveProperty('token');

    const updatedBlocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Claimed* by <@U0BOB>' } }];
    const updated = await web.chat.update({
      channel: 'C0ESC',
      ts: first.ts!,
      text: 'Claimed',
      blocks: updatedBlocks,
    });
    expect(updated).toMatchObject({ ok: true, channel: 'C0ESC', ts: first.ts, text: 'Claimed' });

    const stored = fake.messages('C0ESC');
    expect(stored.map((m) => m.text)).toEqual(['Claimed', 'Escalation #2']);
    expect(stored[0]).toMatchObject({ ts: first.ts, blocks: updatedBlocks, metadata });
    expect(fake.message('C0ESC', first.ts!)?.edited?.user).toBe('U0BOT');
  });

  it('answers chat.update of an unknown message with message_not_found', async () => {
    await client().chat.postMessage({ channel: 'C0ESC', text: 'x' });
    const error = await rejection(client().chat.update({ channel: 'C0ESC', ts: '1.000001', text: 'y' }));
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe('message_not_found');
  });

  it('keeps threads: replies, conversations.replies and permalinks', async () => {
    const web = client();
    const parent = fake.seedMessage('C0SUPPORT', { user: 'U0CUST', text: 'Checkout is broken' });
    await web.chat.postMessage({ channel: 'C0SUPPORT', thread_ts: parent.ts, text: 'Escalated to tier 2' });
    fake.seedMessage('C0SUPPORT', { user: 'U0CUST', text: 'thanks', thread_ts: parent.ts });

    const replies = await web.conversations.replies({ channel: 'C0SUPPORT', ts: parent.ts });
    expect(replies.has_more).toBe(false);
    expect(replies.messages?.map((m) => m.text)).toEqual([
      'Checkout is broken',
      'Escalated to tier 2',
      'thanks',
    ]);
    expect(replies.messages?.[0]).toMatchObject({ thread_ts: parent.ts, reply_count: 2 });
    expect(replies.messages?.[1]).toMatchObject({ thread_ts: parent.ts, parent_user_id: 'U0CUST' });

    const link = await web.chat.getPermalink({ channel: 'C0SUPPORT', message_ts: parent.ts });
    expect(link.permalink).toBe(`https://acme.slack.com/archives/C0SUPPORT/p${parent.ts.replace('.', '')}`);

    const missing = await rejection(web.conversations.replies({ channel: 'C0SUPPORT', ts: '1.000002' }));
    expect((missing as WebAPIPlatformError).data.error).toBe('thread_not_found');
  });

  it('answers postEphemeral, views.* and users.info', async () => {
    const web = client();
    const ephemeral = await web.chat.postEphemeral({
      channel: 'C0SUPPORT',
      user: 'U0ALICE',
      text: 'only you',
    });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);

    const opened = await web.views.open({
      trigger_id: '123.456.abc',
      view: {
        type: 'modal',
        callback_id: 'escalate_modal',
        title: { type: 'plain_text', text: 'Escalate' },
        blocks: [],
      },
    });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view).toMatchObject({ callback_id: 'escalate_modal', type: 'modal' });
    const updated = await web.views.update({
      view_id: opened.view!.id!,
      view: {
        type: 'modal',
        callback_id: 'escalate_modal',
        title: { type: 'plain_text', text: 'Done' },
        blocks: [],
      },
    });
    expect(updated.view?.id).toBe(opened.view?.id);
    expect(fake.view(opened.view!.id!)?.title).toEqual({ type: 'plain_text', text: 'Done' });

    fake.addUser({ id: 'U0EXT', name: 'carol', teamId: 'T0CUSTOMER', email: 'carol@globex.com' });
    const external = await web.users.info({ user: 'U0EXT' });
    expect(external.user).toMatchObject({ id: 'U0EXT', name: 'carol', team_id: 'T0CUSTOMER' });
    expect(external.user?.profile).toMatchObject({ email: 'carol@globex.com', display_name: 'carol' });
    const synthesized = await web.users.info({ user: 'U0ALICE' });
    expect(synthesized.user).toMatchObject({ id: 'U0ALICE', team_id: 'T0HOME' });
  });

  it('answers unknown methods with unknown_method and tokenless calls with not_authed', async () => {
    const unknown = await rejection(client().apiCall('escalator.nope', {}));
    expect((unknown as WebAPIPlatformError).data.error).toBe('unknown_method');
    const tokenless = await rejection(new WebClient(undefined, { slackApiUrl: fake.url }).auth.test());
    expect((tokenless as WebAPIPlatformError).data.error).toBe('not_authed');
  });

  it('accepts JSON bodies with a bearer token', async () => {
    const response = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        channel: 'C0ESC',
        text: 'hi',
        unfurl_links: false,
        blocks: [{ type: 'divider' }],
      }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0ESC' });
    expect(fake.calls[0]).toMatchObject({
      contentType: 'application/json',
      token: TOKEN,
      args: { unfurl_links: false, blocks: [{ type: 'divider' }] },
    });
  });

  it('turns an injected 429 into WebAPIRateLimitedError with retryAfter', async () => {
    fake.failNext('chat.postMessage', { rateLimited: 7 });
    const error = await rejection(client().chat.postMessage({ channel: 'C0ESC', text: 'x' }));
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(fake.calls[0]).toMatchObject({
      method: 'chat.postMessage',
      failed: true,
      fault: { rateLimited: 7 },
    });
    expect(fake.messages('C0ESC')).toEqual([]);

    // only the next call failed
    await expect(client().chat.postMessage({ channel: 'C0ESC', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('turns an injected 500 into an HTTP error', async () => {
    fake.failNext('chat.update', { status: 500 }, 2);
    for (let i = 0; i < 2; i++) {
      const error = await rejection(client().chat.update({ channel: 'C0ESC', ts: '1.1', text: 'x' }));
      expect(error).toBeInstanceOf(WebAPIHTTPError);
      expect((error as WebAPIHTTPError).code).toBe(ErrorCode.HTTPError);
      expect((error as WebAPIHTTPError).statusCode).toBe(500);
    }
    const third = await rejection(client().chat.update({ channel: 'C0ESC', ts: '1.1', text: 'x' }));
    expect((third as WebAPIPlatformError).data.error).toBe('message_not_found');
  });

  it('fails per channel with failWhen', async () => {
    fake.failWhen(
      'chat.postMessage',
      (args) => args.channel === 'C0GONE',
      { error: 'channel_not_found' },
      Infinity,
    );
    const error = await rejection(client().chat.postMessage({ channel: 'C0GONE', text: 'x' }));
    expect((error as WebAPIPlatformError).data.error).toBe('channel_not_found');
    await expect(client().chat.postMessage({ channel: 'C0ESC', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
    await expect(client().chat.postMessage({ channel: 'C0GONE', text: 'x' })).rejects.toThrow(
      /channel_not_found/,
    );
    expect(fake.calls.map((c) => c.failed ?? false)).toEqual([true, false, true]);
  });

  it('delays, and hangs until the client gives up', async () => {
    fake.failNext('chat.postMessage', { delayMs: 150 });
    const started = Date.now();
    await client().chat.postMessage({ channel: 'C0ESC', text: 'slow' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(fake.messages('C0ESC')).toHaveLength(1);

    fake.failNext('chat.postMessage', { hang: true });
    const error = await rejection(
      client({ timeout: 200 }).chat.postMessage({ channel: 'C0ESC', text: 'lost' }),
    );
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect(fake.messages('C0ESC')).toHaveLength(1);
  });

  it('waitFor resolves for past and future calls and explains a timeout', async () => {
    const web = client();
    await web.chat.postMessage({ channel: 'C0A', text: 'first' });
    await expect(fake.waitFor('chat.postMessage')).resolves.toMatchObject({ args: { channel: 'C0A' } });

    const later = fake.waitFor('chat.postMessage', (args) => args.channel === 'C0B');
    setTimeout(() => void web.chat.postMessage({ channel: 'C0B', text: 'second' }), 20);
    await expect(later).resolves.toMatchObject({ args: { channel: 'C0B', text: 'second' } });

    const error = await rejection(fake.waitFor('chat.postMessage', (args) => args.channel === 'C0Z', 100));
    expect(String(error)).toMatch(/timed out after 100 ms/);
    expect(String(error)).toMatch(/chat\.postMessage x2/);
    expect(String(error)).toMatch(/"channel":"C0B"/);
  });

  it('records response_url posts', async () => {
    const url = fake.responseUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\//);
    const waiting = fake.waitForResponse((body) => (body as { text?: string }).text === 'done');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'done', replace_original: true }),
    });
    expect(response.status).toBe(200);
    const recorded = await waiting;
    expect(recorded.body).toEqual({ text: 'done', replace_original: true });
    expect(fake.responses).toHaveLength(1);

    fake.failNext('response_url', { error: 'expired_url' });
    const expired = await fetch(fake.responseUrl('R1'), { method: 'POST', body: '{}' });
    expect(expired.status).toBe(404);
    expect(await expired.text()).toBe('expired_url');
  });

  it('closes without waiting for hanging requests', async () => {
    const other = await startFakeSlackApi();
    other.failNext('chat.postMessage', { hang: true });
    const hanging = fetch(`${other.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C1&text=x',
    });
    await other.waitFor('chat.postMessage');
    const pending = expect(other.waitFor('never.called', undefined, 10_000)).rejects.toThrow(/closed/);
    const hangingFails = expect(hanging).rejects.toThrow();
    await other.close();
    await hangingFails;
    await pending;
  });
});

describe('signing helpers', () => {
  it('produce signatures that Bolt verifySlackRequest accepts', () => {
    const body = JSON.stringify(messageEvent());
    const headers = signSlackRequest(SECRET, body);
    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    const verify = (secret: string, h = headers) =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': h['x-slack-signature'],
          'x-slack-request-timestamp': Number(h['x-slack-request-timestamp']),
        },
      });
    expect(() => verify(SECRET)).not.toThrow();
    expect(() => verify('other-secret')).toThrow(/signature mismatch/);
    const stale = signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000) - 301);
    expect(() => verify(SECRET, stale)).toThrow(/stale/);
  });

  it('match the example from Slack docs', () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-slack-request-timestamp': '1531420618',
    });
  });
});

describe('payload builders', () => {
  it('start from the JSON fixtures', () => {
    const fixture = loadSlackFixture<{ event: Record<string, unknown> }>('message');
    const built = messageEvent({ ts: fixture.event.ts as string, eventId: 'Ev0MSG000001' });
    expect(built).toEqual({
      ...fixture,
      event: { ...fixture.event, client_msg_id: expect.any(String), blocks: [expect.any(Object)] },
    });
    expect(built.event.blocks).toMatchObject([
      { type: 'rich_text', elements: [{ elements: [{ type: 'text', text: fixture.event.text }] }] },
    ]);
    expect(messageEvent().event_id).not.toBe(messageEvent().event_id);
  });

  it('build thread replies, edits, deletions and mentions', () => {
    const reply = messageEvent({
      channel: 'C0S',
      user: 'U0X',
      text: 'hi',
      ts: '1700000005.000200',
      threadTs: '1.2',
    });
    expect(reply.event).toMatchObject({
      thread_ts: '1.2',
      parent_user_id: 'U0X',
      channel: 'C0S',
      event_ts: reply.event.ts,
    });
    expect(reply.event_time).toBe(1700000005);

    const external = messageEvent({ team: 'T0CUSTOMER' });
    expect(external.is_ext_shared_channel).toBe(true);
    expect(external.event).toMatchObject({ team: 'T0CUSTOMER', user_team: 'T0CUSTOMER' });

    const changed = messageChangedEvent({ ts: '1.5', text: 'new', previousText: 'old' });
    expect(changed.event).toMatchObject({
      subtype: 'message_changed',
      hidden: true,
      message: { ts: '1.5', text: 'new', edited: { user: 'U0ALICE' } },
      previous_message: { ts: '1.5', text: 'old' },
    });
    const deleted = messageDeletedEvent({ deletedTs: '1.5' });
    expect(deleted.event).toMatchObject({
      subtype: 'message_deleted',
      deleted_ts: '1.5',
      previous_message: { ts: '1.5' },
    });
    expect(botMessageEvent({ text: 'ticket' }).event).toMatchObject({
      subtype: 'bot_message',
      bot_id: 'B0ZENDESK',
    });
    expect(channelJoinEvent().event).toMatchObject({ subtype: 'channel_join', user: 'U0BOT' });

    const mention = appMentionEvent({ threadTs: '1.2' });
    expect(mention.event).toMatchObject({
      type: 'app_mention',
      text: '<@U0BOT> escalate customer wants refund',
      thread_ts: '1.2',
      blocks: [{ elements: [{ elements: [{ type: 'user', user_id: 'U0BOT' }, { type: 'text' }] }] }],
    });
    expect(mention.event).not.toHaveProperty('channel_type');
  });

  it('build interactions in Slack shapes', () => {
    const command = slashCommand({
      text: 'https://acme.slack.com/archives/C0SUPPORT/p1 refund',
      user: 'U0BOB',
    });
    expect(Object.keys(command)).toEqual(Object.keys(loadSlackFixture('slash_command_escalate')));
    expect(command).toMatchObject({ command: '/escalate', user_id: 'U0BOB', user_name: 'bob' });

    const shortcut = messageShortcut({ message: { ts: '1.3', thread_ts: '1.2', text: 'hm', user: 'U0C' } });
    expect(shortcut).toMatchObject({
      type: 'message_action',
      callback_id: 'escalate_thread',
      message_ts: '1.3',
      message: { ts: '1.3', thread_ts: '1.2', parent_user_id: 'U0C', text: 'hm' },
    });

    const click = blockAction({ actionId: 'resolve', value: 'esc_9', messageTs: '1.4', channel: 'C0ESC' });
    expect(click.actions[0]).toMatchObject({
      type: 'button',
      action_id: 'resolve',
      block_id: 'escalation_actions',
      value: 'esc_9',
      text: { text: 'Resolve' },
    });
    expect(click.container).toMatchObject({ type: 'message', message_ts: '1.4', channel_id: 'C0ESC' });
    expect(click.message?.ts).toBe('1.4');

    const submitted = viewSubmission({
      privateMetadata: { channel: 'C0SUPPORT', thread_ts: '1.2' },
      values: {
        severity: { severity_select: { select: 'critical' } },
        reason: { reason_input: 'refund' },
        owner: { user: 'U0BOB' },
      },
    });
    expect(submitted.view.private_metadata).toBe('{"channel":"C0SUPPORT","thread_ts":"1.2"}');
    expect(submitted.view.state.values).toEqual({
      severity: {
        severity_select: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Critical', emoji: true }, value: 'critical' },
        },
      },
      reason: { reason_input: { type: 'plain_text_input', value: 'refund' } },
      owner: { owner: { type: 'users_select', selected_user: 'U0BOB' } },
    });
    expect(submitted.view.blocks.map((b) => b.block_id)).toEqual(['severity', 'reason', 'owner']);
    // the fixture's state is what toStateValues produces for the same simple input
    expect(
      loadSlackFixture<{ view: { state: { values: unknown } } }>('view_submission_escalate').view.state
        .values,
    ).toEqual(
      toStateValues({
        severity: { severity_select: { select: 'high' } },
        reason: { reason_input: 'Customer wants a refund and a manager call' },
      }),
    );
  });
});

describe('driving a real Bolt app over signed HTTP', () => {
  let server: Server;
  let endpoint: string;
  const seen: { retryNum?: number; retryReason?: string; events: string[] } = { events: [] };

  beforeAll(async () => {
    const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
    const app = new App({
      token: TOKEN,
      receiver,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
    app.use(async ({ context, body, next }) => {
      if ((body as { type?: string }).type === 'event_callback') {
        seen.retryNum = context.retryNum;
        seen.retryReason = context.retryReason;
      }
      await next();
    });
    app.command('/escalate', async ({ ack, respond, command, client: web }) => {
      await ack();
      await respond({ response_type: 'ephemeral', text: `escalating: ${command.text}` });
      await web.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'escalate_modal',
          title: { type: 'plain_text', text: 'Escalate' },
          blocks: [],
        },
      });
    });
    app.shortcut('escalate_thread', async ({ ack, shortcut, client: web }) => {
      await ack();
      if (shortcut.type !== 'message_action') return;
      await web.chat.postMessage({
        channel: shortcut.channel.id,
        thread_ts: (shortcut.message.thread_ts as string | undefined) ?? shortcut.message_ts,
        text: 'Escalated from shortcut',
      });
    });
    app.action('claim', async ({ ack, respond, action }) => {
      await ack();
      await respond({ replace_original: true, text: `claimed ${'value' in action ? action.value : ''}` });
    });
    app.view('escalate_modal', async ({ ack, view, client: web }) => {
      await ack();
      const severity = view.state.values.severity?.severity_select?.selected_option?.value;
      const meta = JSON.parse(view.private_metadata) as { channel: string; thread_ts: string };
      await web.chat.postMessage({
        channel: meta.channel,
        thread_ts: meta.thread_ts,
        text: `severity ${severity}`,
      });
    });
    app.message(/checkout/, async ({ message, say }) => {
      seen.events.push('message');
      await say({ text: 'tracking this thread', thread_ts: 'ts' in message ? message.ts : undefined });
    });
    app.event('app_mention', async ({ event, client: web }) => {
      await web.chat.postMessage({
        channel: event.channel,
        thread_ts: event.thread_ts ?? event.ts,
        text: 'on it',
      });
    });

    server = createServer(receiver.requestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers url_verification and rejects bad or stale signatures', async () => {
    const ok = await sendUrlVerification(endpoint, SECRET, 'abc123');
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ challenge: 'abc123' });
    expect((await sendEvent(endpoint, SECRET, messageEvent(), { badSignature: true })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 301;
    expect((await sendEvent(endpoint, SECRET, messageEvent(), { timestamp: stale })).status).toBe(401);
    const raw = await postToSlackEndpoint(endpoint, {
      secret: SECRET,
      body: JSON.stringify(messageEvent()),
      contentType: 'application/json',
      headers: { 'x-slack-signature': 'v0=deadbeef' },
    });
    expect(raw.status).toBe(401);
  });

  it('delivers events, with retry headers', async () => {
    const event = messageEvent({ text: 'checkout is down', ts: '1700000500.000100' });
    const response = await sendEvent(endpoint, SECRET, event, { retryNum: 1 });
    expect(response.status).toBe(200);
    const call = await fake.waitFor('chat.postMessage', (args) => args.thread_ts === '1700000500.000100');
    expect(call.args).toMatchObject({ channel: 'C0SUPPORT', text: 'tracking this thread' });
    expect(seen).toMatchObject({ retryNum: 1, retryReason: 'http_timeout' });

    await sendEvent(
      endpoint,
      SECRET,
      appMentionEvent({ threadTs: '1700000500.000100', channel: 'C0SUPPORT' }),
    );
    await fake.waitFor('chat.postMessage', (args) => args.text === 'on it');
  });

  it('delivers slash commands, shortcuts, button clicks and modal submissions', async () => {
    const responseUrl = fake.responseUrl();
    const command = await sendCommand(endpoint, SECRET, slashCommand({ text: 'refund please', responseUrl }));
    expect(command.status).toBe(200);
    await fake.waitForResponse((body) => (body as { text?: string }).text === 'escalating: refund please');
    const open = await fake.waitFor('views.open');
    expect(open.args).toMatchObject({ view: { callback_id: 'escalate_modal' } });

    await sendInteraction(endpoint, SECRET, messageShortcut({ channel: SLACK_IDS.supportChannel }));
    await fake.waitFor(
      'chat.postMessage',
      (args) => args.text === 'Escalated from shortcut' && args.thread_ts === '1700000000.000100',
    );

    const clickUrl = fake.responseUrl('click');
    const click = await sendInteraction(
      endpoint,
      SECRET,
      blockAction({ value: 'esc_42', responseUrl: clickUrl }),
    );
    expect(click.status).toBe(200);
    const replaced = await fake.waitForResponse((_body, r) => r.id === 'click');
    expect(replaced.body).toMatchObject({ replace_original: true, text: 'claimed esc_42' });

    const submit = await sendInteraction(
      endpoint,
      SECRET,
      viewSubmission({ values: { severity: { severity_select: { select: 'critical' } } } }),
    );
    expect(submit.status).toBe(200);
    await fake.waitFor(
      'chat.postMessage',
      (args) => args.text === 'severity critical' && args.channel === 'C0SUPPORT',
    );
  });
});
