import { buildEscalationCard } from '../domain/build-escalation-card.js';
import type { Card } from '../domain/card.js';
import type { Escalation } from '../domain/escalation.js';
import type { Issue } from '../domain/issue.js';
import type { Repositories } from '../ports/store.js';

/** Builds the current card of an escalation from what the database holds now. */
export async function renderCard(
  tx: Repositories,
  escalation: Escalation,
  issue: Issue,
  timeZone: string,
): Promise<Card> {
  const messages = (await tx.messages.listForIssue(issue.id)).filter((m) => !m.deletedAt);
  const history = (await tx.escalations.listForIssue(issue.id)).filter(
    (e) => e.id !== escalation.id && e.createdAt <= escalation.createdAt,
  );
  return buildEscalationCard({ escalation, issue, messages, history, timeZone });
}
