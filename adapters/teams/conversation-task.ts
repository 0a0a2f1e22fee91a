import { CardFactory, type TaskModuleResponse } from 'botbuilder';
import type { AppContext } from '../../src/app/context.js';
import { namesOf } from '../../src/app/directory.js';
import { readTranscript } from '../../src/app/transcript.js';
import { isEscalatorError } from '../../src/domain/errors.js';
import { mentionedIds } from '../shared/people.js';
import { CONVERSATION_VIEW } from './render-adaptive-card.js';
import { transcriptCard } from './transcript-card.js';

/** What a task-module button sent: the card's "View conversation" or a page button inside the dialog. */
export interface ConversationRequest {
  escalationId: string;
  page: number;
}

/** The conversation request in a `task/fetch` or `task/submit`'s data, if that is what it asks for. */
export function conversationRequestOf(data: unknown): ConversationRequest | undefined {
  const d = (data ?? {}) as { view?: unknown; escalationId?: unknown; page?: unknown };
  if (d.view !== CONVERSATION_VIEW || typeof d.escalationId !== 'string') return undefined;
  const page = Number(d.page ?? 0);
  return { escalationId: d.escalationId, page: Number.isInteger(page) ? page : 0 };
}

/**
 * The task module that shows one page of an escalation's whole thread (a page past either end shows
 * that end). An escalation that no longer exists is answered with a message saying so.
 */
export async function conversationTask(
  ctx: AppContext,
  request: ConversationRequest,
): Promise<TaskModuleResponse> {
  try {
    const page = await readTranscript(ctx, { escalationId: request.escalationId, page: request.page });
    const names = await namesOf(
      ctx,
      page.lines.flatMap((l) => mentionedIds(l.text)),
    );
    const card = transcriptCard(page, { names, timeZone: ctx.policy.timezone });
    return {
      task: {
        type: 'continue',
        value: {
          title: `Escalation #${page.escalationNumber}: conversation`,
          height: 'large',
          width: 'large',
          card: CardFactory.adaptiveCard(card),
        },
      },
    };
  } catch (error) {
    if (!isEscalatorError(error)) throw error;
    return taskMessage(error.message);
  }
}

export function taskMessage(text: string): TaskModuleResponse {
  return { task: { type: 'message', value: text } };
}
