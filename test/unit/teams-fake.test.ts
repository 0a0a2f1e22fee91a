/**
 * Proves the Teams test doubles (fake connector, activity builders, local OpenID provider) against
 * real botbuilder 4.23 code: a CloudAdapter on a loopback `node:http` server, a TeamsActivityHandler
 * bot calling back through `activity.serviceUrl`, and Bot Framework token validation.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  TeamsActivityHandler,
  TeamsInfo,
  type TurnContext,
  TurnContext as TurnContextClass,
} from 'botbuilder';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  adaptiveCardInvoke,
  channelMessage,
  conversationUpdateInstall,
  loadTeamsFixture,
  mentionMessage,
  messageDelete,
  messageEdit,
  messageExtensionFetchTask,
  messageExtensionSubmitAction,
  messagePayloadFrom,
  messagePayloadText,
  parseConversationId,
  TEAMS_FIXTURES,
  TEAMS_IDS,
  type TeamsActivity,
  threadConversationId,
} from '../support/teams/activities.js';
import { type FakeConnector, startFakeConnector } from '../support/teams/fake-connector.js';
import { botFrameworkAuthSettings, type LocalOpenId, startLocalOpenId } from '../support/teams/local-jwt.js';
import { postActivity } from '../support/teams/post-activity.js';

const { channels, users } = TEAMS_IDS;
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

// ---------------------------------------------------------------------------------------------
// A bot on loopback: CloudAdapter.process behind node:http

type Logic = (context: TurnContext) => Promise<void>;

interface BotServer {
  url: string;
  close(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

/**
 * Mounts `adapter.process` at `/api/messages`. CloudAdapter wants an already-parsed JSON body on
 * `req.body` and an Express-like response (`status`, `header`, `send`, `end`): a small shim.
 */
async function startBotServer(adapter: CloudAdapter, logic: Logic): Promise<BotServer> {
  const server: Server = createServer(async (req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/api/messages') {
      res.writeHead(404).end();
      return;
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid JSON');
      return;
    }
    const request = { method: req.method, headers: req.headers, body: body as Record<string, unknown> };
    const response = {
      socket: res.socket,
      status(code: number) {
        res.statusCode = code;
        return this;
      },
      header(name: string, value: unknown) {
        res.setHeader(name, String(value));
        return this;
      },
      send(payload: unknown) {
        if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
          if (!res.hasHeader('content-type')) res.setHeader('content-type', 'text/plain; charset=utf-8');
          res.write(payload);
        } else {
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.write(JSON.stringify(payload));
        }
        return this;
      },
      end() {
        if (!res.writableEnded) res.end();
        return this;
      },
    };
    try {
      await adapter.process(request, response, logic);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      if (!res.writableEnded) res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// A tiny Teams bot

function escalationCard(state: string) {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text: `Escalation esc_01: ${state}`, wrap: true }],
    actions: [{ type: 'Action.Execute', title: 'Claim', verb: 'claim', data: { escalationId: 'esc_01' } }],
  });
}

class ProbeBot extends TeamsActivityHandler {
  readonly messages: string[] = [];
  readonly edits: string[] = [];
  readonly deletes: string[] = [];
  readonly installs: Array<{ teamId?: string; channels: string[]; members: string[]; team?: string }> = [];
  /** The conversation id `sendMessageToTeamsChannel` returned. */
  startedConversationId?: string;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly outbound = true,
  ) {
    super();
    this.onMessage(async (context, next) => {
      const text = (TurnContextClass.removeRecipientMention(context.activity) ?? '').trim();
      this.messages.push(text);
      if (this.outbound) {
        await context.sendActivity(`Escalating: ${text}`);
        const [reference, conversationId] = await TeamsInfo.sendMessageToTeamsChannel(
          context,
          MessageFactory.attachment(escalationCard('open')) as Activity,
          channels.l2,
          this.botAppId,
        );
        this.startedConversationId = conversationId;
        // With CloudAdapter the second value is the new thread's conversation id, not the activity id.
        const cardId = parseConversationId(conversationId).rootId!;
        await this.adapter.continueConversationAsync(this.botAppId, reference, async (ctx) => {
          await ctx.updateActivity({ type: 'message', id: cardId, attachments: [escalationCard('waiting')] });
        });
      }
      await next();
    });
    this.onTeamsMessageEditEvent(async (context, next) => {
      this.edits.push(`${context.activity.id}: ${context.activity.text}`);
      await next();
    });
    this.onTeamsMessageSoftDeleteEvent(async (context, next) => {
      this.deletes.push(context.activity.id!);
      await next();
    });
    this.onTeamsMembersAddedEvent(async (membersAdded, teamInfo, context, next) => {
      if (membersAdded.some((m) => m.id === context.activity.recipient.id)) {
        const list = await TeamsInfo.getTeamChannels(context);
        const page = await TeamsInfo.getPagedMembers(context, 3);
        const details = await TeamsInfo.getTeamDetails(context);
        this.installs.push({
          teamId: teamInfo?.id,
          channels: list.map((c) => c.id!),
          members: page.members.map((m) => m.name),
          team: details.name,
        });
      }
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const data = invokeValue.action.data as { escalationId?: string };
    return {
      statusCode: 200,
      type: ADAPTIVE,
      value: escalationCard(
        `${invokeValue.action.verb} ${data.escalationId} by ${context.activity.from.name}`,
      ).content,
    };
  }

  protected override async handleTeamsMessagingExtensionFetchTask(
    _context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const quoted = messagePayloadText(action.messagePayload as never);
    return {
      task: {
        type: 'continue',
        value: {
          title: `Escalate: ${quoted}`,
          card: escalationCard('draft'),
          height: 'medium',
          width: 'medium',
        },
      },
    };
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    _context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const data = action.data as { path: string; reason: string };
    return { task: { type: 'message', value: `Escalated to ${data.path}: ${data.reason}` } };
  }
}

// ---------------------------------------------------------------------------------------------

describe('Teams activity builders', () => {
  it('have a fixture for every builder, in Teams shapes', () => {
    for (const name of TEAMS_FIXTURES) {
      const fixture = loadTeamsFixture(name);
      expect(fixture.channelId).toBe('msteams');
      expect(fixture.recipient).toEqual({ id: TEAMS_IDS.botId, name: 'Escalator' });
      expect(fixture.conversation).toMatchObject({ isGroup: true, conversationType: 'channel' });
      expect(fixture.conversation.tenantId).toBe(TEAMS_IDS.tenantId);
    }
  });

  it('build a root post and a reply with Teams thread ids', () => {
    const root = channelMessage({ serviceUrl: 'http://127.0.0.1:1/', text: 'Checkout <b>down</b> & out' });
    expect(root).toMatchObject({
      type: 'message',
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:1/',
      textFormat: 'plain',
      text: 'Checkout <b>down</b> & out',
      from: { id: users.customer.id, name: users.customer.name, aadObjectId: users.customer.aadObjectId },
      conversation: { id: `${channels.support};messageid=${root.id}`, tenantId: TEAMS_IDS.tenantId },
      channelData: {
        teamsChannelId: channels.support,
        teamsTeamId: TEAMS_IDS.teamId,
        channel: { id: channels.support },
        team: { id: TEAMS_IDS.teamId },
        tenant: { id: TEAMS_IDS.tenantId },
      },
      attachments: [
        { contentType: 'text/html', content: '<p>Checkout &lt;b&gt;down&lt;/b&gt; &amp; out</p>' },
      ],
    });
    expect(root.id).toMatch(/^\d{13}$/);
    expect(root).not.toHaveProperty('replyToId');
    expect(root.entities?.map((e) => e.type)).toEqual(['clientInfo']);
    expect(Date.parse(root.localTimestamp!)).toBe(Date.parse(root.timestamp));

    const reply = channelMessage({ threadRootId: root.id, user: users.agent, text: 'on it' });
    expect(reply.conversation.id).toBe(threadConversationId(channels.support, root.id));
    expect(reply.replyToId).toBe(root.id);
    expect(Number(reply.id)).toBeGreaterThan(Number(root.id));
    expect(reply.from.id).toBe(users.agent.id);
  });

  it('build mentions, edits, deletes, installs, card actions and message actions', () => {
    const mention = mentionMessage({
      threadRootId: '1700000000999',
      text: 'escalate to l2 P1 checkout down',
    });
    expect(mention.text).toBe('<at>Escalator</at> escalate to l2 P1 checkout down');
    expect(mention.entities?.[0]).toEqual({
      type: 'mention',
      text: '<at>Escalator</at>',
      mentioned: { id: TEAMS_IDS.botId, name: 'Escalator' },
    });
    expect(mention).toMatchObject({
      replyToId: '1700000000999',
      conversation: { id: `${channels.support};messageid=1700000000999` },
    });
    expect(mentionMessage({ threadRootId: null }).replyToId).toBeUndefined();

    const edit = messageEdit({ id: '1700000000999', text: 'new text' });
    expect(edit).toMatchObject({ type: 'messageUpdate', id: '1700000000999', text: 'new text' });
    expect(edit.channelData?.eventType).toBe('editMessage');
    const deleted = messageDelete({ id: '1700000001000', threadRootId: '1700000000999' });
    expect(deleted).toMatchObject({ type: 'messageDelete', replyToId: '1700000000999' });
    expect(deleted.channelData?.eventType).toBe('softDeleteMessage');

    const install = conversationUpdateInstall({ channelId: channels.support });
    expect(install).toMatchObject({
      type: 'conversationUpdate',
      membersAdded: [{ id: TEAMS_IDS.botId }],
      conversation: { id: channels.support },
      channelData: { eventType: 'teamMemberAdded', team: { id: TEAMS_IDS.teamId, name: 'Acme Support' } },
    });

    const click = adaptiveCardInvoke({
      verb: 'resolve',
      data: { escalationId: 'esc_09' },
      replyToId: '1700000000777',
    });
    expect(click).toMatchObject({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: '1700000000777',
      conversation: { id: `${channels.l2};messageid=1700000000777` },
      value: {
        action: { type: 'Action.Execute', verb: 'resolve', data: { escalationId: 'esc_09' } },
        trigger: 'manual',
      },
      from: { id: users.specialist.id },
    });

    const post = channelMessage({ text: 'Line one\nline <two>' });
    const fetchTask = messageExtensionFetchTask({ message: post });
    const payload = messagePayloadFrom(post);
    expect(fetchTask).toMatchObject({
      type: 'invoke',
      name: 'composeExtension/fetchTask',
      conversation: { id: `${channels.support};messageid=${post.id}` },
      value: { commandId: 'escalate', commandContext: 'message', messagePayload: payload },
    });
    expect(payload).toMatchObject({
      id: post.id,
      replyToId: null,
      createdDateTime: post.timestamp,
      from: { user: { id: users.customer.aadObjectId, displayName: users.customer.name } },
      body: { contentType: 'html', content: '<p>Line one<br>line &lt;two&gt;</p>' },
    });
    expect(messagePayloadText(payload)).toBe('Line one\nline <two>');

    const submit = messageExtensionSubmitAction({
      data: { path: 'l3', reason: 'why' },
      messagePayload: { id: '1700000000555', replyToId: '1700000000444' },
    });
    expect(submit).toMatchObject({
      name: 'composeExtension/submitAction',
      conversation: { id: `${channels.support};messageid=1700000000444` },
      value: {
        commandId: 'escalate',
        commandContext: 'message',
        data: { path: 'l3', reason: 'why' },
        messagePayload: { id: '1700000000555', replyToId: '1700000000444', body: { contentType: 'html' } },
      },
    });
    expect(submit.value).not.toHaveProperty('botMessagePreviewAction');
  });
});

describe('fake connector through a botbuilder CloudAdapter (auth disabled)', () => {
  let fake: FakeConnector;
  let adapter: CloudAdapter;
  let bot: ProbeBot;
  let server: BotServer;
  const turnErrors: unknown[] = [];

  beforeAll(async () => {
    fake = await startFakeConnector();
    // An empty app id disables auth: no inbound JWT needed, no outbound token sent.
    adapter = new CloudAdapter(
      new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }),
    );
    adapter.onTurnError = async (_context, error) => {
      turnErrors.push(error);
    };
    // sendMessageToTeamsChannel and continueConversationAsync need a non-empty bot app id anyway.
    bot = new ProbeBot(adapter, TEAMS_IDS.appId);
    server = await startBotServer(adapter, (context) => bot.run(context));
  });

  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  beforeEach(() => {
    fake.reset();
    turnErrors.length = 0;
    bot.messages.length = 0;
  });

  it('replies in the thread, starts a channel thread with a card and updates it', async () => {
    const root = fake.seedActivity(channelMessage({ serviceUrl: fake.serviceUrl, text: 'Checkout is down' }));
    const mention = mentionMessage({
      serviceUrl: fake.serviceUrl,
      threadRootId: root.id,
      text: 'escalate to l2 P1 checkout down',
    });
    const result = await postActivity(server.url, mention);
    expect(turnErrors).toEqual([]);
    expect(result.status).toBe(200);
    expect(bot.messages).toEqual(['escalate to l2 P1 checkout down']);

    const reply = await fake.waitFor('reply');
    expect(reply).toMatchObject({
      method: 'POST',
      conversationId: `${channels.support};messageid=${root.id}`,
      channel: channels.support,
      activityId: mention.id,
      status: 201,
      body: { type: 'message', text: 'Escalating: escalate to l2 P1 checkout down', replyToId: mention.id },
    });
    // Conversation ids arrive URL-encoded in the path.
    expect(reply.path).toBe(
      `/v3/conversations/${encodeURIComponent(reply.conversationId!)}/activities/${mention.id}`,
    );
    expect(reply.headers.authorization).toBeUndefined();

    const created = await fake.waitFor('create_conversation', (c) => c.channel === channels.l2);
    expect(created.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: channels.l2 } },
      activity: { type: 'message', attachments: [{ contentType: ADAPTIVE }] },
    });
    const cardId = created.newActivityId!;
    expect(cardId).toMatch(/^1700000\d{6}$/);
    expect(created.response).toEqual({ id: `${channels.l2};messageid=${cardId}`, activityId: cardId });
    expect(bot.startedConversationId).toBe(`${channels.l2};messageid=${cardId}`);

    const update = await fake.waitFor('update', (c) => c.activityId === cardId);
    expect(update).toMatchObject({
      method: 'PUT',
      conversationId: `${channels.l2};messageid=${cardId}`,
      status: 200,
    });
    expect(update.response).toEqual({ id: cardId });

    const card = fake.activity(cardId)!;
    expect(card.conversation.id).toBe(`${channels.l2};messageid=${cardId}`);
    expect(card.attachments).toMatchObject([
      { contentType: ADAPTIVE, content: { body: [{ text: 'Escalation esc_01: waiting' }] } },
    ]);
    expect(fake.versions(cardId)).toHaveLength(2);
    expect(fake.thread(channels.l2, cardId).map((a) => a.id)).toEqual([cardId]);
    expect(fake.roots(channels.l2).map((a) => a.id)).toEqual([cardId]);

    const thread = fake.thread(channels.support, root.id);
    expect(thread.map((a) => a.text)).toEqual([
      'Checkout is down',
      'Escalating: escalate to l2 P1 checkout down',
    ]);
    expect(fake.thread(threadConversationId(channels.support, root.id))).toEqual(thread);
    expect(fake.calls.map((c) => c.kind)).toEqual(['reply', 'create_conversation', 'update']);
  });

  it('answers an Action.Execute click with the card the bot returns', async () => {
    const result = await postActivity(
      server.url,
      adaptiveCardInvoke({ serviceUrl: fake.serviceUrl, verb: 'claim', data: { escalationId: 'esc_01' } }),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      statusCode: 200,
      type: ADAPTIVE,
      value: { type: 'AdaptiveCard', body: [{ text: 'Escalation esc_01: claim esc_01 by Bob Specialist' }] },
    });
  });

  it('routes the message action (fetchTask, then submitAction)', async () => {
    const post = channelMessage({ serviceUrl: fake.serviceUrl, text: 'Refund <not> processed' });
    const fetched = await postActivity(
      server.url,
      messageExtensionFetchTask({ serviceUrl: fake.serviceUrl, message: post }),
    );
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({
      task: { type: 'continue', value: { title: 'Escalate: Refund <not> processed' } },
    });

    const submitted = await postActivity(
      server.url,
      messageExtensionSubmitAction({
        serviceUrl: fake.serviceUrl,
        message: post,
        data: { path: 'l2', reason: 'refund' },
      }),
    );
    expect(submitted).toMatchObject({
      status: 200,
      body: { task: { type: 'message', value: 'Escalated to l2: refund' } },
    });
  });

  it('routes edits and soft deletes', async () => {
    bot.edits.length = 0;
    bot.deletes.length = 0;
    await postActivity(
      server.url,
      messageEdit({ serviceUrl: fake.serviceUrl, id: '1700000000999', text: 'edited' }),
    );
    await postActivity(
      server.url,
      messageDelete({ serviceUrl: fake.serviceUrl, id: '1700000001000', threadRootId: '1700000000999' }),
    );
    expect(bot.edits).toEqual(['1700000000999: edited']);
    expect(bot.deletes).toEqual(['1700000001000']);
    expect(fake.calls).toEqual([]);
  });

  it('serves channels, paged members and team details to TeamsInfo on install', async () => {
    bot.installs.length = 0;
    const result = await postActivity(
      server.url,
      conversationUpdateInstall({ serviceUrl: fake.serviceUrl, teamId: TEAMS_IDS.teamId }),
    );
    expect(turnErrors).toEqual([]);
    expect(result.status).toBe(200);
    expect(bot.installs).toEqual([
      {
        teamId: TEAMS_IDS.teamId,
        channels: Object.values(channels),
        members: [users.customer.name, users.agent.name, users.specialist.name],
        team: 'Acme Support',
      },
    ]);
    expect(fake.calls.map((c) => c.kind)).toEqual(['get_channels', 'get_paged_members', 'get_team']);
    expect(fake.callsOf('get_paged_members')[0]!.query).toEqual({ pageSize: '3' });
  });

  it('shows botbuilder retrying 5xx/429 (4 attempts, Retry-After honoured) before the bot sees the failure', async () => {
    // One 503: botbuilder's connector client retries by itself and the reply lands.
    fake.failNext('reply', { status: 503, retryAfter: 0 });
    await postActivity(server.url, mentionMessage({ serviceUrl: fake.serviceUrl }));
    expect(turnErrors).toEqual([]);
    expect(fake.callsOf('reply').map((c) => c.status)).toEqual([503, 201]);

    // Four in a row exhaust its 3 retries. `retryAfter: 0` keeps this fast: for 429/503 it waits
    // Retry-After; other 5xx back off exponentially (about 5 s for all 3 retries).
    fake.reset();
    fake.failNext('reply', { status: 503, retryAfter: 0 }, 4);
    const result = await postActivity(server.url, mentionMessage({ serviceUrl: fake.serviceUrl }));
    expect(result.status).toBe(200); // onTurnError handled it
    expect(turnErrors).toHaveLength(1);
    expect(turnErrors[0]).toMatchObject({ statusCode: 503, code: 'ServiceUnavailable' });
    expect(fake.callsOf('reply').map((c) => c.failed)).toEqual([true, true, true, true]);
    expect(fake.callsOf('create_conversation')).toEqual([]);
  });
});

describe('fake connector over plain HTTP', () => {
  let fake: FakeConnector;

  beforeAll(async () => {
    fake = await startFakeConnector();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  async function call(method: string, path: string, body?: unknown, signal?: AbortSignal) {
    const response = await fetch(new URL(path, fake.serviceUrl), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  const conv = (id: string) => `v3/conversations/${encodeURIComponent(id)}`;

  it('starts a thread when posting to a bare channel; replies, updates and deletes in it', async () => {
    const first = await call('POST', `${conv(channels.l3)}/activities`, { type: 'message', text: 'root' });
    expect(first.status).toBe(201);
    const rootId = first.body.id as string;
    const threadId = threadConversationId(channels.l3, rootId);
    const reply = await call('POST', `${conv(threadId)}/activities/${rootId}`, {
      type: 'message',
      text: 'reply',
    });
    const sent = await call('POST', `${conv(threadId)}/activities`, { type: 'message', text: 'in thread' });
    expect(Number(reply.body.id)).toBeGreaterThan(Number(rootId));
    expect(fake.thread(channels.l3, rootId).map((a) => a.text)).toEqual(['root', 'reply', 'in thread']);
    expect(fake.activity(reply.body.id)).toMatchObject({ replyToId: rootId, conversation: { id: threadId } });

    const updated = await call('PUT', `${conv(threadId)}/activities/${reply.body.id}`, {
      type: 'message',
      text: 'reply (edited)',
    });
    expect(updated).toMatchObject({ status: 200, body: { id: reply.body.id } });
    expect(fake.activity(reply.body.id)?.text).toBe('reply (edited)');

    const removed = await call('DELETE', `${conv(threadId)}/activities/${sent.body.id}`);
    expect(removed.status).toBe(200);
    expect(fake.activity(sent.body.id)).toBeUndefined();
    expect(fake.thread(threadId).map((a) => a.text)).toEqual(['root', 'reply (edited)']);
    expect(fake.callsOf('delete')[0]).toMatchObject({ conversationId: threadId, activityId: sent.body.id });
  });

  it('answers 404 NotFound when updating or deleting an activity it never created', async () => {
    const missing = await call('PUT', `${conv(`${channels.l2};messageid=1`)}/activities/1`, {
      type: 'message',
      text: 'x',
    });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NotFound' } } });
    expect((await call('DELETE', `${conv(channels.l2)}/activities/2`)).status).toBe(404);
  });

  it('lists members (plain, paged, one) and channels; registers more', async () => {
    const all = await call('GET', `${conv(threadConversationId(channels.support, '1'))}/members`);
    expect(all.body.map((m: { id: string }) => m.id)).toEqual(Object.values(users).map((u) => u.id));
    expect(all.body[0]).toMatchObject({
      id: users.customer.id,
      name: users.customer.name,
      aadObjectId: users.customer.aadObjectId,
      email: users.customer.email,
      userPrincipalName: users.customer.userPrincipalName,
      tenantId: TEAMS_IDS.tenantId,
      userRole: 'user',
    });
    const page1 = await call('GET', `${conv(channels.support)}/pagedmembers?pageSize=3`);
    expect(page1.body.members).toHaveLength(3);
    const page2 = await call(
      'GET',
      `${conv(channels.support)}/pagedmembers?pageSize=3&continuationToken=${page1.body.continuationToken}`,
    );
    expect(page2.body).toEqual({ members: [expect.objectContaining({ id: users.otherSpecialist.id })] });
    const one = await call(
      'GET',
      `${conv(channels.support)}/members/${encodeURIComponent(users.agent.aadObjectId)}`,
    );
    expect(one.body.name).toBe('Alice Agent');
    const none = await call('GET', `${conv(channels.support)}/members/29%3Anobody`);
    expect(none).toMatchObject({ status: 404, body: { error: { code: 'MemberNotFoundInConversation' } } });

    fake.setMembers([users.specialist], channels.l3);
    const l3 = await call('GET', `${conv(threadConversationId(channels.l3, '5'))}/members`);
    expect(l3.body.map((m: { name: string }) => m.name)).toEqual(['Bob Specialist']);

    fake.addChannel({ id: '19:extra@thread.tacv2', name: 'extra' });
    const listed = await call('GET', `v3/teams/${encodeURIComponent(TEAMS_IDS.teamId)}/conversations`);
    expect(listed.body.conversations).toContainEqual({ id: channels.support, name: 'support' });
    expect(listed.body.conversations).toContainEqual({ id: '19:extra@thread.tacv2', name: 'extra' });
    expect(listed.body.conversations[0]).toEqual({ id: TEAMS_IDS.teamId }); // General has no name
    expect((await call('GET', 'v3/teams/19%3Anope%40thread.tacv2/conversations')).status).toBe(404);
  });

  it('injects HTTP errors with Retry-After, delays and hangs', async () => {
    fake.failNext('send', { status: 429, retryAfter: 2 }, 2);
    for (let i = 0; i < 2; i += 1) {
      const throttled = await call('POST', `${conv(channels.l2)}/activities`, { type: 'message', text: 'x' });
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('2');
    }
    expect(
      (await call('POST', `${conv(channels.l2)}/activities`, { type: 'message', text: 'x' })).status,
    ).toBe(201);
    expect(fake.callsOf('send').map((c) => c.failed ?? false)).toEqual([true, true, false]);
    expect(fake.roots(channels.l2)).toHaveLength(1);

    fake.failWhen('*', (c) => c.channel === channels.head, { status: 502 });
    expect(
      (await call('POST', `${conv(channels.l2)}/activities`, { type: 'message', text: 'x' })).status,
    ).toBe(201);
    expect(
      (await call('POST', `${conv(channels.head)}/activities`, { type: 'message', text: 'x' })).status,
    ).toBe(502);

    fake.failNext('send', { delayMs: 150 });
    const started = Date.now();
    expect(
      (await call('POST', `${conv(channels.l2)}/activities`, { type: 'message', text: 'slow' })).status,
    ).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    fake.failNext('reply', { hang: true });
    const hung = call(
      'POST',
      `${conv(channels.l2)}/activities/1`,
      { type: 'message', text: 'x' },
      AbortSignal.timeout(200),
    );
    await expect(hung).rejects.toThrow();
    expect(await fake.waitFor('reply')).toMatchObject({ failed: true, fault: { hang: true } });
  });

  it('rejects waitFor after the timeout, listing what was recorded', async () => {
    await call('POST', `${conv(channels.l2)}/activities`, { type: 'message', text: 'x' });
    await expect(fake.waitFor('update', undefined, 50)).rejects.toThrow(/timed out after 50 ms.*send x1/);
  });
});

describe('inbound auth with the local OpenID provider', () => {
  const appId = TEAMS_IDS.appId;
  let openId: LocalOpenId;
  let fake: FakeConnector;
  let silentBot: ProbeBot;
  let silent: BotServer;

  beforeAll(async () => {
    openId = await startLocalOpenId();
    fake = await startFakeConnector();
    // The settings that make botbuilder accept the local tokens (what botFrameworkAuthSettings returns).
    const settings = {
      MicrosoftAppId: appId,
      MicrosoftAppPassword: 'local-test-password',
      MicrosoftAppType: 'MultiTenant',
      ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
      ToBotFromChannelTokenIssuer: openId.issuer,
      ToBotFromEmulatorOpenIdMetadataUrl: openId.metadataUrl,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: 'true',
    };
    expect(botFrameworkAuthSettings(openId, { appId })).toEqual(settings);
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));
    // No outbound calls here: with a real app id they would ask Azure AD for a token.
    silentBot = new ProbeBot(adapter, appId, false);
    silent = await startBotServer(adapter, (context) => silentBot.run(context));
  });

  afterAll(async () => {
    await silent?.close();
    await fake?.close();
    await openId?.close();
  });

  beforeEach(() => {
    silentBot.messages.length = 0;
    // botbuilder logs every rejected token with console.error.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  function activity(): TeamsActivity {
    return channelMessage({ serviceUrl: fake.serviceUrl, text: 'hello' });
  }

  it('publishes Bot Framework-like OpenID metadata and keys', async () => {
    const config = await (await fetch(openId.metadataUrl)).json();
    expect(config).toMatchObject({
      issuer: 'https://api.botframework.com',
      jwks_uri: openId.jwksUrl,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = await (await fetch(openId.jwksUrl)).json();
    expect(jwks).toEqual(openId.jwks());
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: openId.kid, endorsements: ['msteams'] });
  });

  it('accepts a token signed by the local key and rejects a missing one', async () => {
    const unsigned = await postActivity(silent.url, activity());
    expect(unsigned.status).toBe(401);

    const a = activity();
    const ok = await postActivity(silent.url, a, {
      token: openId.sign({ audience: appId, serviceUrl: a.serviceUrl }),
    });
    expect(ok.status).toBe(200);
    expect(silentBot.messages).toEqual(['hello']);
    // botbuilder fetched the configuration, then the keys (and caches them per metadata URL).
    expect(openId.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/.well-known/openid-configuration', '/.well-known/keys']),
    );
  });

  it.each([
    ['the wrong audience', { audience: '00000000-0000-4000-8000-00000000dead' }],
    ['an expired token (beyond the 300 s clock skew)', { expiresIn: -600 }],
    ['another issuer', { issuer: 'https://sts.example.com/' }],
    ['another serviceurl', { serviceUrl: 'https://smba.trafficmanager.net/emea/' }],
    ['an unknown key id', { kid: 'not-published' }],
  ])('rejects %s with 401', async (_name, overrides) => {
    const a = activity();
    const token = openId.sign({ audience: appId, serviceUrl: a.serviceUrl, ...overrides });
    const result = await postActivity(silent.url, a, { token });
    expect(result.status).toBe(401);
    expect(silentBot.messages).toEqual([]);
  });

  it('answers 500, not 401, for a forged signature or a token not valid yet (botbuilder rethrows those)', async () => {
    for (const overrides of [{ untrusted: true }, { notBefore: 900 }]) {
      const a = activity();
      const token = openId.sign({ audience: appId, serviceUrl: a.serviceUrl, ...overrides });
      expect((await postActivity(silent.url, a, { token })).status).toBe(500);
    }
    expect(silentBot.messages).toEqual([]);
  });

  it('rejects a channel the key is not endorsed for', async () => {
    const webchat = { ...activity(), channelId: 'webchat' };
    const result = await postActivity(silent.url, webchat, {
      token: openId.sign({ audience: appId, serviceUrl: webchat.serviceUrl }),
    });
    expect(result.status).toBe(401);
    expect(silentBot.messages).toEqual([]);
  });

  it('runs a bot end to end with auth on, given local outbound credentials', async () => {
    // Outbound, a bot with an app id gets a token from Azure AD. Tests swap the credentials factory
    // for one that signs connector calls with a local token instead (the fake records the header).
    const outboundToken = openId.sign({ audience: 'https://api.botframework.com' });
    const credentials: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1] = {
      isValidAppId: async (id) => id === appId,
      isAuthenticationDisabled: async () => false,
      createCredentials: async () => ({
        signRequest: async (request) => {
          request.headers.set('authorization', `Bearer ${outboundToken}`);
          return request;
        },
      }),
    };
    const adapter = new CloudAdapter(
      new ConfigurationBotFrameworkAuthentication(botFrameworkAuthSettings(openId, { appId }), credentials),
    );
    const errors: unknown[] = [];
    adapter.onTurnError = async (_context, error) => {
      errors.push(error);
    };
    const bot = new ProbeBot(adapter, appId);
    const server = await startBotServer(adapter, (context) => bot.run(context));
    try {
      fake.reset();
      const mention = mentionMessage({ serviceUrl: fake.serviceUrl });
      const result = await postActivity(server.url, mention, {
        token: openId.sign({ audience: appId, serviceUrl: mention.serviceUrl }),
      });
      expect(errors).toEqual([]);
      expect(result.status).toBe(200);
      expect(fake.calls.map((c) => c.kind)).toEqual(['reply', 'create_conversation', 'update']);
      for (const c of fake.calls) expect(c.headers.authorization).toBe(`Bearer ${outboundToken}`);
    } finally {
      await server.close();
    }
  });
});
