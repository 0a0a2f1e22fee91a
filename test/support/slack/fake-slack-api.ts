/**
 * A loopback fake of the Slack Web API (and of `response_url` endpoints) for tests.
 *
 *   const fake = await startFakeSlackApi();
 *   const app = new App({ token: 'xoxb-test', signingSecret, clientOptions: { slackApiUrl: fake.url } });
 *   ...
 *   const call = await fake.waitFor('chat.postMessage', (args) => args.channel === 'C0ESCALATIONS');
 *   await fake.close();
 *
 * It keeps the messages it was asked to post per channel (so `chat.update`, `conversations.replies`,
 * `conversations.history` and `chat.getPermalink` behave like Slack), records every call, and can
 * inject faults (HTTP 5xx, `ok:false` errors, 429 with `Retry-After`, delays, requests that never
 * get answered, calls carried out whose answer is lost, calls held until the test lets them go).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Ids of the workspace and bot the fake pretends to be. */
export const FAKE_SLACK = {
  teamId: 'T0HOME',
  teamName: 'Acme',
  teamDomain: 'acme',
  workspaceUrl: 'https://acme.slack.com/',
  appId: 'A0ESCALATOR',
  botUserId: 'U0BOT',
  botUserName: 'escalator',
  botId: 'B0BOT',
} as const;

/** What a fault injection makes the fake do instead of (or before) answering normally. */
export type SlackFault =
  /** Answer with this HTTP status (Slack's edge answers 5xx with an HTML page). */
  | { status: number }
  /** HTTP 200 with `{ ok: false, error }` (plus `extra` fields, e.g. `{ needed: 'chat:write' }`). */
  | { error: string; extra?: Record<string, unknown> }
  /** HTTP 429 with `Retry-After: <seconds>` and `{ ok: false, error: 'ratelimited' }`. */
  | { rateLimited: number }
  /** Answer normally, but only after this many milliseconds. */
  | { delayMs: number }
  /** Never answer (the socket is destroyed by `fake.close()`). */
  | { hang: true }
  /**
   * Do what was asked (post the message), then lose the answer: never send it (`'hang'`) or reset
   * the connection (`'reset'`). What a crash or a network failure after Slack acted looks like.
   * Web API methods only.
   */
  | { unanswered: 'hang' | 'reset' }
  /** Answer normally once `gate` settles (the test decides when the call completes). Web API methods only. */
  | { gate: Promise<unknown> };

export interface FakeSlackCall {
  /** Web API method, e.g. `chat.postMessage`. */
  method: string;
  /**
   * Arguments as Slack received them, without `token`. Form-encoded JSON fields (`blocks`, `view`,
   * `metadata`, `attachments`, ...) are parsed back into objects; other form values stay strings,
   * as Slack sees them (`unfurl_links: 'false'`). JSON bodies keep their types.
   */
  args: Record<string, unknown>;
  /** From `Authorization: Bearer ...`, else from a `token` argument. */
  token?: string;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** Request content type (without parameters), e.g. `application/x-www-form-urlencoded`. */
  contentType?: string;
  /** True when a fault made this call fail (HTTP error, `ok:false` error, 429, hang, a lost answer). */
  failed?: boolean;
  /** The injected fault, if one applied (also set for `delayMs`, which does not fail). */
  fault?: SlackFault;
  /** `views.open`, `views.push`, `views.update`: the id of the view it opened or changed (unset when refused). */
  viewId?: string;
}

export interface FakeSlackResponse {
  /** The `<id>` of `/response/<id>`. */
  id: string;
  /** Parsed JSON body (the raw text if it was not JSON). */
  body: unknown;
  at: number;
  failed?: boolean;
}

/** A message as the fake stores it (and as `conversations.replies` returns it). */
export interface FakeSlackMessage {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  thread_ts?: string;
  parent_user_id?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  edited?: { user: string; ts: string };
  reply_count?: number;
  reply_users_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  [key: string]: unknown;
}

export interface FakeSlackFile {
  id: string;
  filename: string;
  /** The `length` announced to `files.getUploadURLExternal`. */
  length: number;
  /** What was POSTed to the upload URL (undefined until then). */
  bytes?: Buffer;
  title?: string;
  completed: boolean;
  /** The channel it was shared to by `files.completeUploadExternal` (none: a private file). */
  channel?: string;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  /** Defaults to the home team `T0HOME`; use another id for Slack Connect (external) users. */
  teamId?: string;
  realName?: string;
  displayName?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
  tz?: string;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Slack Connect channel shared with another organisation. */
  isExtShared?: boolean;
}

export interface FakeSlackTeam {
  id: string;
  name: string;
  domain: string;
}

/** Custom answer for a method: return the response body (`ok: true` is added when missing). */
export type FakeSlackHandler = (
  args: Record<string, unknown>,
  call: FakeSlackCall,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export type CallPredicate = (args: Record<string, unknown>, call: FakeSlackCall) => boolean;
export type ResponsePredicate = (body: unknown, response: FakeSlackResponse) => boolean;

export interface StartFakeSlackApiOptions {
  /** When given, any other token gets `invalid_auth`. A missing token always gets `not_authed`. */
  validTokens?: string[];
  /**
   * Stamp new messages from the wall clock, as Slack does (strictly increasing), instead of the
   * fixed series starting at 1700000100. Needed where a reader filters by time, such as
   * `conversations.history` with `oldest` (Escalator's lookup of cards posted before a crash).
   */
  wallClockTs?: boolean;
}

export interface FakeSlackApi {
  /** `http://127.0.0.1:PORT/api/`: pass as `clientOptions.slackApiUrl` / WebClient `slackApiUrl`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly port: number;
  /** Every Web API call received, in arrival order (failed ones too). */
  readonly calls: FakeSlackCall[];
  /** Every POST to a fake `response_url`, in arrival order. */
  readonly responses: FakeSlackResponse[];
  callsTo(method: string): FakeSlackCall[];
  /**
   * Resolves with the first call to `method` (already recorded or arriving later) for which
   * `predicate(args, call)` holds. Rejects after `timeoutMs` listing what was recorded.
   */
  waitFor(method: string, predicate?: CallPredicate, timeoutMs?: number): Promise<FakeSlackCall>;
  /** A fresh fake `response_url` (`http://127.0.0.1:PORT/response/<id>`). */
  responseUrl(id?: string): string;
  waitForResponse(predicate?: ResponsePredicate, timeoutMs?: number): Promise<FakeSlackResponse>;
  /** The current messages of a channel (replies included), oldest first. Copies. */
  messages(channel: string): FakeSlackMessage[];
  /** One stored message, or undefined. A copy. */
  message(channel: string, ts: string): FakeSlackMessage | undefined;
  /**
   * Store a message as if a person had posted it (e.g. the customer thread that
   * `conversations.replies` should return). `ts` defaults to a fresh one.
   */
  seedMessage(
    channel: string,
    message: Partial<FakeSlackMessage> & { text: string; user?: string; thread_ts?: string },
  ): FakeSlackMessage;
  /** Views opened, updated or pushed, by id (current version). */
  view(id: string): Record<string, unknown> | undefined;
  /**
   * Files uploaded through `files.getUploadURLExternal` + a POST to its `upload_url` (fault key
   * `files.upload`), by file id; `completed` once `files.completeUploadExternal` named them.
   */
  file(id: string): FakeSlackFile | undefined;
  readonly files: FakeSlackFile[];
  addUser(user: FakeSlackUser): void;
  addChannel(channel: FakeSlackChannel): void;
  addTeam(team: FakeSlackTeam): void;
  /** Replace the built-in answer for a method (or answer a method the fake does not know). */
  setHandler(method: string, handler: FakeSlackHandler | undefined): void;
  /**
   * Make the next `times` calls to `method` fail with `failure`. `method` may be `'*'` (any method)
   * or `'response_url'` (the fake response URLs; `{ error }` there answers HTTP 404 with that text,
   * as Slack does for `expired_url`/`used_url`). `times` may be `Infinity`.
   */
  failNext(method: string, failure: SlackFault, times?: number): void;
  /** Like `failNext`, only for calls whose args match (e.g. one channel). */
  failWhen(
    method: string,
    predicate: (args: Record<string, unknown>) => boolean,
    failure: SlackFault,
    times?: number,
  ): void;
  /** Forget calls, responses, messages, views and pending faults (users, channels, teams and handlers stay). */
  reset(): void;
  /** Stop the server, destroy open sockets (hanging requests included), reject pending waits. */
  close(): Promise<void>;
}

interface PendingFault {
  method: string;
  predicate?: (args: Record<string, unknown>) => boolean;
  failure: SlackFault;
  remaining: number;
}

interface Waiter {
  test: () => boolean;
  reject: (error: Error) => void;
}

/** Form fields that Slack's clients send as JSON strings. */
const JSON_FORM_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
  'profile',
  'chunks',
  'files',
]);
/** Form fields that are free text: never JSON-parsed even if they look like JSON. */
const TEXT_FORM_FIELDS = new Set(['text', 'markdown_text', 'user_auth_message', 'private_metadata', 'query']);

const DEFAULT_WAIT_MS = 5000;

export async function startFakeSlackApi(options: StartFakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const calls: FakeSlackCall[] = [];
  const responses: FakeSlackResponse[] = [];
  const channels = new Map<string, FakeSlackMessage[]>();
  const views = new Map<string, Record<string, unknown>>();
  const users = new Map<string, FakeSlackUser>();
  const channelInfo = new Map<string, FakeSlackChannel>();
  const teams = new Map<string, FakeSlackTeam>();
  const handlers = new Map<string, FakeSlackHandler>();
  const files = new Map<string, FakeSlackFile>();
  let fileCounter = 0;
  let faults: PendingFault[] = [];
  const waiters = new Set<Waiter>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let tsCounter = 0;
  let lastWallMicros = 0;
  let viewCounter = 0;
  let responseCounter = 0;
  let closed = false;
  let closing: Promise<void> | undefined;

  teams.set(FAKE_SLACK.teamId, {
    id: FAKE_SLACK.teamId,
    name: FAKE_SLACK.teamName,
    domain: FAKE_SLACK.teamDomain,
  });
  users.set(FAKE_SLACK.botUserId, {
    id: FAKE_SLACK.botUserId,
    name: FAKE_SLACK.botUserName,
    realName: 'Escalator',
    isBot: true,
  });

  /**
   * Fresh, strictly increasing message timestamps: 1700000100.000100, 1700000101.000200, ... (or
   * the wall clock's, with `wallClockTs`).
   */
  function nextTs(): string {
    tsCounter += 1;
    if (options.wallClockTs) {
      lastWallMicros = Math.max(Date.now() * 1000, lastWallMicros + 1);
      return `${Math.floor(lastWallMicros / 1_000_000)}.${String(lastWallMicros % 1_000_000).padStart(6, '0')}`;
    }
    const micros = String((tsCounter * 100) % 1_000_000).padStart(6, '0');
    return `${1_700_000_100 + tsCounter - 1}.${micros}`;
  }

  function channelMessages(channel: string): FakeSlackMessage[] {
    let list = channels.get(channel);
    if (!list) {
      list = [];
      channels.set(channel, list);
    }
    return list;
  }

  function storeMessage(channel: string, message: FakeSlackMessage): void {
    const list = channelMessages(channel);
    list.push(message);
    list.sort((a, b) => compareTs(a.ts, b.ts));
    if (message.thread_ts && message.thread_ts !== message.ts) {
      const parent = list.find((m) => m.ts === message.thread_ts);
      if (parent) {
        message.parent_user_id ??= parent.user;
        const replies = list.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
        const replyUsers = [...new Set(replies.map((m) => m.user).filter((u): u is string => !!u))];
        parent.thread_ts = parent.ts;
        parent.reply_count = replies.length;
        parent.reply_users_count = replyUsers.length;
        parent.reply_users = replyUsers;
        parent.latest_reply = replies.at(-1)?.ts ?? parent.ts;
      }
    }
  }

  function notify(): void {
    for (const waiter of [...waiters]) {
      if (waiter.test()) waiters.delete(waiter);
    }
  }

  function takeFault(method: string, args: Record<string, unknown>): SlackFault | undefined {
    const index = faults.findIndex(
      (f) =>
        f.remaining > 0 &&
        (f.method === method || (f.method === '*' && method !== 'response_url')) &&
        (!f.predicate || f.predicate(args)),
    );
    const fault = faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault.failure;
  }

  function userRecord(id: string): Record<string, unknown> | undefined {
    let user = users.get(id);
    if (!user) {
      if (!/^[UW][A-Z0-9]+$/.test(id)) return undefined;
      user = { id, name: id.toLowerCase() };
    }
    const realName = user.realName ?? capitalize(user.name);
    const displayName = user.displayName ?? user.name;
    const teamId = user.teamId ?? FAKE_SLACK.teamId;
    return {
      id: user.id,
      team_id: teamId,
      name: user.name,
      deleted: user.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      tz: user.tz ?? 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: displayName,
        display_name_normalized: displayName,
        ...(user.email ? { email: user.email } : {}),
        ...(user.isBot
          ? { bot_id: FAKE_SLACK.botId, api_app_id: FAKE_SLACK.appId, always_active: true }
          : {}),
        team: teamId,
      },
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.isBot ?? false,
      is_app_user: false,
      updated: 1_699_990_000,
      ...(teamId !== FAKE_SLACK.teamId ? { is_stranger: false } : {}),
    };
  }

  function botMessageFields(): Record<string, unknown> {
    return {
      user: FAKE_SLACK.botUserId,
      bot_id: FAKE_SLACK.botId,
      app_id: FAKE_SLACK.appId,
      team: FAKE_SLACK.teamId,
      bot_profile: {
        id: FAKE_SLACK.botId,
        deleted: false,
        name: FAKE_SLACK.botUserName,
        updated: 1_699_990_000,
        app_id: FAKE_SLACK.appId,
        icons: { image_36: 'https://a.slack-edge.com/80588/img/plugins/app/bot_36.png' },
        team_id: FAKE_SLACK.teamId,
      },
    };
  }

  function storeView(
    args: Record<string, unknown>,
    id: string,
    previous?: Record<string, unknown>,
  ): Record<string, unknown> {
    const view = isObject(args.view) ? args.view : {};
    const stored: Record<string, unknown> = {
      team_id: FAKE_SLACK.teamId,
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: (previous?.root_view_id as string | undefined) ?? id,
      app_id: FAKE_SLACK.appId,
      external_id: '',
      app_installed_team_id: FAKE_SLACK.teamId,
      bot_id: FAKE_SLACK.botId,
      ...view,
      id,
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    };
    views.set(id, stored);
    return stored;
  }

  function newViewId(): string {
    viewCounter += 1;
    return `V0FAKE${String(viewCounter).padStart(4, '0')}`;
  }

  function permalink(channel: string, ts: string): string {
    const base = `${FAKE_SLACK.workspaceUrl}archives/${channel}/p${ts.replace('.', '')}`;
    const stored = channels.get(channel)?.find((m) => m.ts === ts);
    if (stored?.thread_ts && stored.thread_ts !== stored.ts) {
      return `${base}?thread_ts=${stored.thread_ts}&cid=${channel}`;
    }
    return base;
  }

  const builtIn: Record<string, FakeSlackHandler> = {
    'auth.test': () => ({
      ok: true,
      url: FAKE_SLACK.workspaceUrl,
      team: FAKE_SLACK.teamName,
      user: FAKE_SLACK.botUserName,
      team_id: FAKE_SLACK.teamId,
      user_id: FAKE_SLACK.botUserId,
      bot_id: FAKE_SLACK.botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const channel = str(args.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
        return { ok: false, error: 'no_text' };
      }
      const ts = nextTs();
      const threadTs = str(args.thread_ts);
      const message: FakeSlackMessage = {
        type: 'message',
        ...botMessageFields(),
        ts,
        text: str(args.text) ?? '',
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(args.blocks !== undefined ? { blocks: args.blocks as unknown[] } : {}),
        ...(args.attachments !== undefined ? { attachments: args.attachments as unknown[] } : {}),
        ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
        ...(args.reply_broadcast !== undefined ? { reply_broadcast: truthy(args.reply_broadcast) } : {}),
      };
      storeMessage(channel, message);
      return { ok: true, channel, ts, message: clone(message) };
    },

    'chat.update': (args) => {
      const channel = str(args.channel) ?? '';
      const ts = str(args.ts) ?? '';
      const message = channels.get(channel)?.find((m) => m.ts === ts);
      if (!message) return { ok: false, error: 'message_not_found' };
      if (args.text !== undefined) message.text = str(args.text) ?? '';
      if (args.blocks !== undefined) message.blocks = args.blocks as unknown[];
      if (args.attachments !== undefined) message.attachments = args.attachments as unknown[];
      if (args.metadata !== undefined) message.metadata = args.metadata;
      message.edited = { user: FAKE_SLACK.botUserId, ts: nextTs() };
      return { ok: true, channel, ts, text: message.text, message: clone(message) };
    },

    'chat.delete': (args) => {
      const channel = str(args.channel) ?? '';
      const ts = str(args.ts) ?? '';
      const list = channels.get(channel);
      const index = list?.findIndex((m) => m.ts === ts) ?? -1;
      if (!list || index < 0) return { ok: false, error: 'message_not_found' };
      list.splice(index, 1);
      return { ok: true, channel, ts };
    },

    'files.getUploadURLExternal': (args) => {
      const filename = str(args.filename);
      const length = Number(args.length);
      if (!filename || !Number.isInteger(length) || length <= 0)
        return { ok: false, error: 'invalid_arguments' };
      fileCounter += 1;
      const id = `F0FAKE${String(fileCounter).padStart(4, '0')}`;
      files.set(id, { id, filename, length, completed: false });
      return { ok: true, upload_url: `${baseUrl}/upload/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (args) => {
      const list = Array.isArray(args.files) ? (args.files as Array<{ id?: string; title?: string }>) : [];
      if (list.length === 0) return { ok: false, error: 'invalid_arguments' };
      const found = list.map((f) => files.get(String(f.id)));
      // Slack refuses to finish an upload whose bytes never arrived or do not match `length`.
      if (found.some((f) => !f?.bytes || f.bytes.length !== f.length))
        return { ok: false, error: 'file_not_found' };
      const channel = str(args.channel_id);
      for (const [i, file] of found.entries()) {
        file!.completed = true;
        file!.title = list[i]?.title ?? file!.filename;
        if (channel) file!.channel = channel;
      }
      if (channel) {
        const threadTs = str(args.thread_ts);
        storeMessage(channel, {
          type: 'message',
          ...botMessageFields(),
          ts: nextTs(),
          text: str(args.initial_comment) ?? '',
          upload: true,
          files: found.map((f) => ({ id: f!.id, name: f!.filename, title: f!.title, mimetype: 'image/png' })),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          // As Slack documents: `initial_comment` wins over `blocks`.
          ...(args.blocks !== undefined && args.initial_comment === undefined
            ? { blocks: args.blocks as unknown[] }
            : {}),
        });
      }
      return { ok: true, files: found.map((f) => ({ id: f!.id, title: f!.title })) };
    },

    'chat.postEphemeral': (args) => {
      if (!str(args.channel)) return { ok: false, error: 'channel_not_found' };
      if (!str(args.user)) return { ok: false, error: 'user_not_in_channel' };
      return { ok: true, message_ts: nextTs() };
    },

    'chat.getPermalink': (args) => {
      const channel = str(args.channel);
      const ts = str(args.message_ts);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!ts) return { ok: false, error: 'message_not_found' };
      return { ok: true, channel, permalink: permalink(channel, ts) };
    },

    'views.open': (args, call) => {
      if (!str(args.trigger_id)) return { ok: false, error: 'invalid_arguments' };
      if (!isObject(args.view)) return { ok: false, error: 'invalid_arguments' };
      call.viewId = newViewId();
      return { ok: true, view: clone(storeView(args, call.viewId)) };
    },

    'views.push': (args, call) => {
      if (!str(args.trigger_id)) return { ok: false, error: 'invalid_arguments' };
      if (!isObject(args.view)) return { ok: false, error: 'invalid_arguments' };
      const id = newViewId();
      call.viewId = id;
      return { ok: true, view: clone(storeView(args, id)) };
    },

    'views.update': (args, call) => {
      if (!isObject(args.view)) return { ok: false, error: 'invalid_arguments' };
      const externalId = str(args.external_id);
      let id = str(args.view_id);
      if (!id && externalId) {
        id = [...views.values()].find((v) => v.external_id === externalId)?.id as string | undefined;
        if (!id) return { ok: false, error: 'not_found' };
      }
      if (!id) return { ok: false, error: 'invalid_arguments' };
      const previous = views.get(id);
      const hash = str(args.hash);
      if (hash && previous && previous.hash !== hash) return { ok: false, error: 'hash_conflict' };
      call.viewId = id;
      return { ok: true, view: clone(storeView(args, id, previous)) };
    },

    'conversations.replies': (args) => {
      const channel = str(args.channel) ?? '';
      const ts = str(args.ts) ?? '';
      const list = channels.get(channel) ?? [];
      const parent = list.find((m) => m.ts === ts);
      const rootTs = parent?.thread_ts ?? ts;
      const thread = list.filter((m) => m.ts === rootTs || m.thread_ts === rootTs);
      if (thread.length === 0) return { ok: false, error: 'thread_not_found' };
      return { ok: true, messages: clone(thread), has_more: false };
    },

    // As Slack: newest first, `oldest`/`latest` (exclusive unless `inclusive`), pages of `limit`
    // (default 100) with `response_metadata.next_cursor`, and message metadata only with
    // `include_all_metadata`.
    'conversations.history': (args) => {
      const channel = str(args.channel) ?? '';
      const list = channels.get(channel) ?? [];
      const inclusive = truthy(args.inclusive);
      const oldest = str(args.oldest);
      const latest = str(args.latest);
      const inRange = (ts: string) =>
        (!oldest || (inclusive ? compareTs(ts, oldest) >= 0 : compareTs(ts, oldest) > 0)) &&
        (!latest || (inclusive ? compareTs(ts, latest) <= 0 : compareTs(ts, latest) < 0));
      const top = list
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast === true)
        .filter((m) => inRange(m.ts))
        .reverse();
      const limit = Math.min(Math.max(Number(args.limit) || 100, 1), 999);
      const start = args.cursor
        ? Number(Buffer.from(String(args.cursor), 'base64').toString('utf8').slice(5))
        : 0;
      const page = top.slice(start, start + limit);
      const withMetadata = truthy(args.include_all_metadata);
      const messages = clone(page).map((m) => {
        if (!withMetadata) delete m.metadata;
        return m;
      });
      const hasMore = start + limit < top.length;
      return {
        ok: true,
        messages,
        has_more: hasMore,
        pin_count: 0,
        ...(hasMore
          ? { response_metadata: { next_cursor: Buffer.from(`next:${start + limit}`).toString('base64') } }
          : {}),
      };
    },

    'conversations.info': (args) => {
      const id = str(args.channel) ?? '';
      const known = channelInfo.get(id);
      if (!known && !/^[CGD][A-Z0-9]+$/.test(id)) return { ok: false, error: 'channel_not_found' };
      const info = known ?? { id, name: id.toLowerCase() };
      return {
        ok: true,
        channel: {
          id: info.id,
          name: info.name,
          is_channel: !info.isPrivate,
          is_group: false,
          is_im: false,
          is_mpim: false,
          is_private: info.isPrivate ?? false,
          created: 1_690_000_000,
          is_archived: false,
          is_general: false,
          is_shared: info.isExtShared ?? false,
          is_ext_shared: info.isExtShared ?? false,
          is_org_shared: false,
          is_member: true,
          context_team_id: FAKE_SLACK.teamId,
          name_normalized: info.name,
        },
      };
    },

    'users.info': (args) => {
      const user = userRecord(str(args.user) ?? '');
      return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
    },

    'team.info': (args) => {
      const id = str(args.team) ?? FAKE_SLACK.teamId;
      const team = teams.get(id);
      if (!team) return { ok: false, error: 'team_not_found' };
      return {
        ok: true,
        team: {
          id: team.id,
          name: team.name,
          domain: team.domain,
          url: `https://${team.domain}.slack.com/`,
          email_domain: '',
          icon: { image_default: true },
        },
      };
    },
  };

  async function answerApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
  ): Promise<void> {
    const raw = await readBody(req);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    let args: Record<string, unknown>;
    try {
      args = {
        ...Object.fromEntries(url.searchParams),
        ...(raw.length > 0 ? await parseArgs(raw, contentType) : {}),
      };
    } catch {
      const call: FakeSlackCall = {
        method,
        args: { _raw: raw.toString('utf8') },
        at: Date.now(),
        contentType,
      };
      calls.push(call);
      notify();
      sendJson(res, 200, { ok: false, error: 'invalid_json' });
      return;
    }
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    const bodyToken = typeof args.token === 'string' ? args.token : undefined;
    delete args.token;
    const token = bearer || bodyToken;

    const fault = takeFault(method, args);
    const call: FakeSlackCall = {
      method,
      args,
      at: Date.now(),
      ...(token ? { token } : {}),
      ...(contentType ? { contentType } : {}),
      ...(fault ? { fault } : {}),
      ...(fault && !('delayMs' in fault) && !('gate' in fault) ? { failed: true } : {}),
    };
    calls.push(call);
    notify();

    if (fault) {
      if ('hang' in fault) return; // never answered; close() destroys the socket
      if ('unanswered' in fault) {
        const handler = handlers.get(method) ?? builtIn[method];
        if (handler) await handler(clone(args), call);
        if (fault.unanswered === 'reset') res.socket?.destroy();
        return; // 'hang': never answered; close() destroys the socket
      }
      if ('gate' in fault) {
        await fault.gate.catch(() => undefined);
        if (closed) return;
      }
      if ('status' in fault) {
        res.writeHead(fault.status, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<html><body><h1>${fault.status}</h1>fake Slack failure</body></html>`);
        return;
      }
      if ('rateLimited' in fault) {
        res.writeHead(429, {
          'content-type': 'application/json; charset=utf-8',
          'retry-after': String(fault.rateLimited),
        });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      if ('error' in fault) {
        sendJson(res, 200, { ok: false, error: fault.error, ...fault.extra });
        return;
      }
      if ('delayMs' in fault) await sleep(fault.delayMs);
      if (closed) return;
    }

    if (!token) {
      sendJson(res, 200, { ok: false, error: 'not_authed' });
      return;
    }
    if (options.validTokens && !options.validTokens.includes(token)) {
      sendJson(res, 200, { ok: false, error: 'invalid_auth' });
      return;
    }
    const handler = handlers.get(method) ?? builtIn[method];
    if (!handler) {
      sendJson(res, 200, { ok: false, error: 'unknown_method' });
      return;
    }
    const result = await handler(clone(args), call);
    sendJson(res, 200, { ok: true, ...result });
  }

  /** The `upload_url` of `files.getUploadURLExternal`: takes the raw bytes, answers "OK - <length>". */
  async function answerUpload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const bytes = await readBody(req);
    const file = files.get(id);
    const fault = takeFault('files.upload', { file_id: id });
    calls.push({
      method: 'files.upload',
      args: { file_id: id, length: bytes.length },
      at: Date.now(),
      ...(req.headers['content-type']
        ? { contentType: String(req.headers['content-type']).split(';')[0] }
        : {}),
      ...(fault ? { fault, ...(!('delayMs' in fault) ? { failed: true } : {}) } : {}),
    });
    notify();
    if (fault && !('delayMs' in fault)) {
      if ('hang' in fault) return;
      res.writeHead('status' in fault ? fault.status : 'rateLimited' in fault ? 429 : 400, {
        'content-type': 'text/plain',
      });
      res.end('fake Slack upload failure');
      return;
    }
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such upload');
      return;
    }
    file.bytes = bytes;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  }

  async function answerResponseUrl(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // keep the raw text
    }
    const fault = takeFault('response_url', isObject(body) ? body : {});
    const record: FakeSlackResponse = {
      id,
      body,
      at: Date.now(),
      ...(fault && !('delayMs' in fault) ? { failed: true } : {}),
    };
    responses.push(record);
    notify();
    if (fault) {
      if ('hang' in fault) return;
      if ('status' in fault) {
        res.writeHead(fault.status, { 'content-type': 'text/plain' });
        res.end('fake Slack failure');
        return;
      }
      if ('rateLimited' in fault) {
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(fault.rateLimited) });
        res.end('rate_limited');
        return;
      }
      if ('error' in fault) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end(fault.error);
        return;
      }
      if ('delayMs' in fault) await sleep(fault.delayMs);
      if (closed) return;
    }
    sendJson(res, 200, { ok: true });
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^\/api\/([^/]+)$/.exec(url.pathname);
    const response = /^\/response\/([^/]+)$/.exec(url.pathname);
    const upload = /^\/upload\/([^/]+)$/.exec(url.pathname);
    let work: Promise<void>;
    if (api && (req.method === 'POST' || req.method === 'GET')) {
      work = answerApi(req, res, decodeURIComponent(api[1]!), url);
    } else if (response && req.method === 'POST') {
      work = answerResponseUrl(req, res, decodeURIComponent(response[1]!));
    } else if (upload && req.method === 'POST') {
      work = answerUpload(req, res, decodeURIComponent(upload[1]!));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`fake Slack: no route for ${req.method} ${url.pathname}`);
      return;
    }
    work.catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, { ok: false, error: 'fake_internal_error', detail: String(error) });
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  function describeCalls(method: string): string {
    if (calls.length === 0) return 'no calls were recorded';
    const counts = new Map<string, { n: number; failed: number }>();
    for (const c of calls) {
      const entry = counts.get(c.method) ?? { n: 0, failed: 0 };
      entry.n += 1;
      if (c.failed) entry.failed += 1;
      counts.set(c.method, entry);
    }
    const summary = [...counts]
      .map(([m, { n, failed }]) => `${m} x${n}${failed ? ` (${failed} failed)` : ''}`)
      .join(', ');
    const same = calls.filter((c) => c.method === method);
    const detail = same.length
      ? `; args of the ${same.length} ${method} call(s) that did not match: ${same
          .slice(-5)
          .map((c) => truncate(JSON.stringify(c.args), 300))
          .join(' | ')}`
      : '';
    return `recorded: ${summary}${detail}`;
  }

  function waitUntil<T>(find: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    if (closed) return Promise.reject(new Error(`fake Slack is closed; ${describe()}`));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        test: () => {
          const match = find();
          if (match === undefined) return false;
          clearTimeout(timer);
          resolve(match);
          return true;
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms: ${describe()}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  const fake: FakeSlackApi = {
    url: `${baseUrl}/api/`,
    baseUrl,
    port,
    calls,
    responses,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor: (method, predicate, timeoutMs = DEFAULT_WAIT_MS) =>
      waitUntil(
        () => calls.find((c) => c.method === method && (!predicate || predicate(c.args, c))),
        timeoutMs,
        () =>
          `waitFor('${method}'${predicate ? ', predicate' : ''}) found no matching call; ${describeCalls(method)}`,
      ),
    responseUrl: (id) => {
      responseCounter += 1;
      const value = id ?? `R${String(responseCounter).padStart(4, '0')}${randomBytes(3).toString('hex')}`;
      return `${baseUrl}/response/${encodeURIComponent(value)}`;
    },
    waitForResponse: (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
      waitUntil(
        () => responses.find((r) => !predicate || predicate(r.body, r)),
        timeoutMs,
        () =>
          `waitForResponse found no matching response_url post; ${
            responses.length
              ? `recorded bodies: ${responses.map((r) => `${r.id}: ${truncate(JSON.stringify(r.body), 200)}`).join(' | ')}`
              : 'none were recorded'
          }`,
      ),
    messages: (channel) => clone(channels.get(channel) ?? []),
    message: (channel, ts) => {
      const found = channels.get(channel)?.find((m) => m.ts === ts);
      return found ? clone(found) : undefined;
    },
    seedMessage: (channel, message) => {
      const stored: FakeSlackMessage = {
        type: 'message',
        team: FAKE_SLACK.teamId,
        ...clone(message),
        ts: message.ts ?? nextTs(),
      };
      storeMessage(channel, stored);
      return clone(stored);
    },
    view: (id) => {
      const v = views.get(id);
      return v ? clone(v) : undefined;
    },
    file: (id) => {
      const f = files.get(id);
      return f ? { ...f } : undefined;
    },
    get files() {
      return [...files.values()].map((f) => ({ ...f }));
    },
    addUser: (user) => {
      users.set(user.id, { ...user });
    },
    addChannel: (channel) => {
      channelInfo.set(channel.id, { ...channel });
    },
    addTeam: (team) => {
      teams.set(team.id, { ...team });
    },
    setHandler: (method, handler) => {
      if (handler) handlers.set(method, handler);
      else handlers.delete(method);
    },
    failNext: (method, failure, times = 1) => {
      faults.push({ method, failure, remaining: times });
    },
    failWhen: (method, predicate, failure, times = 1) => {
      faults.push({ method, predicate, failure, remaining: times });
    },
    reset: () => {
      calls.length = 0;
      responses.length = 0;
      channels.clear();
      views.clear();
      files.clear();
      faults = [];
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const waiter of [...waiters]) waiter.reject(new Error('fake Slack was closed while waiting'));
        waiters.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
  return fake;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseArgs(raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
  if (contentType === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (!isObject(parsed)) throw new Error('JSON body is not an object');
    return { ...parsed };
  }
  if (contentType === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    const args: Record<string, unknown> = {};
    for (const [key, value] of form) {
      args[key] =
        typeof value === 'string'
          ? decodeFormValue(key, value)
          : { filename: value.name, size: value.size, type: value.type };
    }
    return args;
  }
  // application/x-www-form-urlencoded (also the fallback, as Slack is lenient here)
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
    args[key] = decodeFormValue(key, value);
  }
  return args;
}

function decodeFormValue(key: string, value: string): unknown {
  if (TEXT_FORM_FIELDS.has(key)) return value;
  const looksJson = value.startsWith('{') || value.startsWith('[');
  if (!JSON_FORM_FIELDS.has(key) && !looksJson) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (JSON_FORM_FIELDS.has(key) || typeof parsed === 'object') return parsed;
  } catch {
    // not JSON after all
  }
  return value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
