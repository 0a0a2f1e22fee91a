import { escalateIssue } from '../../src/app/escalate-issue.js';
import { closeAsSolved } from '../../src/app/knowledge/close-as-solved.js';
import { similarPastLine } from '../../src/domain/build-escalation-card.js';
import { isEscalatorError } from '../../src/domain/errors.js';
import type { SimilarPast } from '../../src/domain/knowledge.js';
import type { Priority } from '../../src/domain/policy.js';
import type { LocalMessage, StoredCard } from '../../src/ports/local-workspace.js';
import { BadRequest } from './http/json-io.js';
import { personaOf } from './personas.js';
import type { Workspace } from './workspace.js';

/** The escalation an agent asked for with `@Escalator escalate …`, held while they read the suggestions. */
export interface PendingEscalation {
  issueId: string;
  reason: string;
  path?: string;
  priority?: Priority;
  /** The past escalations offered, in the order shown. */
  offered: Array<{ entryId: string; escalationNumber: number }>;
}

/**
 * The suggestions as the agent's private card. The pending escalation rides on the stored card
 * (the workspace keeps cards as JSON), as a Slack button carries its value: "Escalate anyway"
 * needs nothing the agent would have to type again.
 */
export type SuggestionsCard = StoredCard & { beforeEscalating: PendingEscalation };

export function isSuggestionsCard(card: StoredCard | null): card is SuggestionsCard {
  return card !== null && typeof (card as Partial<SuggestionsCard>).beforeEscalating === 'object';
}

/** "Before you escalate": the similar past escalations, with what the agent asked for kept on the card. */
export function suggestionsCard(
  similar: readonly SimilarPast[],
  pending: Omit<PendingEscalation, 'offered'>,
  now: Date,
): SuggestionsCard {
  const count = `${similar.length} similar past escalation${similar.length === 1 ? '' : 's'}`;
  const asked = [pending.path ? `to ${pending.path}` : '', pending.priority ?? '', pending.reason]
    .filter((p) => p !== '')
    .join(' ');
  return {
    fallback: `Before you escalate: ${count}. Nothing is escalated yet.`,
    title: 'Before you escalate: similar past escalations',
    status: `Nothing is escalated yet. If one of these fixes it, choose *This solved it*; otherwise *Escalate anyway*.`,
    fields: [],
    sections: similar.map((s) => ({
      heading: `Escalation #${s.escalationNumber}`,
      text: similarPastLine(s, now),
    })),
    actions: [],
    links: similar.map((s) => ({
      label: `Past #${s.escalationNumber}`,
      thread: { channel: s.channel, threadId: s.threadId },
    })),
    context: [`You asked: @Escalator escalate ${asked}`],
    beforeEscalating: {
      ...pending,
      offered: similar.map((s) => ({ entryId: s.entryId, escalationNumber: s.escalationNumber })),
    },
  };
}

/** What the agent chose on the suggestions card. */
export interface SuggestionChoice {
  /** The suggestions card (a private reply) the choice was made on. */
  messageId: string;
  personId: string;
  choice: 'solved' | 'escalate_anyway';
  /** With `solved`: the past escalation that solved it, by its knowledge entry. */
  entryId?: string;
}

/**
 * "This solved it" (the thread is closed without an escalation, the earlier fix credited) or
 * "Escalate anyway" (escalated as the agent asked). A second click on either is answered, not
 * done twice: the card's id is the event key.
 */
export async function chooseSuggestion(
  ws: Workspace,
  request: SuggestionChoice,
): Promise<{ done: boolean; reply: string }> {
  const message = await ws.messages.get(request.messageId);
  if (message?.kind !== 'ephemeral' || !isSuggestionsCard(message.card)) {
    throw new BadRequest(
      `There are no suggestions "${request.messageId}": give the id of the private reply to @Escalator escalate.`,
      404,
    );
  }
  if (message.visibleTo !== request.personId) {
    const who = personaOf(message.visibleTo ?? '')?.name ?? 'the agent who asked';
    throw new BadRequest(`Only ${who} sees these suggestions, so only they can choose.`, 403);
  }
  const pending = message.card.beforeEscalating;
  const who = { actor: request.personId, source: 'local' as const };
  try {
    if (request.choice === 'solved') return await solved(ws, message, pending, request);
    const escalation = await escalateIssue(ws.ctx, {
      issueId: pending.issueId,
      reason: pending.reason,
      path: pending.path,
      priority: pending.priority,
      ...who,
      eventKey: `local:escalate-anyway:${message.id}`,
    });
    const level = escalation.pathSnapshot.levels[0];
    const where = level?.channel ? ` The card is in <#${level.channel}|${level.name}>.` : '';
    return {
      done: true,
      reply: await ws.readable(
        `Escalated to ${level?.name ?? escalation.path} as #${escalation.number} (${escalation.priority}).${where}`,
      ),
    };
  } catch (error) {
    if (!isEscalatorError(error)) throw error;
    return { done: false, reply: await ws.readable(error.message) };
  }
}

async function solved(
  ws: Workspace,
  message: LocalMessage,
  pending: PendingEscalation,
  request: SuggestionChoice,
): Promise<{ done: boolean; reply: string }> {
  const offered = pending.offered.find((o) => o.entryId === request.entryId);
  if (!offered) {
    const numbers = pending.offered.map((o) => `#${o.escalationNumber}`).join(', ');
    throw new BadRequest(`entryId must name one of the past escalations offered (${numbers}).`);
  }
  const { issue } = await closeAsSolved(ws.ctx, {
    issueId: pending.issueId,
    entryId: offered.entryId,
    actor: request.personId,
    source: 'local',
    eventKey: `local:solved:${message.id}`,
  });
  return {
    done: true,
    reply: `Closed issue #${issue.number} without escalating: the fix from escalation #${offered.escalationNumber} solved it. The thread says so.`,
  };
}
