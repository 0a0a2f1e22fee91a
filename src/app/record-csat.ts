import { EscalatorError } from '../domain/errors.js';
import type { ChangeSource } from '../domain/escalation.js';
import { mention } from '../domain/transitions.js';
import type { CsatResponse } from '../ports/store.js';
import type { AppContext } from './context.js';
import { renderCard } from './render-card.js';

export const CSAT_SCORES = [1, 2, 3, 4, 5] as const;

export interface CsatAnswer {
  escalationId: string;
  /** What the button carried; anything but a whole number from 1 to 5 is refused. */
  score: number;
  respondent: string;
  source: ChangeSource;
}

export interface CsatOutcome {
  /** `already_rated`: someone answered first; nothing changed. */
  outcome: 'recorded' | 'already_rated';
  escalationNumber: number;
  /** The answer that counts (the stored one). */
  answer: { score: number; respondent: string };
  /** What the prompt says once answered: "Thanks, <@…> rated 4/5 for escalation #12." */
  thanks: string;
  /** For `already_rated`: what the person who clicked is told. */
  message?: string;
}

/**
 * Stores a click on a CSAT prompt: one answer per escalation, the first one counts. The card of
 * the escalation is updated (it shows the rating) in the same transaction. A second click, by
 * anyone, changes nothing and is told who already rated it.
 */
export async function recordCsat(ctx: AppContext, input: CsatAnswer): Promise<CsatOutcome> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) {
    throw new EscalatorError('invalid_input', 'A rating is a whole number from 1 (poor) to 5 (great).');
  }
  const result = await ctx.store.transaction(async (tx) => {
    const escalation = await tx.escalations.get(input.escalationId);
    if (!escalation) throw new EscalatorError('escalation_not_found', 'That escalation no longer exists.');
    if (escalation.status !== 'resolved') {
      throw new EscalatorError(
        'illegal_transition',
        `Escalation #${escalation.number} is not resolved, so there is nothing to rate yet.`,
      );
    }
    const at = ctx.clock.now();
    const response: CsatResponse = {
      id: `csat_${escalation.id}`,
      escalationId: escalation.id,
      issueId: escalation.issueId,
      score: input.score,
      respondent: input.respondent,
      at,
    };
    const recorded = await tx.csat.record(response);
    const stored = recorded ? response : await tx.csat.forEscalation(escalation.id);
    if (!stored) throw new Error(`CSAT answer of ${escalation.id} vanished`);
    if (recorded) {
      const issue = await tx.issues.get(escalation.issueId);
      if (issue) {
        const card = await renderCard(tx, escalation, issue, ctx.policy);
        const channel = escalation.pathSnapshot.levels[escalation.level]?.channel;
        await tx.outbox.add(
          issue.id,
          { kind: 'update_card', escalationId: escalation.id, card, channel },
          at,
        );
      }
    }
    return { recorded, number: escalation.number, stored };
  });
  if (result.recorded) ctx.outboxChanged();
  const answer = { score: result.stored.score, respondent: result.stored.respondent };
  const thanks = csatThanks(result.number, answer);
  if (result.recorded) return { outcome: 'recorded', escalationNumber: result.number, answer, thanks };
  return {
    outcome: 'already_rated',
    escalationNumber: result.number,
    answer,
    thanks,
    message: `Escalation #${result.number} was already rated ${answer.score}/5 by ${mention(answer.respondent)}; only the first answer counts.`,
  };
}

export function csatThanks(number: number, answer: { score: number; respondent: string }): string {
  return `🙏 Thanks, ${mention(answer.respondent)} rated ${answer.score}/5 for escalation #${number}.`;
}
