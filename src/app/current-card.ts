import type { Card } from '../domain/card.js';
import { EscalatorError } from '../domain/errors.js';
import type { AppContext } from './context.js';
import { renderCard } from './render-card.js';

/** The card of an escalation as it stands now (Teams returns it from a button click). */
export async function currentCard(ctx: AppContext, escalationId: string): Promise<Card> {
  const escalation = await ctx.store.escalations.get(escalationId);
  if (!escalation) throw new EscalatorError('escalation_not_found', 'That escalation no longer exists.');
  const issue = await ctx.store.issues.get(escalation.issueId);
  if (!issue) throw new EscalatorError('issue_not_found', 'The thread of this escalation is gone.');
  return renderCard(ctx.store, escalation, issue, ctx.policy);
}
