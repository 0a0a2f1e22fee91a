import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SLACK_MAX_BODY_BYTES } from '../../adapters/slack/guard-slack-request.js';
import { MODALS } from '../../adapters/slack/modals.js';
import { loadPolicyFile } from '../../src/config/load-policy.js';
import { startEscalator } from '../../src/escalator.js';
import { countChanges, tableCounts } from '../support/core/table-counts.js';
import {
  blockAction,
  messageEvent,
  postToSlackEndpoint,
  type SlackEndpointResponse,
  sendCommand,
  sendInteraction,
  sendUrlVerification,
  signSlackRequest,
  slackTs,
  slashCommand,
  viewSubmission,
} from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import type { StoryCard, StoryThread } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { SLACK_SECRET, StoryWorld } from '../support/story/story-world.js';
import {
  channelMessage,
  type LocalOpenId,
  mentionMessage,
  postActivity,
  startLocalOpenId,
  TEAMS_IDS,
  type TeamsActivity,
} from '../support/teams/index.js';
import { type LogRecord, RecordingLogger } from '../support/teams/recording-logger.js';

/**
 * Requests that must not reach the core, on both endpoints, through the real HTTP stack: forged,
 * replayed and future-dated signatures or tokens (401), oversized bodies (413), bodies that are not
 * JSON or not a payload Escalator knows (400, logged with the request id). Each refusal changes
 * nothing: no database row, no outbox entry, no call to Slack or the Bot Connector. Every request
 * carries an id, echoed in the response and bound to what is logged about it.
 */

const TEAMS_SUPPORT = `teams:${TEAMS_IDS.channels.support}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Slack on (HTTP mode) and Teams on with real token checks against a local OpenID provider. */
class GuardedWorld extends StoryWorld {
  openId!: LocalOpenId;
  readonly log = new RecordingLogger();

  static async begin(): Promise<GuardedWorld> {
    const policy = storyPolicy('slack');
    const world = new GuardedWorld({
      ...policy,
      supportChannels: [...policy.supportChannels, { channel: TEAMS_SUPPORT, path: 'tech' }],
    });
    world.openId = await startLocalOpenId();
    await world.open();
    return world;
  }

  override async boot(): Promise<void> {
    this.app = await startEscalator({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: this.dbUrl,
      policy: this.policy,
      slack: { botToken: 'xoxb-test', signingSecret: SLACK_SECRET, apiUrl: this.slackApi.url },
      teams: {
        appId: TEAMS_IDS.appId,
        appPassword: 'x',
        appType: 'MultiTenant',
        allowUnauthenticated: false,
        openIdMetadataUrl: this.openId.metadataUrl,
        tokenIssuer: this.openId.issuer,
      },
      log: this.log,
      clock: this.clock,
      schedules: false,
    });
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.openId.close();
  }

  get slackUrl() {
    return `${this.app.url}/slack/events`;
  }
  get teamsUrl() {
    return `${this.app.url}/api/messages`;
  }

  /** Everything that could change: rows per table, and calls made to both platforms. */
  async footprint() {
    return {
      rows: await tableCounts(this.dbUrl),
      slackCalls: this.slackApi.calls.length,
      connectorCalls: this.connector.calls.length,
    };
  }

  /** The warnings logged about one request. */
  warningsFor(requestId: string | null): LogRecord[] {
    return this.log.at('warn').filter((r) => (r.obj as { requestId?: string }).requestId === requestId);
  }
}

type Forgery = 'unsigned' | 'mis-signed' | 'replayed' | 'future-dated';
const FORGERIES: Forgery[] = ['unsigned', 'mis-signed', 'replayed', 'future-dated'];

/** Sends a body to /slack/events signed the way `forgery` says (or not at all). */
async function sendForged(
  url: string,
  forgery: Forgery,
  body: string,
  contentType: string,
): Promise<SlackEndpointResponse> {
  if (forgery === 'unsigned') {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }
  return postToSlackEndpoint(url, {
    secret: SLACK_SECRET,
    body,
    contentType,
    badSignature: forgery === 'mis-signed',
    // Slack allows 5 minutes either way; one second beyond it in each direction.
    timestamp:
      forgery === 'replayed'
        ? nowSeconds() - 301
        : forgery === 'future-dated'
          ? nowSeconds() + 301
          : undefined,
  });
}

const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** POSTs `bytes` bytes without a Content-Length (chunked), then waits for the answer. */
function postChunked(url: string, headers: Record<string, string>, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked', ...headers } });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    const more = () => {
      while (sent < bytes) {
        const part = chunk.slice(0, Math.min(chunk.length, bytes - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', more);
      }
    };
    req.write('{"type":"message","text":"');
    more();
  });
}

/** Declares `declared` bytes, sends a few, and waits for the answer (which must not wait for the rest). */
function postDeclaringLength(
  url: string,
  headers: Record<string, string>,
  declared: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-length': declared, ...headers } });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    req.write('{"type":"event_callback","event":{"type":"message","text":"');
  });
}

describe('bad requests to /slack/events and /api/messages', () => {
  let world: GuardedWorld;
  let slack: SlackDriver;
  let slackThread: StoryThread;
  let card: StoryCard;
  let teamsRoot: TeamsActivity;

  beforeAll(async () => {
    world = await GuardedWorld.begin();
    slack = new SlackDriver(world);
    slackThread = await slack.customerPosts('Invoice INV-77 charged twice, $4,000.');
    await slack.escalateWithForm(slackThread, { reason: 'Double charge' });
    card = await slack.waitForCard(slack.channel('l2'));
    teamsRoot = channelMessage({
      serviceUrl: world.connector.serviceUrl,
      user: TEAMS_IDS.users.customer,
      text: 'Our SSO login is broken',
    });
    const tracked = await postActivity(world.teamsUrl, teamsRoot, { token: validToken(teamsRoot) });
    expect(tracked.status).toBe(200);
    await world.app.dispatcher.idle();
  });
  afterAll(async () => {
    await world?.stop();
  });
  beforeEach(() => {
    // botbuilder prints every refused token with console.error; keep the output readable.
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const validToken = (activity: TeamsActivity) =>
    world.openId.sign({ audience: TEAMS_IDS.appId, serviceUrl: activity.serviceUrl });

  /** A legitimate message afterwards: once it is stored, anything the bad ones set off would have run. */
  async function sentinel() {
    return slack.customerPosts(`Sentinel ${slackTs()}`);
  }

  it('Slack: unsigned, mis-signed, replayed and future-dated requests get 401 and change nothing', async () => {
    const before = await world.footprint();
    const forgedMessage = () =>
      JSON.stringify(
        messageEvent({
          channel: 'C0SUPPORT',
          user: 'U0CUSTOMER',
          team: 'T0CUSTOMER',
          text: 'I want to speak to your manager about my $90,000 refund, or my lawyer will.',
          ts: slackTs(),
        }),
      );
    const forgedClaim = () =>
      form(
        blockAction({
          actionId: 'escalator:claim',
          channel: 'C0L2',
          user: 'U0MALLORY',
          message: slack.fake.message('C0L2', card.messageId) as unknown as Record<string, unknown>,
          messageTs: card.messageId,
        }),
      );
    const forgedResolve = () =>
      form(
        viewSubmission({
          callbackId: MODALS.resolve,
          privateMetadata: { escalationId: card.escalationId },
          user: 'U0MALLORY',
          values: { note: { value: 'nothing to see' }, root_cause: { value: { select: 'other' } } } as never,
        }),
      );
    const forgedHandshake = () =>
      JSON.stringify({ token: 'x', challenge: 'forged-challenge', type: 'url_verification' });

    const answers: Array<{ forgery: Forgery; what: string; status: number; requestId: string | null }> = [];
    for (const forgery of FORGERIES) {
      for (const [what, body, type] of [
        ['a customer message with trigger words', forgedMessage(), JSON_TYPE],
        ['a Claim click', forgedClaim(), FORM],
        ['a Resolve form submission', forgedResolve(), FORM],
        ['a URL verification', forgedHandshake(), JSON_TYPE],
      ] as const) {
        const response = await sendForged(world.slackUrl, forgery, body, type);
        answers.push({
          forgery,
          what,
          status: response.status,
          requestId: response.headers.get('x-request-id'),
        });
      }
    }
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    // Each refusal is logged once, with the id the response carried.
    for (const a of answers) expect(world.warningsFor(a.requestId), `${a.forgery} ${a.what}`).toHaveLength(1);

    expect(await world.footprint()).toEqual(before);
    await sentinel();
    const after = await world.footprint();
    // Only the sentinel's own rows: its issue, its message, its event id.
    expect(countChanges(before.rows, after.rows)).toEqual({ issues: 1, messages: 1, processed_events: 1 });
    expect(after.slackCalls).toBe(before.slackCalls);
    expect((await world.store.escalations.get(card.escalationId))?.status).toBe('open');
  });

  it('Teams: without a token, with a forged, expired or not-yet-valid one: 401, nothing changes', async () => {
    const before = await world.footprint();
    const forged = () =>
      mentionMessage({
        serviceUrl: world.connector.serviceUrl,
        user: TEAMS_IDS.users.agent,
        text: 'escalate to management P1 forged',
        threadRootId: teamsRoot.id,
      });
    const sign = (extra: Record<string, unknown>) => (activity: TeamsActivity) =>
      world.openId.sign({ audience: TEAMS_IDS.appId, serviceUrl: activity.serviceUrl, ...extra });
    const tokens: Array<[string, ((a: TeamsActivity) => string) | undefined]> = [
      ['no token', undefined],
      ['a forged signature', sign({ untrusted: true })],
      ['an expired token (replayed)', sign({ expiresIn: -600 })],
      ['a token not valid for 15 minutes (future-dated)', sign({ notBefore: 900 })],
    ];
    for (const [name, token] of tokens) {
      const activity = forged();
      const response = await postActivity(world.teamsUrl, activity, token ? { token: token(activity) } : {});
      expect(response.status, name).toBe(401);
      expect(world.warningsFor(response.headers.get('x-request-id')), name).not.toEqual([]);
    }
    await sentinel();
    const after = await world.footprint();
    expect(countChanges(before.rows, after.rows)).toEqual({ issues: 1, messages: 1, processed_events: 1 });
    expect(after.connectorCalls).toBe(before.connectorCalls);
    const issue = await world.store.issues.findByThread(TEAMS_SUPPORT, teamsRoot.id);
    expect(await world.store.escalations.findActiveForIssue(issue!.id)).toBeUndefined();
  });

  it('bodies over the limit get 413 before they are read, declared or not, on both endpoints', async () => {
    const before = await world.footprint();
    const slackHeaders = { 'content-type': JSON_TYPE, ...signSlackRequest(SLACK_SECRET, 'whatever') };
    const teamsHeaders = { 'content-type': JSON_TYPE };
    const over = SLACK_MAX_BODY_BYTES + 1;
    expect(await postDeclaringLength(world.slackUrl, slackHeaders, 2 * SLACK_MAX_BODY_BYTES)).toBe(413);
    expect(await postDeclaringLength(world.teamsUrl, teamsHeaders, 2 * SLACK_MAX_BODY_BYTES)).toBe(413);
    expect(await postChunked(world.slackUrl, slackHeaders, over)).toBe(413);
    expect(await postChunked(world.teamsUrl, teamsHeaders, over)).toBe(413);
    const tooLarge = world.log.at('warn').filter((r) => /too large|larger than/.test(r.msg ?? ''));
    expect(tooLarge).toHaveLength(4);
    for (const r of tooLarge) expect((r.obj as { requestId?: string }).requestId).toMatch(/^req_/);
    expect(await world.footprint()).toEqual(before);
  });

  it('Slack: a signed body that is not JSON, or not a payload Escalator knows, gets 400 at once and a warning', async () => {
    const before = await world.footprint();
    const bodies: Array<[string, string, string]> = [
      ['malformed JSON', '{"type": "event_callback", ', JSON_TYPE],
      ['JSON null', 'null', JSON_TYPE],
      ['a JSON array', '[]', JSON_TYPE],
      ['a JSON string', '"event_callback"', JSON_TYPE],
      ['an unknown type', '{"type":"mystery_payload"}', JSON_TYPE],
      ['an event callback without its event', '{"type":"event_callback","event_id":"Ev1"}', JSON_TYPE],
      ['a form without a command or payload', 'foo=bar', FORM],
      ['a payload that is not JSON', 'payload=%7Bbroken', FORM],
      ['a payload of an unknown type', form({ type: 'mystery_interaction' }), FORM],
    ];
    for (const [name, body, contentType] of bodies) {
      const response = await postToSlackEndpoint(world.slackUrl, { secret: SLACK_SECRET, body, contentType });
      expect(response.status, name).toBe(400);
      const warnings = world.warningsFor(response.headers.get('x-request-id'));
      expect(
        warnings.map((w) => w.msg),
        name,
      ).toEqual([expect.stringMatching(/^Slack request refused: /)]);
    }
    expect(await world.footprint()).toEqual(before);
  });

  it('Teams: a body that is not JSON, or not an activity of a known type, gets 400 and a warning', async () => {
    const before = await world.footprint();
    for (const [name, body] of [
      ['malformed JSON', '{"type": "message", '],
      ['an object without a type', '{"text":"hello"}'],
      ['an unknown activity type', '{"type":"mysteryActivity","text":"hello"}'],
    ] as const) {
      const response = await fetch(world.teamsUrl, {
        method: 'POST',
        headers: { 'content-type': JSON_TYPE },
        body,
      });
      expect(response.status, name).toBe(400);
      const warnings = world.warningsFor(response.headers.get('x-request-id'));
      expect(
        warnings.map((w) => w.msg),
        name,
      ).toEqual(['Teams request refused: not a Bot Framework activity']);
    }
    expect(await world.footprint()).toEqual(before);
  });

  it('what Slack legitimately sends still works: URL verification, SSL check, slash commands, clicks', async () => {
    const handshake = await sendUrlVerification(world.slackUrl, SLACK_SECRET, 'challenge-123');
    expect(handshake.json).toEqual({ challenge: 'challenge-123' });
    const ssl = await fetch(world.slackUrl, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'ssl_check=1&token=legacy',
    });
    expect(ssl.status).toBe(200);
    const help = await sendCommand(
      world.slackUrl,
      SLACK_SECRET,
      slashCommand({ command: '/escalate', text: 'help', channel: 'C0SUPPORT', user: 'U0ALICE' }),
    );
    expect(help.status).toBe(200);
    expect(help.json).toMatchObject({ response_type: 'ephemeral' });
    const claimed = await sendInteraction(
      world.slackUrl,
      SLACK_SECRET,
      blockAction({
        actionId: 'escalator:claim',
        channel: 'C0L2',
        user: 'U0BOB',
        message: slack.fake.message('C0L2', card.messageId) as unknown as Record<string, unknown>,
        messageTs: card.messageId,
      }),
    );
    expect(claimed.status).toBe(200);
    await slack.waitForCardText(card, 'Claimed by');
  });

  it('a GET (or any method but POST) to /slack/events gets 405 and the server keeps running', async () => {
    const response = await fetch(world.slackUrl);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await fetch(`${world.app.url}/healthz`)).status).toBe(200);
  });
});

describe('request ids', () => {
  let world: GuardedWorld;
  beforeAll(async () => {
    world = await GuardedWorld.begin();
  });
  afterAll(async () => {
    await world?.stop();
  });

  const linesAbout = (requestId: string) =>
    world.log.records.filter((r) => (r.obj as { requestId?: string }).requestId === requestId);

  it("honours the caller's x-request-id: echoed, and on every line logged about the request, handlers included", async () => {
    const ts = slackTs();
    const body = JSON.stringify(
      messageEvent({ channel: 'C0SUPPORT', user: 'U0CUSTOMER', team: 'T0CUSTOMER', text: 'Help', ts }),
    );
    const response = await postToSlackEndpoint(world.slackUrl, {
      secret: SLACK_SECRET,
      body,
      contentType: JSON_TYPE,
      headers: { 'x-request-id': 'lb-7f3a-0001' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('lb-7f3a-0001');
    // Bolt answers before the handler runs; the handler's line still names the request.
    await eventually(
      () => linesAbout('lb-7f3a-0001').some((r) => r.msg === 'issue opened'),
      'the handler line',
    );
    expect(linesAbout('lb-7f3a-0001').map((r) => r.msg)).toEqual(
      expect.arrayContaining(['request', 'issue opened']),
    );
    const access = linesAbout('lb-7f3a-0001').find((r) => r.msg === 'request');
    expect(access?.obj).toMatchObject({ method: 'POST', path: '/slack/events', status: 200 });
  });

  it('makes one up when there is none (or when the given one is not an id), different for every request', async () => {
    const ids = new Set<string>();
    const given: Array<Record<string, string>> = [
      {},
      {},
      { 'x-request-id': 'has spaces\tand "quotes"' },
      { 'x-request-id': 'x'.repeat(200) },
    ];
    for (const headers of given) {
      const response = await fetch(`${world.app.url}/healthz`, { headers });
      const id = response.headers.get('x-request-id') ?? '';
      expect(id).toMatch(/^req_[0-9a-f-]{36}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(4);
  });

  it('Teams answers carry one too, and a refusal is logged under it', async () => {
    const activity = channelMessage({ serviceUrl: world.connector.serviceUrl, text: 'no token' });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await postActivity(world.teamsUrl, activity, {
      headers: { 'x-request-id': 'teams-42' },
    });
    vi.restoreAllMocks();
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('teams-42');
    expect(linesAbout('teams-42').map((r) => [r.level, r.msg])).toEqual(
      expect.arrayContaining([
        ['warn', 'Teams request refused: missing or invalid Bot Framework token'],
        ['info', 'request'],
      ]),
    );
  });
});

describe('commands naming things that are not there', () => {
  let world: StoryWorld;
  beforeAll(async () => {
    // The policy exactly as the loader builds it from the file (stories rebuild theirs as plain objects).
    world = await StoryWorld.start(loadPolicyFile('escalation-policy.example.yaml'));
  });
  afterAll(async () => {
    await world?.stop();
  });

  it.each(['constructor', 'toString', '__proto__', 'nowhere'])(
    '"@escalator escalate to %s …" is told the path does not exist (and which do)',
    async (path) => {
      const slack = new SlackDriver(world);
      const thread = await slack.customerPosts(`Help with ${path}`);
      await slack.escalateWithMention(thread, `escalate to ${path} please look`);
      const answer = await slack.waitForReplyTo(slack.people.agent, 'There is no escalation path');
      expect(answer).toContain('tech, management, vendors');
      expect(
        await world.store.escalations.findActiveForIssue(
          (await world.store.issues.findByThread(thread.channel, thread.rootId))!.id,
        ),
      ).toBeUndefined();
    },
  );
});
