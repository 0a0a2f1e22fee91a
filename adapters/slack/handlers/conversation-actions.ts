import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { tellUser } from '../../../src/app/tell-user.js';
import { readTranscript } from '../../../src/app/transcript.js';
import { isEscalatorError } from '../../../src/domain/errors.js';
import { noticeModal } from '../modals.js';
import { replies } from '../replies.js';
import { toCore } from '../slack-ids.js';
import {
  CONVERSATION_ACTION,
  parseTranscriptPageValue,
  TRANSCRIPT_PAGE_ACTION,
  transcriptModal,
} from '../transcript-modal.js';
import { updateView } from '../update-view.js';
import type { SlackHandlerDeps } from './deps.js';

/**
 * "View conversation" on a card opens the escalation's whole thread in a modal, first page first
 * (from what Escalator stored, so it works for a thread on another platform too); "Older" and
 * "Newer" turn its pages in place.
 */
export function registerConversationActions(app: App, deps: SlackHandlerDeps): void {
  const { ctx, log } = deps;
  const settings = () => ({ timeZone: ctx.policy.timezone, workspaceUrl: deps.workspaceUrl });

  app.action<BlockAction<ButtonAction>>(CONVERSATION_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    try {
      const page = await readTranscript(ctx, { escalationId: action.value ?? '' });
      // trigger_id is valid for 3 s: the page is read from the database, which takes milliseconds.
      await client.views.open({ trigger_id: body.trigger_id, view: transcriptModal(page, settings()) });
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      const channel = body.channel?.id ?? (body.container as { channel_id?: string }).channel_id;
      if (!channel) return;
      await tellUser(
        ctx,
        { channel: toCore(channel), userId: toCore(body.user.id) },
        replies.fromCore(error.message),
      );
    }
  });

  app.action<BlockAction<ButtonAction>>(TRANSCRIPT_PAGE_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const target = parseTranscriptPageValue(action.value);
    if (!target || !body.view) return;
    try {
      const page = await readTranscript(ctx, target);
      await updateView(client, body.view, transcriptModal(page, settings()), log);
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      await updateView(client, body.view, noticeModal('Conversation', replies.fromCore(error.message)), log);
    }
  });
}
