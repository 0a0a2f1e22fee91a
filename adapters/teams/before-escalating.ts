import type { AppContext } from '../../src/app/context.js';
import { namesOf } from '../../src/app/directory.js';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import { findActiveEscalation } from '../../src/app/find-threads.js';
import { closeAsSolved } from '../../src/app/knowledge/close-as-solved.js';
import { pastFixesForMention, suggestBeforeEscalating } from '../../src/app/knowledge/find-similar-past.js';
import { type EscalatorError, isEscalatorError } from '../../src/domain/errors.js';
import type { Escalation } from '../../src/domain/escalation.js';
import type { Issue } from '../../src/domain/issue.js';
import type { SimilarPast } from '../../src/domain/knowledge.js';
import type { Priority } from '../../src/domain/policy.js';
import type { Logger } from '../../src/ports/logger.js';
import { mentionedIds } from '../shared/people.js';
import type { AdaptiveCard } from './render-adaptive-card.js';
import {
  beforeEscalatingCard,
  ESCALATE_ANYWAY_VERB,
  type EscalateRequestData,
  outcomeCard,
  SOLVED_VERB,
  type SuggestionsView,
  suggestionPeople,
} from './suggestions-card.js';

/** Similar past escalations of an issue (with what the agent said), ready to show. */
export async function suggestionsFor(
  ctx: AppContext,
  issue: Pick<Issue, 'id'>,
  said?: string,
): Promise<SuggestionsView> {
  return viewOf(ctx, await suggestBeforeEscalating(ctx, issue, said));
}

/** Suggestions with the names of the people they mention, ready to show. */
async function viewOf(ctx: AppContext, suggestions: SimilarPast[]): Promise<SuggestionsView> {
  const names =
    suggestions.length > 0 ? await namesOf(ctx, suggestionPeople(suggestions)) : new Map<string, string>();
  return { suggestions, names, now: ctx.clock.now() };
}

/**
 * The card `@Escalator escalate <reason>` gets instead of an escalation when past fixes look alike,
 * or undefined when it should escalate at once: nothing similar, or already escalated (escalating
 * then explains that), or no reason given (escalating then asks for one).
 */
export async function offerPastFixes(
  ctx: AppContext,
  issue: Issue,
  request: EscalateRequestData,
  agent: string,
): Promise<AdaptiveCard | undefined> {
  const suggestions = await pastFixesForMention(ctx, issue, request);
  if (suggestions.length === 0) return undefined;
  const view = await viewOf(ctx, suggestions);
  const agentName = (await namesOf(ctx, [agent])).get(agent);
  return beforeEscalatingCard(view, request, {
    issueNumber: issue.number,
    ...(agentName ? { agentName } : {}),
  });
}

/** Closes an issue with a past fix; the answer says which, in plain words. */
export async function closeWithPastFix(
  ctx: AppContext,
  request: { issueId: string; entryId: string; actor: string; eventKey?: string },
): Promise<string> {
  const { issue, entry } = await closeAsSolved(ctx, { ...request, source: 'teams' });
  return `Closed issue #${issue.number} with escalation #${entry.escalationNumber}'s fix, without escalating. The thread says so.`;
}

/**
 * A click on the card `offerPastFixes` posted: "This solved it" closes the issue with that fix,
 * "Escalate anyway" escalates as the mention asked. Either way the card becomes the outcome, with no
 * buttons left; a refusal says why (and when the choice is still open, shows the choices again).
 */
export async function answerBeforeEscalatingClick(
  ctx: AppContext,
  log: Logger,
  click: { verb: string; data: Record<string, unknown>; actor: string; activityId?: string },
): Promise<AdaptiveCard> {
  const request = requestOf(click.data);
  const plain = async (text: string) => plainMentions(text, await namesOf(ctx, mentionedIds(text)));
  try {
    if (click.verb === SOLVED_VERB) {
      const said = await closeWithPastFix(ctx, {
        issueId: request.issueId,
        entryId: String(click.data.entryId ?? ''),
        actor: click.actor,
        ...(click.activityId ? { eventKey: `teams:solved:${click.activityId}` } : {}),
      });
      return outcomeCard(`✅ ${said}`);
    }
    const escalation = await escalateIssue(ctx, {
      issueId: request.issueId,
      reason: request.reason,
      path: request.path,
      priority: request.priority as Priority | undefined,
      actor: click.actor,
      source: 'teams',
      // Teams resends an invoke it thinks went unanswered: one escalation per click.
      ...(click.activityId ? { eventKey: `teams:anyway:${click.activityId}` } : {}),
    });
    return outcomeCard(escalatedText(escalation));
  } catch (error) {
    if (!isEscalatorError(error)) throw error;
    log.info(
      { issueId: request.issueId, verb: click.verb, code: error.code },
      'before-escalating click refused',
    );
    return refusedCard(ctx, click, request, error, await plain(error.message));
  }
}

async function refusedCard(
  ctx: AppContext,
  click: { verb: string; actor: string },
  request: EscalateRequestData,
  error: EscalatorError,
  message: string,
): Promise<AdaptiveCard> {
  const active = request.issueId ? await findActiveEscalation(ctx, request.issueId) : undefined;
  // The same click again (or a second person's): show how things stand.
  if (error.code === 'duplicate' && click.verb === ESCALATE_ANYWAY_VERB && active) {
    return outcomeCard(escalatedText(active));
  }
  if (error.code === 'duplicate' && click.verb === SOLVED_VERB) {
    const issue = await ctx.store.issues.get(request.issueId);
    if (issue?.status === 'resolved') {
      return outcomeCard(`✅ Issue #${issue.number} is closed without escalating.`, message);
    }
  }
  // The fix picked is gone, nothing else happened: the agent can still pick another or escalate.
  if (error.code === 'invalid_input' && click.verb === SOLVED_VERB && !active) {
    const issue = await ctx.store.issues.get(request.issueId);
    if (issue && issue.status !== 'resolved') {
      const offered = await offerPastFixes(ctx, issue, request, click.actor);
      if (offered) return { ...offered, body: [warningBlock(message), ...offered.body] };
    }
  }
  return outcomeCard(undefined, message);
}

function escalatedText(e: Pick<Escalation, 'number' | 'path' | 'level' | 'pathSnapshot'>): string {
  const level = e.pathSnapshot.levels[e.level]?.name ?? e.path;
  return `⏫ Escalated to ${level} as #${e.number}. Updates will appear in this thread.`;
}

function requestOf(data: Record<string, unknown>): EscalateRequestData {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  return {
    issueId: text('issueId') ?? '',
    reason: text('reason') ?? '',
    ...(text('path') ? { path: text('path') } : {}),
    ...(text('priority') ? { priority: text('priority') } : {}),
  };
}

function warningBlock(text: string) {
  return { type: 'TextBlock', text: `⚠️ ${text}`, wrap: true, color: 'Attention', weight: 'Bolder' };
}

/** Mention tokens as names (task-module messages and card text are not rendered by Teams' mention code). */
export function plainMentions(text: string, names: Map<string, string>): string {
  return text.replace(/<@([^>]+)>/g, (_w, id: string) => names.get(id) ?? 'someone');
}
