import { findThread } from '../../../src/app/find-threads.js';
import { tellUser } from '../../../src/app/tell-user.js';
import { withdrawEscalation } from '../../../src/app/withdraw-escalation.js';
import { isEscalatorError } from '../../../src/domain/errors.js';
import { parseWithdrawCommand } from '../../shared/parse-withdraw-command.js';
import { replies } from '../replies.js';
import type { SlackHandlerDeps } from './deps.js';

const OUTSIDE_THREAD =
  'Mention me inside the thread you escalated to take it back: `@escalator withdraw <why>`.';

/** True when an `@escalator …` mention asks to withdraw (the bot's leading mention is skipped). */
export function isWithdrawMention(text: string): boolean {
  return parseWithdrawCommand(withoutBotMention(text)) !== undefined;
}

/**
 * `@escalator withdraw [why]` in the escalated thread: the agent who escalated takes it back while
 * it is unclaimed. The thread note shows it worked; refusals come back privately, in the thread.
 */
export async function withdrawFromThread(
  { ctx }: SlackHandlerDeps,
  request: { channel: string; user: string; threadTs?: string; text: string },
): Promise<void> {
  const to = { channel: request.channel, userId: request.user, threadId: request.threadTs };
  if (!request.threadTs) return tellUser(ctx, to, OUTSIDE_THREAD);
  const lookup = await findThread(ctx, request.channel, request.threadTs);
  if (!lookup.found) return tellUser(ctx, to, replies.lookup(lookup, ctx.policy));
  try {
    await withdrawEscalation(ctx, {
      issueId: lookup.issue.id,
      actor: request.user,
      source: 'slack',
      reason: parseWithdrawCommand(withoutBotMention(request.text))?.reason,
    });
  } catch (error) {
    if (!isEscalatorError(error)) throw error;
    await tellUser(ctx, to, replies.fromCore(error.message));
  }
}

function withoutBotMention(text: string): string {
  return text.replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>/, '');
}
