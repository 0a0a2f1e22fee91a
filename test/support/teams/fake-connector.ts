/**
 * A loopback fake of the Bot Framework Connector (REST v3) as Microsoft Teams serves it: the
 * `serviceUrl` a bot calls back to post, reply, update and delete messages, start channel threads
 * and read members and channels.
 *
 *   const fake = await startFakeConnector();
 *   await postActivity(botUrl, channelMessage({ serviceUrl: fake.serviceUrl, text: 'hi' }));
 *   const card = await fake.waitFor('create_conversation', (c) => c.channel === TEAMS_IDS.channels.l2);
 *   expect(fake.thread(TEAMS_IDS.channels.l2, card.newActivityId!)).toHaveLength(1);
 *   await fake.close();
 *
 * It keeps the activities it was asked to post per conversation (so updates, deletes and
 * `thread()` behave like Teams), records every call, and can inject faults (HTTP errors, 429 with
 * `Retry-After`, delays, requests that never get answered).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseConversationId, TEAMS_IDS, type TeamsUser, threadConversationId } from './activities.js';

/** What a call to the connector was, by route. */
export type ConnectorCallKind =
  /** `POST /v3/conversations` (a new channel thread, or a 1:1 chat). */
  | 'create_conversation'
  /** `POST /v3/conversations/:id/activities` */
  | 'send'
  /** `POST /v3/conversations/:id/activities/:replyToId` */
  | 'reply'
  /** `PUT /v3/conversations/:id/activities/:activityId` */
  | 'update'
  /** `DELETE /v3/conversations/:id/activities/:activityId` */
  | 'delete'
  /** `GET /v3/conversations/:id/members` */
  | 'get_members'
  /** `GET /v3/conversations/:id/pagedmembers` */
  | 'get_paged_members'
  /** `GET /v3/conversations/:id/members/:memberId` */
  | 'get_member'
  /** `GET /v3/teams/:teamId/conversations` */
  | 'get_channels'
  /** `GET /v3/teams/:teamId` */
  | 'get_team'
  /** Anything else (answered 404). */
  | 'unknown';

/** What a fault injection makes the fake do instead of (or before) answering normally. */
export type ConnectorFault =
  /**
   * Answer with this status and a Bot Framework error body. `retryAfter` (seconds) sets
   * `Retry-After` (Teams sends it with 429).
   */
  | { status: number; retryAfter?: number; code?: string }
  /** Answer normally, but only after this many milliseconds. */
  | { delayMs: number }
  /** Never answer (the socket is destroyed by `fake.close()`). */
  | { hang: true };

export interface FakeConnectorCall {
  kind: ConnectorCallKind;
  method: string;
  /** The request path as sent (still URL-encoded), without the query. */
  path: string;
  /** Query parameters (e.g. `pageSize`, `continuationToken`). */
  query: Record<string, string>;
  /** The conversation id from the path, decoded (`19:x@thread.tacv2;messageid=123`). */
  conversationId?: string;
  /**
   * The conversation's channel: `conversationId` without `;messageid=…`; for `create_conversation`
   * the `channelData.channel.id` of the body.
   */
  channel?: string;
  /** The activity id from the path (the `replyToId` of a reply, the target of an update/delete). */
  activityId?: string;
  /** The team id from the path (`get_channels`, `get_team`). */
  teamId?: string;
  /** The member id from the path (`get_member`). */
  memberId?: string;
  /** The id the fake gave the new message (`create_conversation`, `send`, `reply`). */
  newActivityId?: string;
  /** Parsed JSON body (`undefined` when there was none; the raw text if it was not JSON). */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** The HTTP status the fake answered (unset while a delayed/hanging call is pending). */
  status?: number;
  /** The JSON body the fake answered. */
  response?: unknown;
  /** True when a fault made this call fail (HTTP error or hang). */
  failed?: boolean;
  /** The injected fault, if one applied (also set for `delayMs`, which does not fail). */
  fault?: ConnectorFault;
}

/** An activity as the fake stores it: what the bot posted, plus `id`, `conversation`, `timestamp`. */
export interface FakeTeamsActivity {
  type: string;
  id: string;
  conversation: { id: string; [key: string]: unknown };
  timestamp: string;
  replyToId?: string;
  text?: string;
  textFormat?: string;
  summary?: string;
  attachments?: Array<{ contentType: string; content?: unknown; [key: string]: unknown }>;
  entities?: unknown[];
  channelData?: Record<string, unknown>;
  from?: { id: string; name?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface FakeTeamsMember extends TeamsUser {
  tenantId?: string;
  userRole?: 'user' | 'guest' | 'anonymous';
}

export interface FakeTeamsChannel {
  id: string;
  /** Teams returns no name for the General channel. */
  name?: string;
  /** Default `TEAMS_IDS.teamId`. */
  teamId?: string;
}

export interface FakeTeamsTeam {
  id: string;
  name: string;
  aadGroupId?: string;
  type?: 'standard' | 'sharedChannel' | 'privateChannel';
}

export type ConnectorCallPredicate = (call: FakeConnectorCall) => boolean;

export interface StartFakeConnectorOptions {
  /** Members of the default team (and of every conversation without its own list). Default the `TEAMS_IDS` users. */
  members?: FakeTeamsMember[];
  /** Do not register the default team, its channels and members. */
  empty?: boolean;
}

export interface FakeConnector {
  /** `http://127.0.0.1:PORT/`: put it in activities' `serviceUrl`. */
  readonly serviceUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly port: number;
  /** Every call received, in arrival order (failed ones too). */
  readonly calls: FakeConnectorCall[];
  callsOf(kind: ConnectorCallKind): FakeConnectorCall[];
  /**
   * Resolves with the first call of `kind` (already recorded or arriving later) for which
   * `predicate(call)` holds, once the fake has decided its answer (so `status`, `response` and
   * `newActivityId` are set, and the activity is stored; a delayed call matches after its delay, a
   * hanging one at once). Rejects after `timeoutMs` listing what was recorded.
   */
  waitFor(
    kind: ConnectorCallKind,
    predicate?: ConnectorCallPredicate,
    timeoutMs?: number,
  ): Promise<FakeConnectorCall>;
  /**
   * The current messages of a channel thread, root first, then replies in order (deleted ones left
   * out). `channelId` may be a full thread conversation id (then `rootId` can be omitted); with
   * neither a root id nor `;messageid=`, every message of that conversation (1:1 and group chats).
   * Copies.
   */
  thread(channelId: string, rootId?: string): FakeTeamsActivity[];
  /** Top-level posts of a channel (thread roots), oldest first. Copies. */
  roots(channelId: string): FakeTeamsActivity[];
  /** The current version of an activity (after updates), or undefined (unknown or deleted). A copy. */
  activity(id: string): FakeTeamsActivity | undefined;
  /** Every version of an activity, original first (updates appended). Copies. */
  versions(id: string): FakeTeamsActivity[];
  /**
   * Store an activity as if a person had posted it (e.g. an inbound activity built by
   * `channelMessage`), so `thread()` shows it. Returns the stored copy.
   */
  seedActivity(activity: {
    id: string;
    conversation: { id: string };
    [key: string]: unknown;
  }): FakeTeamsActivity;
  /** Register a team (for `GET /v3/teams/:id`). */
  addTeam(team: FakeTeamsTeam): void;
  /** Register a channel (listed by `GET /v3/teams/:teamId/conversations`). */
  addChannel(channel: FakeTeamsChannel): void;
  /**
   * Set the members of a team, channel or conversation (`scope`; default the default team). A
   * conversation without its own list uses its channel's, then its team's.
   */
  setMembers(members: FakeTeamsMember[], scope?: string): void;
  /**
   * Make the next `times` calls of `kind` (`'*'`: any kind) fail with `fault`. `times` may be
   * `Infinity`.
   */
  failNext(kind: ConnectorCallKind | '*', fault: ConnectorFault, times?: number): void;
  /** Like `failNext`, only for calls the predicate matches (e.g. one conversation). */
  failWhen(
    kind: ConnectorCallKind | '*',
    predicate: ConnectorCallPredicate,
    fault: ConnectorFault,
    times?: number,
  ): void;
  /** Forget calls, activities and pending faults (teams, channels and members stay). */
  reset(): void;
  /** Stop the server, destroy open sockets (hanging requests included), reject pending waits. */
  close(): Promise<void>;
}

interface StoredActivity {
  id: string;
  /** Base conversation: the channel id, or the chat's conversation id. */
  channel: string;
  /** Thread root id for channel threads. */
  rootId?: string;
  /** Arrival order. */
  seq: number;
  versions: FakeTeamsActivity[];
  deleted: boolean;
}

interface PendingFault {
  kind: ConnectorCallKind | '*';
  predicate?: ConnectorCallPredicate;
  fault: ConnectorFault;
  remaining: number;
}

interface Waiter {
  test: () => boolean;
  reject: (error: Error) => void;
}

interface Answer {
  status: number;
  body?: unknown;
}

const DEFAULT_WAIT_MS = 5000;
/** The first id the fake hands out is `1700000000001` (epoch ms, as Teams' message ids are). */
const FIRST_ACTIVITY_ID = 1_700_000_000_000;

const STATUS_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  412: 'PreconditionFailed',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

export async function startFakeConnector(options: StartFakeConnectorOptions = {}): Promise<FakeConnector> {
  const calls: FakeConnectorCall[] = [];
  const activities = new Map<string, StoredActivity>();
  const teams = new Map<string, FakeTeamsTeam>();
  const channels = new Map<string, FakeTeamsChannel>();
  const members = new Map<string, FakeTeamsMember[]>();
  let faults: PendingFault[] = [];
  const waiters = new Set<Waiter>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let idCounter = 0;
  let seq = 0;
  let closed = false;
  let closing: Promise<void> | undefined;

  if (!options.empty) {
    teams.set(TEAMS_IDS.teamId, {
      id: TEAMS_IDS.teamId,
      name: TEAMS_IDS.teamName,
      aadGroupId: TEAMS_IDS.teamAadGroupId,
      type: 'standard',
    });
    for (const id of Object.values(TEAMS_IDS.channels)) {
      channels.set(id, {
        id,
        teamId: TEAMS_IDS.teamId,
        ...(id === TEAMS_IDS.teamId ? {} : { name: TEAMS_IDS.channelNames[id] }),
      });
    }
    members.set(TEAMS_IDS.teamId, options.members ?? Object.values(TEAMS_IDS.users));
  }

  function nextActivityId(): string {
    idCounter += 1;
    return String(FIRST_ACTIVITY_ID + idCounter);
  }

  function notify(): void {
    for (const waiter of [...waiters]) {
      if (waiter.test()) waiters.delete(waiter);
    }
  }

  function takeFault(call: FakeConnectorCall): ConnectorFault | undefined {
    const index = faults.findIndex(
      (f) =>
        f.remaining > 0 &&
        (f.kind === call.kind || (f.kind === '*' && call.kind !== 'unknown')) &&
        (!f.predicate || f.predicate(call)),
    );
    const pending = faults[index];
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) faults.splice(index, 1);
    return pending.fault;
  }

  function store(
    activity: Record<string, unknown>,
    conversationId: string,
    id: string,
    replyToId?: string,
  ): FakeTeamsActivity {
    const { channelId, rootId: parsedRoot } = parseConversationId(conversationId);
    const isChannel = /@thread\.(tacv2|skype)$/.test(channelId);
    let rootId = parsedRoot;
    if (!rootId && isChannel) {
      // Posting to the bare channel starts a new thread; replying to a message joins its thread.
      rootId = replyToId ? (activities.get(replyToId)?.rootId ?? replyToId) : id;
    }
    const stored: FakeTeamsActivity = {
      ...clone(activity),
      type: typeof activity.type === 'string' ? activity.type : 'message',
      id,
      conversation: {
        ...(isObject(activity.conversation) ? clone(activity.conversation) : {}),
        id: rootId && isChannel ? threadConversationId(channelId, rootId) : conversationId,
      },
      timestamp: typeof activity.timestamp === 'string' ? activity.timestamp : new Date().toISOString(),
      ...(replyToId ? { replyToId } : {}),
    };
    seq += 1;
    activities.set(id, {
      id,
      channel: channelId,
      ...(rootId ? { rootId } : {}),
      seq,
      versions: [stored],
      deleted: false,
    });
    return stored;
  }

  /** Members of a conversation, channel or team: its own list, else its channel's, else its team's. */
  function membersOf(scope: string): FakeTeamsMember[] {
    const own = members.get(scope);
    if (own) return own;
    const { channelId } = parseConversationId(scope);
    const ofChannel = members.get(channelId);
    if (ofChannel) return ofChannel;
    const teamId = channels.get(channelId)?.teamId ?? TEAMS_IDS.teamId;
    return members.get(teamId) ?? [];
  }

  function memberRecord(member: FakeTeamsMember): Record<string, unknown> {
    return {
      id: member.id,
      name: member.name,
      aadObjectId: member.aadObjectId,
      ...(member.givenName !== undefined ? { givenName: member.givenName } : {}),
      ...(member.surname !== undefined ? { surname: member.surname } : {}),
      ...(member.email !== undefined ? { email: member.email } : {}),
      ...(member.userPrincipalName !== undefined ? { userPrincipalName: member.userPrincipalName } : {}),
      tenantId: member.tenantId ?? TEAMS_IDS.tenantId,
      userRole: member.userRole ?? 'user',
    };
  }

  function error(status: number, code: string, message: string): Answer {
    return { status, body: { error: { code, message } } };
  }

  function answer(call: FakeConnectorCall): Answer {
    const body = isObject(call.body) ? call.body : {};
    switch (call.kind) {
      case 'create_conversation': {
        const channelData = isObject(body.channelData) ? body.channelData : {};
        const channel = isObject(channelData.channel) ? channelData.channel : {};
        const activity = isObject(body.activity) ? body.activity : undefined;
        if (typeof channel.id === 'string' && channel.id) {
          if (!activity) return error(400, 'BadArgument', 'Activity is required to create a channel thread');
          const id = nextActivityId();
          const conversationId = threadConversationId(channel.id, id);
          store(activity, conversationId, id);
          call.newActivityId = id;
          return { status: 201, body: { id: conversationId, activityId: id } };
        }
        // A 1:1 chat with a member (no channel): Teams answers with an `a:` conversation id.
        const membersList = Array.isArray(body.members) ? body.members : [];
        if (membersList.length === 0)
          return error(400, 'BadArgument', 'Either a channel or members are required');
        const conversationId = `a:1${Buffer.from(JSON.stringify(membersList)).toString('base64url').slice(0, 40)}`;
        if (activity) {
          const id = nextActivityId();
          store(activity, conversationId, id);
          call.newActivityId = id;
          return { status: 201, body: { id: conversationId, activityId: id } };
        }
        return { status: 201, body: { id: conversationId } };
      }
      case 'send':
      case 'reply': {
        if (!call.conversationId) return error(400, 'BadArgument', 'Conversation id is required');
        const type = typeof body.type === 'string' ? body.type : 'message';
        const id = nextActivityId();
        call.newActivityId = id;
        if (type === 'message') {
          if (body.text === undefined && !Array.isArray(body.attachments)) {
            return error(400, 'BadArgument', 'Unknown activity type or empty message');
          }
          store(body, call.conversationId, id, call.kind === 'reply' ? call.activityId : undefined);
        }
        return { status: 201, body: { id } };
      }
      case 'update': {
        const stored = call.activityId ? activities.get(call.activityId) : undefined;
        if (!stored || stored.deleted || !sameChannel(stored, call.conversationId)) {
          return error(404, 'NotFound', 'Activity not found');
        }
        const current = stored.versions.at(-1)!;
        const next: FakeTeamsActivity = {
          ...clone(body),
          type: typeof body.type === 'string' ? body.type : current.type,
          id: current.id,
          conversation: current.conversation,
          timestamp: current.timestamp,
          ...(current.replyToId ? { replyToId: current.replyToId } : {}),
        };
        stored.versions.push(next);
        return { status: 200, body: { id: current.id } };
      }
      case 'delete': {
        const stored = call.activityId ? activities.get(call.activityId) : undefined;
        if (!stored || stored.deleted || !sameChannel(stored, call.conversationId)) {
          return error(404, 'NotFound', 'Activity not found');
        }
        stored.deleted = true;
        return { status: 200 };
      }
      case 'get_members':
        return { status: 200, body: membersOf(call.conversationId ?? '').map(memberRecord) };
      case 'get_paged_members': {
        const list = membersOf(call.conversationId ?? '');
        const pageSize = Math.max(1, Number(call.query.pageSize ?? 200) || 200);
        const start = Number(call.query.continuationToken ?? 0) || 0;
        const page = list.slice(start, start + pageSize);
        const next = start + pageSize < list.length ? String(start + pageSize) : undefined;
        return {
          status: 200,
          body: { members: page.map(memberRecord), ...(next ? { continuationToken: next } : {}) },
        };
      }
      case 'get_member': {
        const found = membersOf(call.conversationId ?? '').find(
          (m) => m.id === call.memberId || m.aadObjectId === call.memberId,
        );
        if (!found)
          return error(404, 'MemberNotFoundInConversation', 'The member is not in the conversation');
        return { status: 200, body: memberRecord(found) };
      }
      case 'get_channels': {
        const teamId = call.teamId ?? '';
        if (!teams.has(teamId)) return error(404, 'NotFound', 'Team not found');
        const list = [...channels.values()]
          .filter((c) => (c.teamId ?? TEAMS_IDS.teamId) === teamId)
          .map((c) => ({ id: c.id, ...(c.name !== undefined ? { name: c.name } : {}) }));
        return { status: 200, body: { conversations: list } };
      }
      case 'get_team': {
        const team = teams.get(call.teamId ?? '');
        if (!team) return error(404, 'NotFound', 'Team not found');
        return {
          status: 200,
          body: {
            id: team.id,
            name: team.name,
            aadGroupId: team.aadGroupId ?? null,
            channelCount: [...channels.values()].filter((c) => (c.teamId ?? TEAMS_IDS.teamId) === team.id)
              .length,
            memberCount: membersOf(team.id).length,
            type: team.type ?? 'standard',
          },
        };
      }
      default:
        return error(404, 'NotFound', `fake connector: no route for ${call.method} ${call.path}`);
    }
  }

  /** An update/delete may name the thread conversation or the bare channel, as Teams accepts both. */
  function sameChannel(stored: StoredActivity, conversationId: string | undefined): boolean {
    return conversationId !== undefined && parseConversationId(conversationId).channelId === stored.channel;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = (await readBody(req)).toString('utf8');
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const call: FakeConnectorCall = {
      ...route(req.method ?? 'GET', url.pathname),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: req.headers,
      at: Date.now(),
    };
    if (call.kind === 'create_conversation' && isObject(body)) {
      const channel =
        isObject(body.channelData) && isObject(body.channelData.channel) ? body.channelData.channel : {};
      if (typeof channel.id === 'string') call.channel = channel.id;
    }

    const fault = takeFault(call);
    if (fault) {
      call.fault = fault;
      if (!('delayMs' in fault)) call.failed = true;
      if ('status' in fault) {
        const code = fault.code ?? STATUS_CODES[fault.status] ?? 'ServiceError';
        call.status = fault.status;
        call.response = { error: { code, message: 'fake connector failure' } };
      }
    }
    calls.push(call);
    notify();

    if (fault) {
      if ('hang' in fault) return; // never answered; close() destroys the socket
      if ('status' in fault) {
        sendJson(res, fault.status, call.response, fault.retryAfter);
        return;
      }
      await sleep(fault.delayMs);
      if (closed) return;
    }

    if (typeof body === 'string') {
      call.status = 400;
      call.response = { error: { code: 'BadArgument', message: 'Body is not JSON' } };
      notify();
      sendJson(res, 400, call.response);
      return;
    }
    const result = answer(call);
    call.status = result.status;
    call.response = result.body;
    notify();
    sendJson(res, result.status, result.body);
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
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, { error: { code: 'ServiceError', message: `fake connector: ${String(err)}` } });
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

  function describeCalls(kind: ConnectorCallKind): string {
    if (calls.length === 0) return 'no calls were recorded';
    const counts = new Map<string, { n: number; failed: number }>();
    for (const c of calls) {
      const entry = counts.get(c.kind) ?? { n: 0, failed: 0 };
      entry.n += 1;
      if (c.failed) entry.failed += 1;
      counts.set(c.kind, entry);
    }
    const summary = [...counts]
      .map(([k, { n, failed }]) => `${k} x${n}${failed ? ` (${failed} failed)` : ''}`)
      .join(', ');
    const same = calls.filter((c) => c.kind === kind);
    const detail = same.length
      ? `; the ${same.length} ${kind} call(s) that did not match: ${same
          .slice(-5)
          .map(
            (c) => `${c.method} ${c.conversationId ?? c.path} ${truncate(JSON.stringify(c.body) ?? '', 300)}`,
          )
          .join(' | ')}`
      : '';
    return `recorded: ${summary}${detail}`;
  }

  function waitUntil<T>(find: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    if (closed) return Promise.reject(new Error(`fake connector is closed; ${describe()}`));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        test: () => {
          const match = find();
          if (match === undefined) return false;
          clearTimeout(timer);
          resolve(match);
          return true;
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms: ${describe()}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  /** Answered (or decided never to be): `status`, `response` and `newActivityId` are final. */
  function settled(call: FakeConnectorCall): boolean {
    return call.status !== undefined || (call.fault !== undefined && 'hang' in call.fault);
  }

  function current(stored: StoredActivity): FakeTeamsActivity {
    return clone(stored.versions.at(-1)!);
  }

  function live(): StoredActivity[] {
    return [...activities.values()].filter((a) => !a.deleted).sort((a, b) => a.seq - b.seq);
  }

  const fake: FakeConnector = {
    serviceUrl: `${baseUrl}/`,
    baseUrl,
    port,
    calls,
    callsOf: (kind) => calls.filter((c) => c.kind === kind),
    waitFor: (kind, predicate, timeoutMs = DEFAULT_WAIT_MS) =>
      waitUntil(
        () => calls.find((c) => c.kind === kind && settled(c) && (!predicate || predicate(c))),
        timeoutMs,
        () =>
          `waitFor('${kind}'${predicate ? ', predicate' : ''}) found no matching call; ${describeCalls(kind)}`,
      ),
    thread: (channelId, rootId) => {
      const parsed = parseConversationId(channelId);
      const root = rootId ?? parsed.rootId;
      const list = live().filter((a) => a.channel === parsed.channelId && (!root || a.rootId === root));
      // Root first, then replies in arrival order.
      list.sort((a, b) => Number(b.id === root) - Number(a.id === root) || a.seq - b.seq);
      return list.map(current);
    },
    roots: (channelId) =>
      live()
        .filter((a) => a.channel === channelId && a.rootId === a.id)
        .map(current),
    activity: (id) => {
      const stored = activities.get(id);
      return stored && !stored.deleted ? current(stored) : undefined;
    },
    versions: (id) => clone(activities.get(id)?.versions ?? []),
    seedActivity: (activity) => {
      const { replyToId } = activity;
      const stored = store(
        activity,
        activity.conversation.id,
        activity.id,
        typeof replyToId === 'string' ? replyToId : undefined,
      );
      notify();
      return clone(stored);
    },
    addTeam: (team) => {
      teams.set(team.id, { ...team });
    },
    addChannel: (channel) => {
      channels.set(channel.id, { ...channel });
    },
    setMembers: (list, scope = TEAMS_IDS.teamId) => {
      members.set(
        scope,
        list.map((m) => ({ ...m })),
      );
    },
    failNext: (kind, fault, times = 1) => {
      faults.push({ kind, fault, remaining: times });
    },
    failWhen: (kind, predicate, fault, times = 1) => {
      faults.push({ kind, predicate, fault, remaining: times });
    },
    reset: () => {
      calls.length = 0;
      activities.clear();
      faults = [];
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const waiter of [...waiters])
          waiter.reject(new Error('fake connector was closed while waiting'));
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

/** Which call a request is, with its decoded path parameters. */
function route(
  method: string,
  pathname: string,
): Pick<FakeConnectorCall, 'kind' | 'conversationId' | 'channel' | 'activityId' | 'teamId' | 'memberId'> {
  // Split before decoding: encoded ids may contain `/` only as %2F.
  const segments = pathname.split('/').filter(Boolean).map(safeDecode);
  const [v3, collection, id, sub, subId, extra] = segments;
  if (v3 !== 'v3') return { kind: 'unknown' };
  if (collection === 'conversations') {
    if (id === undefined) return { kind: method === 'POST' ? 'create_conversation' : 'unknown' };
    const conversation = { conversationId: id, channel: parseConversationId(id).channelId };
    if (sub === 'activities' && extra === undefined) {
      if (subId === undefined) return { kind: method === 'POST' ? 'send' : 'unknown', ...conversation };
      const kind =
        method === 'POST'
          ? 'reply'
          : method === 'PUT'
            ? 'update'
            : method === 'DELETE'
              ? 'delete'
              : 'unknown';
      return { kind, ...conversation, activityId: subId };
    }
    if (method === 'GET' && sub === 'members' && extra === undefined) {
      return subId === undefined
        ? { kind: 'get_members', ...conversation }
        : { kind: 'get_member', ...conversation, memberId: subId };
    }
    if (method === 'GET' && sub === 'pagedmembers' && subId === undefined) {
      return { kind: 'get_paged_members', ...conversation };
    }
    return { kind: 'unknown', ...conversation };
  }
  if (collection === 'teams' && id !== undefined && method === 'GET') {
    if (sub === undefined) return { kind: 'get_team', teamId: id };
    if (sub === 'conversations' && subId === undefined) return { kind: 'get_channels', teamId: id };
  }
  return { kind: 'unknown' };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, retryAfter?: number): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
