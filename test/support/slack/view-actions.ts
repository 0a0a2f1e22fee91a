/**
 * `block_actions` payloads from places `blockAction` (payloads.ts) does not cover: a button or
 * select inside an open modal, and a button in an ephemeral message. Real shapes, per Slack's
 * block_actions reference: a modal's click carries `container: { type: 'view', view_id }` and the
 * whole `view` (with its `hash` and the inputs' current `state`) and no channel, message or
 * `response_url`; an ephemeral message's click carries `container.is_ephemeral: true`, the channel
 * and a `response_url`, but not the message (Slack keeps no copy of ephemerals).
 */
import type { BlockAction, BlockElementAction } from '@slack/bolt';
import {
  blockAction,
  loadSlackFixture,
  newTriggerId,
  type SimpleStateValues,
  slackTs,
  toStateValues,
} from './payloads.js';

interface BlockLike {
  block_id?: string;
  elements?: Array<Record<string, unknown>>;
  accessory?: Record<string, unknown>;
  element?: Record<string, unknown>;
}

/** The element with `actionId` in `blockId` (an actions block's elements, a section's accessory, an input's element). */
function elementIn(
  blocks: unknown[],
  blockId: string,
  actionId: string,
): Record<string, unknown> | undefined {
  const block = (blocks as BlockLike[]).find((b) => b.block_id === blockId);
  if (!block) return undefined;
  return [...(block.elements ?? []), block.accessory, block.element].find(
    (e): e is Record<string, unknown> => !!e && e.action_id === actionId,
  );
}

export interface ViewActionOptions {
  /** The modal as the person's Slack shows it (as the fake stores it: `fake.view(id)`). */
  view: Record<string, unknown>;
  user: string;
  blockId: string;
  actionId: string;
  /** For a `static_select`: the option picked (must be one of the select's options). */
  selected?: string;
  /** What the inputs hold at the moment of the click (simple form, as for `viewSubmission`). */
  values?: SimpleStateValues;
  /** Reuse to repeat a click (Slack retrying it): same trigger_id, same action_ts. */
  triggerId?: string;
  actionTs?: string;
}

/** A click on a button, or a pick in a `dispatch_action` select, inside an open modal. */
export function viewBlockAction(opts: ViewActionOptions): BlockAction<BlockElementAction> {
  const base = loadSlackFixture<BlockAction<BlockElementAction> & Record<string, unknown>>(
    'block_actions_claim',
  );
  const blocks = (opts.view.blocks as unknown[]) ?? [];
  const element = elementIn(blocks, opts.blockId, opts.actionId);
  if (!element) throw new Error(`the modal has no ${opts.actionId} in block ${opts.blockId}`);
  const type = String(element.type);
  const action: Record<string, unknown> = {
    type,
    block_id: opts.blockId,
    action_id: opts.actionId,
    action_ts: opts.actionTs ?? slackTs(),
  };
  if (type === 'button') {
    action.text = element.text;
    if (element.value !== undefined) action.value = element.value;
    if (element.style) action.style = element.style;
  } else if (type === 'static_select') {
    const options = (element.options as Array<{ value: string }> | undefined) ?? [];
    const picked = options.find((o) => o.value === opts.selected);
    if (!picked) throw new Error(`the select ${opts.blockId} has no option ${opts.selected}`);
    action.selected_option = picked;
    if (element.placeholder) action.placeholder = element.placeholder;
  } else {
    throw new Error(`viewBlockAction does not know ${type} elements`);
  }
  const { channel: _c, message: _m, response_url: _r, state: _s, ...rest } = base;
  return {
    ...rest,
    user: {
      id: opts.user,
      username: opts.user.toLowerCase(),
      name: opts.user.toLowerCase(),
      team_id: 'T0HOME',
    },
    container: { type: 'view', view_id: String(opts.view.id) },
    trigger_id: opts.triggerId ?? newTriggerId(),
    view: { ...opts.view, state: { values: opts.values ? toStateValues(opts.values) : {} } },
    actions: [action as unknown as BlockElementAction],
  } as unknown as BlockAction<BlockElementAction>;
}

export interface EphemeralActionOptions {
  /** The ephemeral as it was posted (`chat.postEphemeral` args: its blocks). */
  blocks: unknown[];
  channel: string;
  user: string;
  /** The thread the ephemeral was shown in. */
  threadTs?: string;
  blockId: string;
  actionId: string;
  responseUrl: string;
  triggerId?: string;
}

/** A click on a button in an ephemeral message (only the person it was for sees it, and can click it). */
export function ephemeralBlockAction(opts: EphemeralActionOptions): BlockAction<BlockElementAction> {
  const element = elementIn(opts.blocks, opts.blockId, opts.actionId);
  if (!element) throw new Error(`the message has no ${opts.actionId} in block ${opts.blockId}`);
  // Ephemerals get a ts of their own that Slack never stores.
  const messageTs = slackTs();
  const payload = blockAction({
    actionId: opts.actionId,
    blockId: opts.blockId,
    channel: opts.channel,
    user: opts.user,
    message: { ts: messageTs, type: 'message', blocks: opts.blocks },
    responseUrl: opts.responseUrl,
    ...(opts.triggerId ? { triggerId: opts.triggerId } : {}),
  }) as BlockAction<BlockElementAction> & { message?: unknown };
  const { message: _m, ...rest } = payload;
  return {
    ...rest,
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: opts.channel,
      is_ephemeral: true,
      ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    },
  } as BlockAction<BlockElementAction>;
}
