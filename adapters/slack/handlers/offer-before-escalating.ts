import type { WebClient } from '@slack/web-api';
import { namesOf } from '../../../src/app/directory.js';
import { pastFixesForMention } from '../../../src/app/knowledge/find-similar-past.js';
import { tellUser } from '../../../src/app/tell-user.js';
import type { Issue } from '../../../src/domain/issue.js';
import type { ChatCommand } from '../../shared/parse-escalate-command.js';
import { beforeEscalatingMessage } from '../before-escalating-message.js';
import { suggestionsForForm } from '../escalate-form.js';
import { toSlack } from '../slack-ids.js';
import type { SlackHandlerDeps } from './deps.js';
import { escalateFromThread } from './escalate-from-thread.js';

/** The key "Escalate anyway" escalates with: one escalation per mention, however often it is clicked. */
export const anywayKey = (eventId: string) => `slack:anyway:${eventId}`;

/**
 * "Before you escalate", for `@escalator escalate <reason>`: when resolved escalations look like
 * the thread, the agent privately gets them (with "This solved it") and "Escalate anyway", and
 * nothing is escalated yet. Returns false when there is nothing to offer (or the escalation would be
 * refused anyway: no reason, an unknown path, already escalated), so the mention escalates at once.
 */
export async function offerBeforeEscalating(
  deps: SlackHandlerDeps,
  client: WebClient,
  offer: {
    issue: Issue;
    channel: string;
    user: string;
    threadTs: string;
    command: ChatCommand;
    eventId: string;
  },
): Promise<boolean> {
  const { ctx, log } = deps;
  const { issue, command } = offer;
  const suggestions = await pastFixesForMention(ctx, issue, command, (i, said) =>
    suggestionsForForm(deps, i, said),
  );
  if (suggestions.length === 0) return false;

  // Slack retries an event it thinks went unanswered (same event_id): offer once. The mention's own
  // escalation key is taken too, so a retry that finds no suggestions later does not escalate.
  if (!(await ctx.store.processedEvents.remember(`slack:mention:${offer.eventId}`, ctx.clock.now())))
    return true;
  const message = beforeEscalatingMessage({
    issue,
    suggestions,
    anyway: {
      issueId: issue.id,
      eventId: offer.eventId,
      reason: command.reason,
      ...(command.path ? { path: command.path } : {}),
      ...(command.priority ? { priority: command.priority } : {}),
    },
    now: ctx.clock.now(),
    names: await namesOf(
      ctx,
      suggestions.map((s) => s.resolvedBy),
    ),
    workspaceUrl: deps.workspaceUrl,
  });
  try {
    // A message with buttons only this agent sees; the outbox's ephemerals are text only, and this
    // answers the agent now or not at all (a late offer would hold up an escalation they asked for).
    await client.chat.postEphemeral({
      channel: toSlack(offer.channel),
      user: toSlack(offer.user),
      thread_ts: offer.threadTs,
      text: message.text,
      blocks: message.blocks,
    });
  } catch (error) {
    log.warn(
      { issue: issue.id, error: (error as Error).message },
      'could not show similar past escalations; escalating as asked',
    );
    const reply = await escalateFromThread(ctx, issue, {
      actor: offer.user,
      reason: command.reason,
      path: command.path,
      priority: command.priority,
      eventKey: anywayKey(offer.eventId),
    });
    if (reply)
      await tellUser(ctx, { channel: offer.channel, userId: offer.user, threadId: offer.threadTs }, reply);
  }
  return true;
}
