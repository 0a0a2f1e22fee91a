/**
 * Builders for the activities Microsoft Teams posts to a bot's `/api/messages`, in Teams' real
 * shapes. Every builder starts from a JSON fixture in `test/fixtures/teams/` and overrides what the
 * test asks for, so the fixtures and the builders cannot drift apart.
 *
 *   const fake = await startFakeConnector();
 *   const root = channelMessage({ serviceUrl: fake.serviceUrl, text: 'Checkout is down' });
 *   const mention = mentionMessage({ serviceUrl: fake.serviceUrl, threadRootId: root.id, text: 'escalate P1 checkout down' });
 *   await postActivity(botUrl, mention);
 *
 * Ids follow Teams: channels and teams `19:…@thread.tacv2`, users `29:…` (plus an AAD object id),
 * the bot `28:<appId>`, message ids are epoch milliseconds as strings, and a channel thread is the
 * conversation `<channel id>;messageid=<root message id>`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

// ---------------------------------------------------------------------------------------------
// Ids

export interface TeamsUser {
  /** `29:…` (Bot Framework id of the user in this tenant). */
  id: string;
  name: string;
  /** The user's Azure AD object id (what message extensions call `from.user.id`). */
  aadObjectId: string;
  givenName?: string;
  surname?: string;
  email?: string;
  userPrincipalName?: string;
}

const APP_ID = '2c3b9a1e-7d4f-4e2a-9b8c-1a2b3c4d5e6f';
const TENANT_ID = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
const TEAM_ID = '19:general@thread.tacv2';

/** Ids used by the fixtures (and the fake connector's default team, channels and members). */
export const TEAMS_IDS = {
  tenantId: TENANT_ID,
  /** The team id is the id of its General channel, as in Teams. */
  teamId: TEAM_ID,
  teamName: 'Acme Support',
  teamAadGroupId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  /** The bot's Microsoft App id (`MicrosoftAppId`). */
  appId: APP_ID,
  /** The bot's id in activities (`recipient.id`, mentions). */
  botId: `28:${APP_ID}`,
  botName: 'Escalator',
  /** Teams' public service URL (tests pass `fake.serviceUrl` instead). */
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  channels: {
    general: TEAM_ID,
    support: '19:support@thread.tacv2',
    l2: '19:l2@thread.tacv2',
    l3: '19:l3@thread.tacv2',
    leads: '19:leads@thread.tacv2',
    head: '19:head@thread.tacv2',
  },
  /** Channel display names, by id. */
  channelNames: {
    [TEAM_ID]: 'General',
    '19:support@thread.tacv2': 'support',
    '19:l2@thread.tacv2': 'l2',
    '19:l3@thread.tacv2': 'l3',
    '19:leads@thread.tacv2': 'leads',
    '19:head@thread.tacv2': 'head',
  } as Record<string, string>,
  users: {
    /** Posts in the support channel. */
    customer: {
      id: '29:1CarlaCustomerXyZ0aBcDeFgHiJkLmN',
      name: 'Carla Customer',
      aadObjectId: '00000000-0000-4000-8000-0000000000c1',
      givenName: 'Carla',
      surname: 'Customer',
      email: 'carla@acme.example',
      userPrincipalName: 'carla@acme.example',
    },
    /** A support agent (escalates). */
    agent: {
      id: '29:1AliceAgentQwErTyUiOp0123456789',
      name: 'Alice Agent',
      aadObjectId: '00000000-0000-4000-8000-0000000000a1',
      givenName: 'Alice',
      surname: 'Agent',
      email: 'alice@acme.example',
      userPrincipalName: 'alice@acme.example',
    },
    /** A specialist who claims escalations. */
    specialist: {
      id: '29:1BobSpecialistAsDfGhJkL4567890',
      name: 'Bob Specialist',
      aadObjectId: '00000000-0000-4000-8000-0000000000b1',
      givenName: 'Bob',
      surname: 'Specialist',
      email: 'bob@acme.example',
      userPrincipalName: 'bob@acme.example',
    },
    /** Another specialist. */
    otherSpecialist: {
      id: '29:1DanaSpecialistZxCvBnM78901234',
      name: 'Dana Specialist',
      aadObjectId: '00000000-0000-4000-8000-0000000000d1',
      givenName: 'Dana',
      surname: 'Specialist',
      email: 'dana@acme.example',
      userPrincipalName: 'dana@acme.example',
    },
  } satisfies Record<string, TeamsUser>,
} as const;

// ---------------------------------------------------------------------------------------------
// Types

export interface TeamsChannelAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
  role?: string;
  [key: string]: unknown;
}

export interface TeamsAttachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
  [key: string]: unknown;
}

/** An activity as Teams posts it to the bot (structurally compatible with botbuilder's `Activity`). */
export interface TeamsActivity {
  type: string;
  id: string;
  timestamp: string;
  localTimestamp?: string;
  serviceUrl: string;
  channelId: string;
  from: TeamsChannelAccount;
  conversation: {
    id: string;
    isGroup?: boolean;
    conversationType?: string;
    tenantId?: string;
    name?: string;
    [key: string]: unknown;
  };
  recipient: TeamsChannelAccount;
  textFormat?: string;
  text?: string;
  attachments?: TeamsAttachment[];
  entities?: Record<string, unknown>[];
  channelData?: Record<string, unknown>;
  replyToId?: string;
  name?: string;
  value?: unknown;
  membersAdded?: TeamsChannelAccount[];
  locale?: string;
  localTimezone?: string;
  [key: string]: unknown;
}

/** The message a message extension (message action) was used on, as Teams describes it. */
export interface TeamsMessagePayload {
  id: string;
  replyToId?: string | null;
  createdDateTime: string;
  lastModifiedDateTime?: string | null;
  deleted?: boolean;
  subject?: string | null;
  summary?: string | null;
  importance?: string;
  locale?: string;
  linkToMessage?: string;
  from: {
    user?: { id: string; displayName: string; userIdentityType?: string } | null;
    application?: unknown;
    device?: unknown;
    conversation?: unknown;
  };
  body: { contentType: 'html' | 'text'; content: string };
  attachmentLayout?: string | null;
  attachments?: unknown[];
  mentions?: unknown[];
  reactions?: unknown[];
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const FIXTURE_DIR = new URL('../../fixtures/teams/', import.meta.url);

export const TEAMS_FIXTURES = [
  'channel_message',
  'channel_reply',
  'mention_escalate',
  'message_edit',
  'message_delete',
  'conversation_update_install',
  'adaptive_card_invoke',
  'message_extension_fetch_task',
  'message_extension_submit_action',
  'task_fetch',
  'task_submit',
] as const;
export type TeamsFixtureName = (typeof TEAMS_FIXTURES)[number];

const fixtureCache = new Map<string, string>();

/** A fresh deep copy of `test/fixtures/teams/<name>.json`. */
export function loadTeamsFixture<T = TeamsActivity>(name: TeamsFixtureName): T {
  let text = fixtureCache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`${name}.json`, FIXTURE_DIR), 'utf8');
    fixtureCache.set(name, text);
  }
  return JSON.parse(text) as T;
}

// ---------------------------------------------------------------------------------------------
// Ids and timestamps

let lastMessageId = 0;

/**
 * A fresh Teams message id: epoch milliseconds as a string, like Teams uses. Unique and increasing
 * within the process (never below `Date.now()`), so messages built in a row never collide.
 */
export function newTeamsMessageId(): string {
  lastMessageId = Math.max(Date.now(), lastMessageId + 1);
  return String(lastMessageId);
}

/** A fresh id of an invoke or conversationUpdate activity (`f:` + 19 digits). */
export function newInvokeId(): string {
  const digits = BigInt(`0x${randomBytes(8).toString('hex')}`) % 10n ** 19n;
  return `f:${digits.toString().padStart(19, '1')}`;
}

/** `<channel>;messageid=<rootId>`: the conversation id of a channel thread. */
export function threadConversationId(channelId: string, rootId: string): string {
  return `${channelId};messageid=${rootId}`;
}

/** Splits `19:x@thread.tacv2;messageid=123` into `{ channelId: '19:x@thread.tacv2', rootId: '123' }`. */
export function parseConversationId(conversationId: string): { channelId: string; rootId?: string } {
  const match = /^(.*?);messageid=(\d+)$/.exec(conversationId);
  return match ? { channelId: match[1]!, rootId: match[2]! } : { channelId: conversationId };
}

type When = Date | string | number;

function toDate(when: When | undefined): Date {
  if (when === undefined) return new Date();
  return when instanceof Date ? when : new Date(when);
}

/** `2023-11-14T14:13:20.123-08:00`: `date` in the offset the fixture's `localTimestamp` uses. */
function localTimestamp(date: Date, fixtureLocal: string | undefined): string {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(fixtureLocal ?? '');
  const sign = offset?.[1] === '-' ? -1 : 1;
  const minutes = offset ? sign * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const shifted = new Date(date.getTime() + minutes * 60_000).toISOString().replace('Z', '');
  const abs = Math.abs(minutes);
  const suffix = `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${shifted}${suffix}`;
}

// ---------------------------------------------------------------------------------------------
// Text

/** Escapes text for the `text/html` attachment Teams adds to every typed message. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '<br>');
}

/** `<p>…</p>` for plain text; `<at>Name</at>` becomes Teams' mention span. */
function htmlFor(text: string): string {
  let index = 0;
  const parts = text.split(/(<at>[^<]*<\/at>)/);
  const html = parts
    .map((part) => {
      const mention = /^<at>([^<]*)<\/at>$/.exec(part);
      if (!mention) return escapeHtml(part);
      const span = `<span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="${index}">${escapeHtml(mention[1]!)}</span>`;
      index += 1;
      return span;
    })
    .join('');
  return index > 0 ? `<div><div>${html}</div></div>` : `<p>${html}</p>`;
}

function stripTags(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

// ---------------------------------------------------------------------------------------------
// Shared parts

export interface BaseActivityOptions {
  /** Where the bot must call back. Default: Teams' public one; pass `fake.serviceUrl` in tests. */
  serviceUrl?: string;
  /** Who acted. Defaults depend on the builder (see each). */
  user?: TeamsUser | TeamsChannelAccount;
  /** When (sets `timestamp` and `localTimestamp`). Default now. */
  timestamp?: When;
  tenantId?: string;
  teamId?: string;
}

function account(user: TeamsUser | TeamsChannelAccount): TeamsChannelAccount {
  return {
    id: user.id,
    ...(user.name !== undefined ? { name: user.name } : {}),
    ...(user.aadObjectId !== undefined ? { aadObjectId: user.aadObjectId } : {}),
  };
}

function channelData(
  base: Record<string, unknown> | undefined,
  channelId: string,
  teamId: string,
  tenantId: string,
): Record<string, unknown> {
  return {
    ...base,
    teamsChannelId: channelId,
    teamsTeamId: teamId,
    channel: { ...(base?.channel as object | undefined), id: channelId },
    team: { ...(base?.team as object | undefined), id: teamId },
    tenant: { id: tenantId },
  };
}

/** Fills the fields every activity shares from the options (keeping the fixture's otherwise). */
function common<T extends TeamsActivity>(
  base: T,
  opts: BaseActivityOptions,
  conversationId: string,
  channelId: string | undefined,
): T {
  const date = toDate(opts.timestamp);
  const tenantId = opts.tenantId ?? (base.conversation.tenantId as string);
  const teamId = opts.teamId ?? TEAMS_IDS.teamId;
  const activity: T = {
    ...base,
    timestamp: date.toISOString(),
    localTimestamp: localTimestamp(date, base.localTimestamp),
    serviceUrl: opts.serviceUrl ?? base.serviceUrl,
    ...(opts.user ? { from: account(opts.user) } : {}),
    conversation: { ...base.conversation, tenantId, id: conversationId },
  };
  if (channelId) activity.channelData = channelData(base.channelData, channelId, teamId, tenantId);
  return activity;
}

// ---------------------------------------------------------------------------------------------
// Messages

export interface ChannelMessageOptions extends BaseActivityOptions {
  /** Default the support channel. */
  channelId?: string;
  /** Default the fixture's author: the customer for a post, the agent for a reply. */
  user?: TeamsUser | TeamsChannelAccount;
  /** Plain text (`<at>Name</at>` marks a mention, as Teams writes it). Default the fixture's. */
  text?: string;
  /** The `text/html` attachment's content. Default derived from `text`. */
  html?: string;
  /** Message id. Default a fresh one (epoch ms). */
  id?: string;
  /**
   * The thread this message is a reply in. Omitted: a new top-level post (its conversation id is
   * `<channel>;messageid=<its own id>` and it has no `replyToId`).
   */
  threadRootId?: string;
  /** Users mentioned in `text` as `<at>Name</at>` (adds the `mention` entities). */
  mentions?: Array<TeamsUser | TeamsChannelAccount>;
}

function mentionEntity(user: TeamsUser | TeamsChannelAccount): Record<string, unknown> {
  return {
    mentioned: { id: user.id, name: user.name ?? '' },
    text: `<at>${user.name ?? ''}</at>`,
    type: 'mention',
  };
}

function message(
  fixture: TeamsActivity,
  opts: ChannelMessageOptions,
  rootId: string | undefined,
  text: string,
  mentions: Array<TeamsUser | TeamsChannelAccount>,
): TeamsActivity {
  const channelId = opts.channelId ?? TEAMS_IDS.channels.support;
  const id = opts.id ?? newTeamsMessageId();
  const root = rootId ?? id;
  const clientInfo = (fixture.entities ?? []).filter((e) => e.type !== 'mention');
  const { replyToId: _replyToId, ...rest } = fixture;
  const activity = common(rest as TeamsActivity, opts, threadConversationId(channelId, root), channelId);
  return {
    ...activity,
    id,
    text,
    attachments: [{ contentType: 'text/html', content: opts.html ?? htmlFor(text) }],
    entities: [...mentions.map(mentionEntity), ...clientInfo],
    ...(rootId ? { replyToId: rootId } : {}),
  };
}

/**
 * A message someone typed in a channel: a top-level post, or (with `threadRootId`) a reply in a
 * thread. Default: the customer posting in the support channel. Starts from `channel_message.json`
 * or `channel_reply.json`.
 */
export function channelMessage(opts: ChannelMessageOptions = {}): TeamsActivity {
  const fixture = loadTeamsFixture(opts.threadRootId !== undefined ? 'channel_reply' : 'channel_message');
  return message(
    fixture,
    opts,
    opts.threadRootId,
    opts.text ?? (fixture.text as string),
    opts.mentions ?? [],
  );
}

export interface MentionMessageOptions extends Omit<ChannelMessageOptions, 'threadRootId'> {
  /**
   * What follows the bot's mention. Default `escalate customer wants refund`, so the text is
   * `<at>Escalator</at> escalate customer wants refund`. A text that already starts with `<at>` is
   * used as it is.
   */
  text?: string;
  /**
   * The thread the mention was typed in. Default the fixture's thread (`1700000000123`); pass the
   * root you posted. `null`: a top-level post that mentions the bot.
   */
  threadRootId?: string | null;
  /** The bot's display name. Default `Escalator`. */
  botName?: string;
}

/**
 * An @mention of the bot in a channel (by default the agent, in a support thread): what the bot
 * receives without RSC permissions. Starts from `mention_escalate.json`.
 */
export function mentionMessage(opts: MentionMessageOptions = {}): TeamsActivity {
  const fixture = loadTeamsFixture('mention_escalate');
  const botName = opts.botName ?? TEAMS_IDS.botName;
  const fixtureCommand = (fixture.text as string).replace(/^<at>[^<]*<\/at>\s*/, '');
  const command = opts.text ?? fixtureCommand;
  const text = command.startsWith('<at>') ? command : `<at>${botName}</at> ${command}`;
  const rootId = opts.threadRootId === undefined ? fixture.replyToId : (opts.threadRootId ?? undefined);
  const bot = { id: fixture.recipient.id, name: botName };
  return message(fixture, { ...opts, threadRootId: undefined }, rootId, text, [
    bot,
    ...(opts.mentions ?? []),
  ]);
}

export interface MessageEditOptions extends BaseActivityOptions {
  /** The edited message's id. Default the fixture's (`1700000000123`). */
  id?: string;
  /** The thread the message is a reply in; omitted for an edited top-level post. */
  threadRootId?: string;
  channelId?: string;
  /** The new text. */
  text?: string;
  html?: string;
  /** Default the customer. */
  user?: TeamsUser | TeamsChannelAccount;
}

/** `messageUpdate` (`channelData.eventType: 'editMessage'`): someone edited a message. */
export function messageEdit(opts: MessageEditOptions = {}): TeamsActivity {
  const fixture = loadTeamsFixture('message_edit');
  const id = opts.id ?? fixture.id;
  const channelId = opts.channelId ?? TEAMS_IDS.channels.support;
  const text = opts.text ?? (fixture.text as string);
  const { replyToId: _r, ...rest } = fixture;
  const activity = common(
    rest as TeamsActivity,
    opts,
    threadConversationId(channelId, opts.threadRootId ?? id),
    channelId,
  );
  return {
    ...activity,
    id,
    ...(opts.user ? { from: account(opts.user) } : {}),
    text,
    attachments: [{ contentType: 'text/html', content: opts.html ?? htmlFor(text) }],
    ...(opts.threadRootId ? { replyToId: opts.threadRootId } : {}),
  };
}

export interface MessageDeleteOptions extends BaseActivityOptions {
  /** The deleted message's id. Default the fixture's (`1700000045456`, a reply in `1700000000123`). */
  id?: string;
  /**
   * The thread the message was a reply in; `null` for a top-level post. Omitted: the fixture's
   * thread when `id` is omitted too, else a top-level post.
   */
  threadRootId?: string | null;
  channelId?: string;
  /** Default the agent. */
  user?: TeamsUser | TeamsChannelAccount;
}

/** `messageDelete` (`channelData.eventType: 'softDeleteMessage'`): someone deleted a message. */
export function messageDelete(opts: MessageDeleteOptions = {}): TeamsActivity {
  const fixture = loadTeamsFixture('message_delete');
  const id = opts.id ?? fixture.id;
  const channelId = opts.channelId ?? TEAMS_IDS.channels.support;
  const rootId =
    opts.threadRootId === undefined
      ? opts.id
        ? undefined
        : fixture.replyToId
      : (opts.threadRootId ?? undefined);
  const { replyToId: _r, ...rest } = fixture;
  const activity = common(
    rest as TeamsActivity,
    opts,
    threadConversationId(channelId, rootId ?? id),
    channelId,
  );
  return {
    ...activity,
    id,
    ...(opts.user ? { from: account(opts.user) } : {}),
    ...(rootId ? { replyToId: rootId } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Installation

export interface ConversationUpdateInstallOptions extends BaseActivityOptions {
  /** Default `TEAMS_IDS.teamId`. */
  teamId?: string;
  teamName?: string;
  aadGroupId?: string;
  /** The channel chosen while installing (the activity's conversation). Default the team's General channel. */
  channelId?: string;
  /** Who installed the app. Default the agent. */
  user?: TeamsUser | TeamsChannelAccount;
}

/**
 * `conversationUpdate` with `channelData.eventType: 'teamMemberAdded'` and the bot in
 * `membersAdded`: the app was installed in a team. Starts from `conversation_update_install.json`.
 */
export function conversationUpdateInstall(opts: ConversationUpdateInstallOptions = {}): TeamsActivity {
  const fixture = loadTeamsFixture('conversation_update_install');
  const teamId = opts.teamId ?? TEAMS_IDS.teamId;
  const channelId = opts.channelId ?? teamId;
  const activity = common(fixture, { ...opts, teamId }, channelId, undefined);
  const base = fixture.channelData ?? {};
  const team = base.team as Record<string, unknown>;
  return {
    ...activity,
    id: newInvokeId(),
    // Teams sends only the id (and aadObjectId) of who installed the app.
    from: opts.user ? { id: opts.user.id, aadObjectId: opts.user.aadObjectId } : fixture.from,
    channelData: {
      ...base,
      team: {
        ...team,
        id: teamId,
        name: opts.teamName ?? team.name,
        aadGroupId: opts.aadGroupId ?? team.aadGroupId,
      },
      tenant: { id: opts.tenantId ?? TEAMS_IDS.tenantId },
      settings: { selectedChannel: { id: channelId } },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Adaptive Card actions

export interface AdaptiveCardInvokeOptions extends BaseActivityOptions {
  /** `Action.Execute` verb. Default `claim`. */
  verb?: string;
  /** `Action.Execute` data. Default `{ escalationId: 'esc_01' }`. */
  data?: Record<string, unknown>;
  /** Who clicked. Default the specialist. */
  user?: TeamsUser | TeamsChannelAccount;
  /** The id of the message holding the card. Default the fixture's (`1700000000201`). */
  replyToId?: string;
  /**
   * The conversation of the card: `<channel>;messageid=<thread root>`. Default the card's own thread
   * in `channelId` (`<channel>;messageid=<replyToId>`).
   */
  conversationId?: string;
  /** Default the l2 channel (only used when `conversationId` is not given). */
  channelId?: string;
}

/** `invoke` `adaptiveCard/action`: someone clicked an `Action.Execute` button on the bot's card. */
export function adaptiveCardInvoke(opts: AdaptiveCardInvokeOptions = {}): TeamsActivity {
  const fixture = loadTeamsFixture('adaptive_card_invoke');
  const replyToId = opts.replyToId ?? (fixture.replyToId as string);
  const conversationId =
    opts.conversationId ?? threadConversationId(opts.channelId ?? TEAMS_IDS.channels.l2, replyToId);
  const channelId = parseConversationId(conversationId).channelId;
  const activity = common(fixture, opts, conversationId, channelId);
  const value = fixture.value as { action: Record<string, unknown>; trigger: string };
  return {
    ...activity,
    id: newInvokeId(),
    replyToId,
    value: {
      ...value,
      action: {
        ...value.action,
        type: 'Action.Execute',
        verb: opts.verb ?? value.action.verb,
        data: opts.data ?? value.action.data,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Task modules (dialogs) opened from a card

export interface TaskModuleInvokeOptions extends BaseActivityOptions {
  /**
   * What the button submitted: for `task/fetch` the card's `Action.Submit` data (with its
   * `msteams: { type: 'task/fetch' }`), for `task/submit` the dialog's submit data and inputs.
   * Default the fixture's.
   */
  data?: Record<string, unknown>;
  /** Who clicked. Default the specialist. */
  user?: TeamsUser | TeamsChannelAccount;
  /** The id of the message holding the card the dialog was opened from. Default the fixture's. */
  replyToId?: string;
  /** The card's conversation. Default the card's own thread in `channelId`. */
  conversationId?: string;
  /** Default the l2 channel (only used when `conversationId` is not given). */
  channelId?: string;
}

function taskModuleInvoke(name: 'task_fetch' | 'task_submit', opts: TaskModuleInvokeOptions): TeamsActivity {
  const fixture = loadTeamsFixture(name);
  const replyToId = opts.replyToId ?? (fixture.replyToId as string);
  const conversationId =
    opts.conversationId ?? threadConversationId(opts.channelId ?? TEAMS_IDS.channels.l2, replyToId);
  const channelId = parseConversationId(conversationId).channelId;
  const activity = common(fixture, opts, conversationId, channelId);
  const value = fixture.value as { data: Record<string, unknown>; context: unknown };
  return { ...activity, id: newInvokeId(), replyToId, value: { ...value, data: opts.data ?? value.data } };
}

/**
 * `invoke` `task/fetch`: someone clicked an `Action.Submit` whose data has
 * `msteams: { type: 'task/fetch' }` on the bot's card; the bot answers with the dialog to open.
 */
export function taskFetch(opts: TaskModuleInvokeOptions = {}): TeamsActivity {
  return taskModuleInvoke('task_fetch', opts);
}

/** `invoke` `task/submit`: an `Action.Submit` inside a dialog the bot opened was clicked. */
export function taskSubmit(opts: TaskModuleInvokeOptions = {}): TeamsActivity {
  return taskModuleInvoke('task_submit', opts);
}

// ---------------------------------------------------------------------------------------------
// Message extensions (message actions)

/**
 * Teams' `messagePayload` for a message: what a message action receives about the message it was
 * used on. `message` is an activity built by `channelMessage`/`mentionMessage` (or one Teams sent).
 */
export function messagePayloadFrom(
  message: TeamsActivity,
  overrides: Partial<TeamsMessagePayload> = {},
): TeamsMessagePayload {
  const base = loadTeamsFixture<{ value: { messagePayload: TeamsMessagePayload } }>(
    'message_extension_fetch_task',
  ).value.messagePayload;
  const { channelId, rootId } = parseConversationId(message.conversation.id);
  const html =
    (message.attachments?.find((a) => a.contentType === 'text/html')?.content as string | undefined) ??
    htmlFor(message.text ?? '');
  const tenantId = message.conversation.tenantId ?? TEAMS_IDS.tenantId;
  const root = message.replyToId ?? rootId ?? message.id;
  const channelName = TEAMS_IDS.channelNames[channelId] ?? 'channel';
  const link =
    `https://teams.microsoft.com/l/message/${channelId}/${message.id}?tenantId=${tenantId}` +
    `&groupId=${TEAMS_IDS.teamAadGroupId}&parentMessageId=${root}` +
    `&teamName=${encodeURIComponent(TEAMS_IDS.teamName)}&channelName=${encodeURIComponent(channelName)}` +
    `&createdTime=${message.id}`;
  return {
    ...base,
    linkToMessage: link,
    id: message.id,
    replyToId: message.replyToId ?? null,
    createdDateTime: message.timestamp,
    from: {
      ...base.from,
      user: {
        userIdentityType: 'aadUser',
        id: message.from.aadObjectId ?? message.from.id,
        displayName: message.from.name ?? '',
      },
    },
    body: { contentType: 'html', content: html },
    ...overrides,
  };
}

export interface MessageExtensionOptions extends BaseActivityOptions {
  /** Default `escalate`. */
  commandId?: string;
  /** The message the action was used on (turned into `messagePayload`). */
  message?: TeamsActivity;
  /** Fields of `messagePayload` (over `message`'s, or over the fixture's customer post). */
  messagePayload?: Partial<TeamsMessagePayload>;
  /** Who used the action. Default the agent. */
  user?: TeamsUser | TeamsChannelAccount;
  /** The channel of the message. Default `message`'s channel, else support. */
  channelId?: string;
}

function messageExtension(
  name: 'message_extension_fetch_task' | 'message_extension_submit_action',
  opts: MessageExtensionOptions,
): { activity: TeamsActivity; value: Record<string, unknown>; payload: TeamsMessagePayload } {
  const fixture = loadTeamsFixture(name);
  const value = fixture.value as Record<string, unknown> & { messagePayload: TeamsMessagePayload };
  const payload: TeamsMessagePayload = opts.message
    ? messagePayloadFrom(opts.message, opts.messagePayload)
    : { ...value.messagePayload, ...opts.messagePayload };
  const channelId =
    opts.channelId ??
    (opts.message ? parseConversationId(opts.message.conversation.id).channelId : TEAMS_IDS.channels.support);
  const root = payload.replyToId ?? payload.id;
  const activity = common(fixture, opts, threadConversationId(channelId, root), channelId);
  return { activity: { ...activity, id: newInvokeId() }, value, payload };
}

/**
 * `invoke` `composeExtension/fetchTask`: someone chose the "Escalate" message action on a message
 * (the bot answers with a task module). Starts from `message_extension_fetch_task.json`.
 */
export function messageExtensionFetchTask(opts: MessageExtensionOptions = {}): TeamsActivity {
  const { activity, value, payload } = messageExtension('message_extension_fetch_task', opts);
  return {
    ...activity,
    value: {
      ...value,
      commandId: opts.commandId ?? value.commandId,
      commandContext: 'message',
      requestId: randomBytes(16).toString('hex'),
      messagePayload: payload,
    },
  };
}

export interface MessageExtensionSubmitOptions extends MessageExtensionOptions {
  /** What the task module submitted. Default the fixture's `{ path, priority, reason }`. */
  data?: Record<string, unknown>;
  /** `edit` / `send` when the bot answered with a `botMessagePreview`. */
  botMessagePreviewAction?: 'edit' | 'send';
  /** With `botMessagePreviewAction`: the preview card activity Teams sends back. */
  botActivityPreview?: unknown[];
}

/**
 * `invoke` `composeExtension/submitAction`: the task module of a message action was submitted.
 * Starts from `message_extension_submit_action.json`.
 */
export function messageExtensionSubmitAction(opts: MessageExtensionSubmitOptions = {}): TeamsActivity {
  const { activity, value, payload } = messageExtension('message_extension_submit_action', opts);
  return {
    ...activity,
    value: {
      ...value,
      commandId: opts.commandId ?? value.commandId,
      commandContext: 'message',
      data: opts.data ?? value.data,
      messagePayload: payload,
      ...(opts.botMessagePreviewAction ? { botMessagePreviewAction: opts.botMessagePreviewAction } : {}),
      ...(opts.botActivityPreview ? { botActivityPreview: opts.botActivityPreview } : {}),
    },
  };
}

/** The plain text of a `messagePayload` body (tags stripped, entities decoded). */
export function messagePayloadText(payload: Pick<TeamsMessagePayload, 'body'>): string {
  return payload.body.contentType === 'html' ? stripTags(payload.body.content) : payload.body.content;
}
