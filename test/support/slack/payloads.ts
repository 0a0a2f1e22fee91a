/**
 * Builders for Slack payloads in Slack's real shapes. Every builder starts from a JSON fixture in
 * `test/fixtures/slack/` (captured-shape examples) and overrides what the test asks for, so the
 * fixtures and the builders cannot drift apart.
 *
 * Events come as full `event_callback` envelopes (send with `sendEvent`, or `app.processEvent`),
 * interactions as the object Slack puts in the `payload` form field (send with `sendInteraction`),
 * slash commands as the form fields Slack posts (send with `sendCommand`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type {
  BlockAction,
  BlockElementAction,
  MessageShortcut,
  SlashCommand,
  ViewStateValue,
  ViewSubmitAction,
} from '@slack/bolt';
import { FAKE_SLACK } from './fake-slack-api.js';

/** Ids used by the fixtures. The workspace and bot ids are the ones the fake Web API answers with. */
export const SLACK_IDS = {
  ...FAKE_SLACK,
  /** The deprecated verification token Slack still puts in every payload. */
  verificationToken: 'Vr1fIcAt10nT0kEnLeGaCy00',
  supportChannel: 'C0SUPPORT',
  supportChannelName: 'support',
  escalationChannel: 'C0ESCALATIONS',
  escalationChannelName: 'escalations',
  /** A support agent. */
  agent: 'U0ALICE',
  agentName: 'alice',
  /** A specialist who claims escalations. */
  responder: 'U0BOB',
  responderName: 'bob',
} as const;

// ---------------------------------------------------------------------------------------------
// Fixtures

const FIXTURE_DIR = new URL('../../fixtures/slack/', import.meta.url);

export const SLACK_FIXTURES = [
  'message',
  'message_changed',
  'message_deleted',
  'bot_message',
  'channel_join',
  'app_mention',
  'slash_command_escalate',
  'message_shortcut_escalate',
  'block_actions_claim',
  'view_submission_escalate',
] as const;
export type SlackFixtureName = (typeof SLACK_FIXTURES)[number];

const fixtureCache = new Map<string, string>();

/** A fresh deep copy of `test/fixtures/slack/<name>.json`. */
export function loadSlackFixture<T = Record<string, unknown>>(name: SlackFixtureName): T {
  let text = fixtureCache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`${name}.json`, FIXTURE_DIR), 'utf8');
    fixtureCache.set(name, text);
  }
  return JSON.parse(text) as T;
}

// ---------------------------------------------------------------------------------------------
// Ids and timestamps

let counter = 0;

/**
 * A fresh Slack timestamp (`"<unix seconds>.<6 digits>"`) for `ms` (default now). Unique and
 * increasing across calls in one process, so events built in a row never collide.
 */
export function slackTs(ms: number = Date.now()): string {
  counter += 1;
  const seconds = Math.floor(ms / 1000);
  const micros = ((ms % 1000) * 1000 + (counter % 1000)) % 1_000_000;
  return `${seconds}.${String(micros).padStart(6, '0')}`;
}

/** A fresh `event_id` like `Ev0A1B2C3D4E`. */
export function newEventId(): string {
  counter += 1;
  return `Ev0${counter.toString(36).toUpperCase().padStart(4, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
}

/** A fresh `trigger_id` like `6201234567891.6100000000001.<32 hex>`. */
export function newTriggerId(): string {
  counter += 1;
  return `${6_201_234_500_000 + counter}.6100000000001.${randomBytes(16).toString('hex')}`;
}

function tsSeconds(ts: string): number {
  return Math.floor(Number(ts));
}

/** `U0ALICE` -> `alice`, `C0SUPPORT` -> `support` (the fixtures' naming convention). */
function nameFromId(id: string): string {
  const known: Record<string, string> = {
    [SLACK_IDS.agent]: SLACK_IDS.agentName,
    [SLACK_IDS.responder]: SLACK_IDS.responderName,
    [SLACK_IDS.botUserId]: SLACK_IDS.botUserName,
    [SLACK_IDS.supportChannel]: SLACK_IDS.supportChannelName,
    [SLACK_IDS.escalationChannel]: SLACK_IDS.escalationChannelName,
  };
  return known[id] ?? (id.replace(/^[UWCGD]0?/, '').toLowerCase() || id.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Rich text

/**
 * The `rich_text` block Slack attaches to a typed message. Understands `<@U123>`, `<#C123|name>`,
 * `<!here>`/`<!channel>` and `<https://x|label>`; everything else is plain text.
 */
export function richTextBlocks(text: string, blockId = randomBytes(3).toString('base64url')): unknown[] {
  const elements: Record<string, unknown>[] = [];
  const pattern = /<([@#!])?([^>|]+)(?:\|([^>]*))?>/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) elements.push({ type: 'text', text: text.slice(last, index) });
    const [, sigil, target = '', label] = match;
    if (sigil === '@') elements.push({ type: 'user', user_id: target });
    else if (sigil === '#') elements.push({ type: 'channel', channel_id: target });
    else if (sigil === '!') elements.push({ type: 'broadcast', range: target });
    else elements.push({ type: 'link', url: target, ...(label ? { text: label } : {}) });
    last = index + match[0].length;
  }
  if (last < text.length) elements.push({ type: 'text', text: text.slice(last) });
  return [{ type: 'rich_text', block_id: blockId, elements: [{ type: 'rich_text_section', elements }] }];
}

// ---------------------------------------------------------------------------------------------
// Events API

export interface SlackAuthorization {
  enterprise_id: string | null;
  team_id: string;
  user_id: string;
  is_bot: boolean;
  is_enterprise_install: boolean;
}

export interface SlackEventEnvelope<E = SlackEventPayload> {
  token: string;
  team_id: string;
  context_team_id: string;
  context_enterprise_id: string | null;
  api_app_id: string;
  event: E;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: SlackAuthorization[];
  is_ext_shared_channel: boolean;
  event_context: string;
}

/** The inner `event` of a message-ish event (loosely typed: Slack adds fields over time). */
export interface SlackEventPayload {
  type: string;
  subtype?: string;
  channel: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  event_ts: string;
  channel_type?: string;
  team?: string;
  blocks?: unknown[];
  [key: string]: unknown;
}

interface EnvelopeOptions {
  /** `event_id` (default fresh: Bolt does not dedupe retries, so tests often pin it). */
  eventId?: string;
  /** `event_time` (default: the event's ts in seconds). */
  eventTime?: number;
  /** Slack Connect channel: sets `is_ext_shared_channel`. */
  extShared?: boolean;
  /** Extra fields merged into `event` last. */
  event?: Record<string, unknown>;
}

function eventContext(type: string, channel: string): string {
  const json = JSON.stringify({ et: type, tid: SLACK_IDS.teamId, aid: SLACK_IDS.appId, cid: channel });
  return `4-${Buffer.from(json).toString('base64')}`;
}

function envelope<E extends SlackEventPayload>(
  base: SlackEventEnvelope<E>,
  event: E,
  opts: EnvelopeOptions,
): SlackEventEnvelope<E> {
  const merged = { ...event, ...opts.event } as E;
  return {
    ...base,
    event: merged,
    event_id: opts.eventId ?? newEventId(),
    event_time: opts.eventTime ?? tsSeconds(merged.event_ts),
    is_ext_shared_channel: opts.extShared ?? base.is_ext_shared_channel,
    event_context: eventContext(merged.type, merged.channel),
  };
}

export interface MessageEventOptions extends EnvelopeOptions {
  channel?: string;
  user?: string;
  text?: string;
  ts?: string;
  /** Makes it a thread reply (adds `thread_ts` and `parent_user_id`). */
  threadTs?: string;
  /** Author of the thread's parent (default: `user`). */
  parentUserId?: string;
  /** The author's team. Another id than `T0HOME` means an external (Slack Connect) user. */
  team?: string;
  /** A raw subtype (`thread_broadcast`, `file_share`, `me_message`, ...). */
  subtype?: string;
  /** Posted by an app through the Web API: adds `bot_id`, `app_id`, `bot_profile` (no subtype). */
  botId?: string;
  channelType?: 'channel' | 'group' | 'im' | 'mpim';
  /** Replaces the generated `rich_text` blocks. */
  blocks?: unknown[];
  files?: unknown[];
}

/** `message` event as Slack sends it for `message.channels` (a person typing in a channel). */
export function messageEvent(opts: MessageEventOptions = {}): SlackEventEnvelope {
  const base = loadSlackFixture<SlackEventEnvelope>('message');
  const f = base.event;
  const ts = opts.ts ?? slackTs();
  const text = opts.text ?? (f.text as string);
  const user = opts.user ?? (f.user as string);
  const team = opts.team ?? (f.team as string);
  const external = team !== SLACK_IDS.teamId;
  const event: SlackEventPayload = {
    user,
    type: 'message',
    ...(opts.subtype ? { subtype: opts.subtype } : {}),
    ts,
    ...(opts.botId
      ? {
          bot_id: opts.botId,
          app_id: `A${opts.botId.slice(1)}`,
          bot_profile: {
            id: opts.botId,
            deleted: false,
            name: nameFromId(user),
            updated: 1_699_990_000,
            app_id: `A${opts.botId.slice(1)}`,
            team_id: team,
          },
        }
      : { client_msg_id: randomUUID() }),
    text,
    team,
    ...(external ? { user_team: team, source_team: team } : {}),
    ...(opts.threadTs ? { thread_ts: opts.threadTs, parent_user_id: opts.parentUserId ?? user } : {}),
    blocks: opts.blocks ?? richTextBlocks(text),
    ...(opts.files ? { files: opts.files, upload: false, display_as_bot: false } : {}),
    channel: opts.channel ?? f.channel,
    event_ts: ts,
    channel_type: opts.channelType ?? (f.channel_type as string),
  };
  return envelope(base, event, { extShared: external || undefined, ...opts });
}

export interface MessageChangedOptions extends EnvelopeOptions {
  channel?: string;
  user?: string;
  /** ts of the edited message. */
  ts?: string;
  /** The new text. */
  text?: string;
  previousText?: string;
  /** ts of the edit (the event's own ts). Default fresh. */
  editTs?: string;
  threadTs?: string;
  parentUserId?: string;
  team?: string;
}

/** `message` / `message_changed`: someone edited a message (`message` is the new version). */
export function messageChangedEvent(opts: MessageChangedOptions = {}): SlackEventEnvelope {
  const base = loadSlackFixture<SlackEventEnvelope>('message_changed');
  const f = base.event;
  const fm = f.message as Record<string, unknown>;
  const fp = f.previous_message as Record<string, unknown>;
  const user = opts.user ?? (fm.user as string);
  const team = opts.team ?? (fm.team as string);
  const ts = opts.ts ?? slackTs();
  const editTs = opts.editTs ?? slackTs();
  const text = opts.text ?? (fm.text as string);
  const previousText = opts.previousText ?? (fp.text as string);
  const thread = opts.threadTs ? { thread_ts: opts.threadTs, parent_user_id: opts.parentUserId ?? user } : {};
  const clientMsgId = randomUUID();
  const event: SlackEventPayload = {
    type: 'message',
    subtype: 'message_changed',
    message: {
      ...fm,
      client_msg_id: clientMsgId,
      text,
      user,
      team,
      edited: { user, ts: `${tsSeconds(editTs)}.000000` },
      blocks: richTextBlocks(text),
      ts,
      ...thread,
      source_team: team,
      user_team: team,
    },
    previous_message: {
      ...fp,
      client_msg_id: clientMsgId,
      text: previousText,
      user,
      ts,
      team,
      ...thread,
      blocks: richTextBlocks(previousText),
    },
    channel: opts.channel ?? f.channel,
    hidden: true,
    ts: editTs,
    event_ts: editTs,
    channel_type: f.channel_type as string,
  };
  return envelope(base, event, opts);
}

export interface MessageDeletedOptions extends EnvelopeOptions {
  channel?: string;
  user?: string;
  /** ts of the deleted message. */
  deletedTs?: string;
  previousText?: string;
  /** ts of the deletion (the event's own ts). Default fresh. */
  ts?: string;
  threadTs?: string;
  parentUserId?: string;
  team?: string;
}

/** `message` / `message_deleted`: a message was deleted (`previous_message` is what it was). */
export function messageDeletedEvent(opts: MessageDeletedOptions = {}): SlackEventEnvelope {
  const base = loadSlackFixture<SlackEventEnvelope>('message_deleted');
  const f = base.event;
  const fp = f.previous_message as Record<string, unknown>;
  const user = opts.user ?? (fp.user as string);
  const deletedTs = opts.deletedTs ?? slackTs();
  const ts = opts.ts ?? slackTs();
  const previousText = opts.previousText ?? (fp.text as string);
  const event: SlackEventPayload = {
    type: 'message',
    subtype: 'message_deleted',
    previous_message: {
      ...fp,
      client_msg_id: randomUUID(),
      text: previousText,
      user,
      ts: deletedTs,
      team: opts.team ?? fp.team,
      ...(opts.threadTs ? { thread_ts: opts.threadTs, parent_user_id: opts.parentUserId ?? user } : {}),
      blocks: richTextBlocks(previousText),
    },
    channel: opts.channel ?? f.channel,
    hidden: true,
    deleted_ts: deletedTs,
    event_ts: ts,
    ts,
    channel_type: f.channel_type as string,
  };
  return envelope(base, event, opts);
}

export interface BotMessageOptions extends EnvelopeOptions {
  channel?: string;
  text?: string;
  ts?: string;
  threadTs?: string;
  /** Default `B0ZENDESK` (an integration, not us). */
  botId?: string;
  username?: string;
  appId?: string;
}

/** `message` / `bot_message`: posted by an integration or incoming webhook. */
export function botMessageEvent(opts: BotMessageOptions = {}): SlackEventEnvelope {
  const base = loadSlackFixture<SlackEventEnvelope>('bot_message');
  const f = base.event;
  const ts = opts.ts ?? slackTs();
  const text = opts.text ?? (f.text as string);
  const blocks = structuredClone(f.blocks ?? []) as { text?: { text?: string } }[];
  if (blocks[0]?.text) blocks[0].text.text = text;
  const event: SlackEventPayload = {
    ...f,
    text,
    ts,
    username: opts.username ?? f.username,
    bot_id: opts.botId ?? f.bot_id,
    app_id: opts.appId ?? f.app_id,
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    blocks,
    channel: opts.channel ?? f.channel,
    event_ts: ts,
  };
  return envelope(base, event, opts);
}

export interface ChannelJoinOptions extends EnvelopeOptions {
  channel?: string;
  /** Who joined (default the bot, `U0BOT`). */
  user?: string;
  /** Who invited them (omit the field with `null`). */
  inviter?: string | null;
  ts?: string;
}

/** `message` / `channel_join`: someone (by default our bot) joined a channel. */
export function channelJoinEvent(opts: ChannelJoinOptions = {}): SlackEventEnvelope {
  const base = loadSlackFixture<SlackEventEnvelope>('channel_join');
  const f = base.event;
  const ts = opts.ts ?? slackTs();
  const user = opts.user ?? (f.user as string);
  const { inviter: _inviter, ...rest } = f;
  const inviter = opts.inviter === undefined ? f.inviter : opts.inviter;
  const event: SlackEventPayload = {
    ...rest,
    ts,
    user,
    text: `<@${user}> has joined the channel`,
    ...(inviter ? { inviter } : {}),
    channel: opts.channel ?? f.channel,
    event_ts: ts,
  };
  return envelope(base, event, opts);
}

export interface AppMentionOptions extends EnvelopeOptions {
  channel?: string;
  user?: string;
  /** Default `<@U0BOT> escalate customer wants refund`. */
  text?: string;
  ts?: string;
  /** The thread the mention was typed in. `null` for a top-level mention. Default: the fixture's thread. */
  threadTs?: string | null;
  parentUserId?: string;
  team?: string;
}

/** `app_mention` (`@escalator escalate <reason>`), by default inside a thread. */
export function appMentionEvent(opts: AppMentionOptions = {}): SlackEventEnvelope {
  const base = loadSlackFixture<SlackEventEnvelope>('app_mention');
  const f = base.event;
  const ts = opts.ts ?? slackTs();
  const text = opts.text ?? (f.text as string);
  const user = opts.user ?? (f.user as string);
  const threadTs = opts.threadTs === undefined ? f.thread_ts : (opts.threadTs ?? undefined);
  const { thread_ts: _t, parent_user_id: _p, ...rest } = f;
  const team = opts.team ?? (f.team as string);
  const event: SlackEventPayload = {
    ...rest,
    user,
    ts,
    client_msg_id: randomUUID(),
    text,
    team,
    ...(team !== SLACK_IDS.teamId ? { user_team: team, source_team: team } : {}),
    ...(threadTs ? { thread_ts: threadTs, parent_user_id: opts.parentUserId ?? f.parent_user_id } : {}),
    blocks: richTextBlocks(text),
    channel: opts.channel ?? f.channel,
    event_ts: ts,
  };
  return envelope(base, event, { extShared: team !== SLACK_IDS.teamId || undefined, ...opts });
}

// ---------------------------------------------------------------------------------------------
// Slash commands

export interface SlashCommandOptions {
  command?: string;
  text?: string;
  channel?: string;
  channelName?: string;
  user?: string;
  userName?: string;
  triggerId?: string;
  /** Use `fake.responseUrl()` when the handler calls `respond()`. */
  responseUrl?: string;
}

/** The form fields of a slash command, in the order Slack posts them (send with `sendCommand`). */
export function slashCommand(opts: SlashCommandOptions = {}): SlashCommand & Record<string, string> {
  const f = loadSlackFixture<Record<string, string>>('slash_command_escalate');
  const channel = opts.channel ?? f.channel_id!;
  const user = opts.user ?? f.user_id!;
  return {
    token: f.token!,
    team_id: f.team_id!,
    team_domain: f.team_domain!,
    channel_id: channel,
    channel_name: opts.channelName ?? (opts.channel ? nameFromId(channel) : f.channel_name!),
    user_id: user,
    user_name: opts.userName ?? (opts.user ? nameFromId(user) : f.user_name!),
    command: opts.command ?? f.command!,
    text: opts.text ?? f.text!,
    api_app_id: f.api_app_id!,
    is_enterprise_install: f.is_enterprise_install!,
    response_url: opts.responseUrl ?? f.response_url!,
    trigger_id: opts.triggerId ?? newTriggerId(),
  };
}

// ---------------------------------------------------------------------------------------------
// Interactivity

function userObject(id: string, name: string | undefined, teamId: string = SLACK_IDS.teamId) {
  const n = name ?? nameFromId(id);
  return { id, username: n, name: n, team_id: teamId };
}

export interface MessageShortcutOptions {
  callbackId?: string;
  channel?: string;
  channelName?: string;
  /** Who used the shortcut. */
  user?: string;
  userName?: string;
  /** The message the shortcut was used on. Extra fields are kept. */
  message?: { ts: string; thread_ts?: string; text?: string; user?: string; [key: string]: unknown };
  triggerId?: string;
  responseUrl?: string;
}

/** `message_action`: "Escalate thread" from a message's "More actions" menu. */
export function messageShortcut(opts: MessageShortcutOptions = {}): MessageShortcut {
  const base = loadSlackFixture<MessageShortcut & Record<string, unknown>>('message_shortcut_escalate');
  const user = opts.user ?? base.user.id;
  const channel = opts.channel ?? base.channel.id;
  let message = base.message;
  if (opts.message) {
    const {
      ts,
      thread_ts,
      text = base.message.text ?? '',
      user: author = base.message.user,
      ...extra
    } = opts.message;
    const { thread_ts: _t, parent_user_id: _p, ...plain } = base.message;
    message = {
      ...plain,
      client_msg_id: randomUUID(),
      type: 'message',
      text,
      user: author,
      ts,
      blocks: richTextBlocks(text),
      ...(thread_ts ? { thread_ts } : {}),
      ...(thread_ts && thread_ts !== ts ? { parent_user_id: extra.parent_user_id ?? author } : {}),
      ...extra,
    };
  }
  return {
    ...base,
    action_ts: slackTs(),
    user: userObject(user, opts.userName ?? (opts.user ? undefined : base.user.name)),
    channel: {
      id: channel,
      name: opts.channelName ?? (opts.channel ? nameFromId(channel) : base.channel.name),
    },
    callback_id: opts.callbackId ?? base.callback_id,
    trigger_id: opts.triggerId ?? newTriggerId(),
    response_url: opts.responseUrl ?? base.response_url,
    message_ts: message.ts,
    message,
  };
}

export interface BlockActionOptions {
  /** Default `claim`. */
  actionId?: string;
  /** The button's value (default: the value in the message, `esc_01` in the fixture). */
  value?: string;
  /** Who clicked. */
  user?: string;
  userName?: string;
  channel?: string;
  channelName?: string;
  /** ts of the message holding the button (default the fixture's). */
  messageTs?: string;
  /** Set when the message is a thread reply (goes to `container.thread_ts` and `message.thread_ts`). */
  threadTs?: string;
  blockId?: string;
  /**
   * The whole message as Slack would send it, e.g. `fake.message(channel, ts)` of the card our bot
   * posted. Default: the fixture's escalation card.
   */
  message?: Record<string, unknown>;
  /** Element type (default `button`; `static_select`/`overflow`/`radio_buttons` use `value` as the option). */
  actionType?: string;
  /** Button label when the action is not found in the message. */
  text?: string;
  /** Input values in the message (rarely needed), simple form as for `viewSubmission`. */
  stateValues?: SimpleStateValues;
  triggerId?: string;
  responseUrl?: string;
}

interface BlockLike {
  type?: string;
  block_id?: string;
  elements?: Record<string, unknown>[];
  accessory?: Record<string, unknown>;
}

function findElement(
  blocks: BlockLike[],
  actionId: string,
  blockId?: string,
): { block: BlockLike; element: Record<string, unknown> } | undefined {
  for (const block of blocks) {
    if (blockId && block.block_id !== blockId) continue;
    const candidates = [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])];
    const element = candidates.find((e) => e.action_id === actionId);
    if (element) return { block, element };
  }
  return undefined;
}

/** `block_actions`: a click on a button (or a menu choice) in a message, by default Claim on an escalation card. */
export function blockAction(opts: BlockActionOptions = {}): BlockAction<BlockElementAction> {
  const base = loadSlackFixture<BlockAction<BlockElementAction> & Record<string, unknown>>(
    'block_actions_claim',
  );
  const actionId = opts.actionId ?? 'claim';
  const user = opts.user ?? base.user.id;
  const channel = opts.channel ?? base.channel!.id;
  const message = structuredClone(opts.message ?? base.message!) as Record<string, unknown> & { ts: string };
  message.type = 'message';
  if (opts.messageTs) message.ts = opts.messageTs;
  if (opts.threadTs) message.thread_ts = opts.threadTs;
  const threadTs = typeof message.thread_ts === 'string' ? message.thread_ts : undefined;
  const blocks = (Array.isArray(message.blocks) ? message.blocks : []) as BlockLike[];
  message.blocks = blocks;

  const actionType = opts.actionType ?? 'button';
  let found = findElement(blocks, actionId, opts.blockId);
  if (!found && !opts.message) {
    // Put the action into the fixture card so message and action agree.
    const blockId = opts.blockId ?? 'escalation_actions';
    let block = blocks.find((b) => b.block_id === blockId && b.type === 'actions');
    if (!block) {
      block = { type: 'actions', block_id: blockId, elements: [] };
      blocks.push(block);
    }
    const element: Record<string, unknown> = {
      type: actionType,
      action_id: actionId,
      ...(actionType === 'button'
        ? { text: plainText(opts.text ?? humanize(actionId)), value: opts.value ?? 'esc_01' }
        : {}),
    };
    block.elements = [...(block.elements ?? []), element];
    found = { block, element };
  }
  const element = found?.element ?? {};
  if (opts.value !== undefined && actionType === 'button' && found) element.value = opts.value;
  const value = opts.value ?? (typeof element.value === 'string' ? element.value : undefined);

  const action: Record<string, unknown> = {
    action_id: actionId,
    block_id: found?.block.block_id ?? opts.blockId ?? 'escalation_actions',
  };
  if (actionType === 'button') {
    action.text = element.text ?? plainText(opts.text ?? humanize(actionId));
    if (value !== undefined) action.value = value;
    if (element.style) action.style = element.style;
    if (element.url) action.url = element.url;
  } else if (['static_select', 'overflow', 'radio_buttons', 'external_select'].includes(actionType)) {
    action.selected_option = option(value ?? '', opts.text);
  } else if (actionType === 'users_select') {
    action.selected_user = value;
  } else if (actionType === 'conversations_select') {
    action.selected_conversation = value;
  } else if (actionType === 'channels_select') {
    action.selected_channel = value;
  } else if (value !== undefined) {
    action.value = value;
  }
  action.type = actionType;
  action.action_ts = slackTs();

  return {
    ...base,
    user: userObject(user, opts.userName ?? (opts.user ? undefined : base.user.name)),
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: channel,
      is_ephemeral: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    },
    trigger_id: opts.triggerId ?? newTriggerId(),
    channel: {
      id: channel,
      name: opts.channelName ?? (opts.channel ? nameFromId(channel) : base.channel!.name),
    },
    message: message as BlockAction['message'],
    state: { values: opts.stateValues ? toStateValues(opts.stateValues) : {} },
    response_url: opts.responseUrl ?? base.response_url,
    actions: [action as unknown as BlockElementAction],
  };
}

// --- view state -------------------------------------------------------------------------------

/** One input's value in a simple form; expanded by `toStateValues`. */
export type SimpleStateValue =
  /** plain_text_input (`null`: left empty) */
  | string
  | null
  /** static_select (`text` defaults to the value, humanized) */
  | { select: string | null; text?: string }
  | { multiSelect: string[] }
  | { radio: string | null; text?: string }
  | { checkboxes: string[] }
  | { user: string | null }
  | { users: string[] }
  | { conversation: string | null }
  | { conversations: string[] }
  | { channel: string | null }
  | { channels: string[] }
  | { date: string | null }
  | { time: string | null }
  | { number: string | number | null }
  | { email: string | null }
  | { url: string | null }
  /** Already in Slack's shape (`{ type: 'static_select', selected_option: ... }`): kept as is. */
  | ({ type: string } & Record<string, unknown>);

/**
 * `{ [blockId]: { [actionId]: value } }`, or `{ [blockId]: value }` when the action id equals the
 * block id. Example: `{ severity: { severity_select: { select: 'high' } }, reason: { reason_input: 'refund' } }`.
 */
export type SimpleStateValues = Record<string, SimpleStateValue | Record<string, SimpleStateValue>>;

export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

const SIMPLE_KEYS = new Set([
  'select',
  'multiSelect',
  'radio',
  'checkboxes',
  'user',
  'users',
  'conversation',
  'conversations',
  'channel',
  'channels',
  'date',
  'time',
  'number',
  'email',
  'url',
]);

function isSimpleValue(value: unknown): value is SimpleStateValue {
  if (value === null || typeof value === 'string') return true;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (typeof (value as { type?: unknown }).type === 'string') return true;
  return keys.length > 0 && keys.length <= 2 && keys.some((k) => SIMPLE_KEYS.has(k));
}

function plainText(text: string) {
  return { type: 'plain_text' as const, text, emoji: true };
}

function option(value: string, text?: string) {
  return { text: plainText(text ?? humanize(value)), value };
}

function humanize(id: string): string {
  const s = id.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function expandValue(input: SimpleStateValue): ViewStateValue {
  if (input === null || typeof input === 'string') return { type: 'plain_text_input', value: input };
  if ('type' in input && typeof input.type === 'string') return { ...input } as ViewStateValue;
  const value = input as Exclude<SimpleStateValue, string | null | { type: string }>;
  if ('select' in value) {
    return {
      type: 'static_select',
      selected_option: value.select === null ? null : option(value.select, value.text),
    };
  }
  if ('multiSelect' in value) {
    return { type: 'multi_static_select', selected_options: value.multiSelect.map((v) => option(v)) };
  }
  if ('radio' in value) {
    return {
      type: 'radio_buttons',
      selected_option: value.radio === null ? null : option(value.radio, value.text),
    };
  }
  if ('checkboxes' in value)
    return { type: 'checkboxes', selected_options: value.checkboxes.map((v) => option(v)) };
  if ('user' in value) return { type: 'users_select', selected_user: value.user };
  if ('users' in value) return { type: 'multi_users_select', selected_users: value.users };
  if ('conversation' in value)
    return { type: 'conversations_select', selected_conversation: value.conversation };
  if ('conversations' in value) {
    return { type: 'multi_conversations_select', selected_conversations: value.conversations };
  }
  if ('channel' in value) return { type: 'channels_select', selected_channel: value.channel };
  if ('channels' in value) return { type: 'multi_channels_select', selected_channels: value.channels };
  if ('date' in value) return { type: 'datepicker', selected_date: value.date };
  if ('time' in value) return { type: 'timepicker', selected_time: value.time };
  if ('number' in value) {
    return { type: 'number_input', value: value.number === null ? null : String(value.number) };
  }
  if ('email' in value) return { type: 'email_text_input', value: value.email };
  return { type: 'url_text_input', value: value.url };
}

/** Expands the simple map into Slack's `view.state.values`. */
export function toStateValues(values: SimpleStateValues): ViewStateValues {
  const out: ViewStateValues = {};
  for (const [blockId, entry] of Object.entries(values)) {
    if (isSimpleValue(entry)) {
      out[blockId] = { [blockId]: expandValue(entry) };
    } else {
      out[blockId] = Object.fromEntries(
        Object.entries(entry as Record<string, SimpleStateValue>).map(([actionId, v]) => [
          actionId,
          expandValue(v),
        ]),
      );
    }
  }
  return out;
}

/** Input blocks that match the given state (so `view.blocks` and `view.state` agree). */
function inputBlocksFor(state: ViewStateValues): unknown[] {
  const blocks: unknown[] = [];
  for (const [blockId, actions] of Object.entries(state)) {
    for (const [actionId, value] of Object.entries(actions)) {
      const type = String(value.type);
      const element: Record<string, unknown> = { type, action_id: actionId };
      if (type === 'plain_text_input') {
        element.dispatch_action_config = { trigger_actions_on: ['on_enter_pressed'] };
      }
      const selected = value.selected_option ?? null;
      const selectedMany = Array.isArray(value.selected_options) ? value.selected_options : [];
      if (['static_select', 'radio_buttons'].includes(type)) element.options = selected ? [selected] : [];
      if (['multi_static_select', 'checkboxes'].includes(type)) element.options = selectedMany;
      if (type === 'number_input') element.is_decimal_allowed = false;
      blocks.push({
        type: 'input',
        block_id: blockId,
        label: plainText(humanize(blockId)),
        optional: false,
        dispatch_action: false,
        element,
      });
    }
  }
  return blocks;
}

export interface ViewSubmissionOptions {
  /** Default `escalate_modal`. */
  callbackId?: string;
  /** A string is used as is; anything else is JSON-encoded (as our code would have stored it). */
  privateMetadata?: unknown;
  /** Simple input map (see `SimpleStateValues`). Also regenerates `view.blocks` unless `blocks` is given. */
  values?: SimpleStateValues;
  /** Who submitted. */
  user?: string;
  userName?: string;
  viewId?: string;
  title?: string;
  blocks?: unknown[];
  externalId?: string;
  triggerId?: string;
  /** `response_urls` (only when the modal has a `response_url_enabled` conversation select). */
  responseUrls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
}

/** `view_submission`: the escalate modal submitted. */
export function viewSubmission(opts: ViewSubmissionOptions = {}): ViewSubmitAction {
  const base = loadSlackFixture<ViewSubmitAction & Record<string, unknown>>('view_submission_escalate');
  const user = opts.user ?? base.user.id;
  const view = base.view;
  const viewId = opts.viewId ?? view.id;
  const state: ViewStateValues = opts.values ? toStateValues(opts.values) : view.state.values;
  const privateMetadata =
    opts.privateMetadata === undefined
      ? view.private_metadata
      : typeof opts.privateMetadata === 'string'
        ? opts.privateMetadata
        : JSON.stringify(opts.privateMetadata);
  return {
    ...base,
    user: userObject(user, opts.userName ?? (opts.user ? undefined : base.user.name)),
    trigger_id: opts.triggerId ?? newTriggerId(),
    view: {
      ...view,
      id: viewId,
      blocks: (opts.blocks ?? (opts.values ? inputBlocksFor(state) : view.blocks)) as typeof view.blocks,
      private_metadata: privateMetadata,
      callback_id: opts.callbackId ?? view.callback_id,
      state: { values: state },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: opts.title ? plainText(opts.title) : view.title,
      root_view_id: viewId,
      external_id: opts.externalId ?? view.external_id ?? '',
    },
    response_urls: opts.responseUrls ?? [],
  };
}
