import { buildEscalationCard } from '../domain/build-escalation-card.js';
import type { Card } from '../domain/card.js';
import type { Escalation } from '../domain/escalation.js';
import type { Issue } from '../domain/issue.js';
import type { Policy } from '../domain/policy.js';
import type { Repositories } from '../ports/store.js';

/**
 * What a card needs from the policy: its timezone, and the product names the thread summary picks
 * out. A bare timezone (older callers) renders the summary without product facts.
 */
export type CardPolicy = string | Pick<Policy, 'timezone' | 'products'>;

/** Builds the current card of an escalation from what the database holds now. */
export async function renderCard(
  tx: Repositories,
  escalation: Escalation,
  issue: Issue,
  policy: CardPolicy,
): Promise<Card> {
  const { timeZone, products } =
    typeof policy === 'string'
      ? { timeZone: policy, products: [] }
      : { timeZone: policy.timezone, products: policy.products };
  const messages = (await tx.messages.listForIssue(issue.id)).filter((m) => !m.deletedAt);
  const history = (await tx.escalations.listForIssue(issue.id)).filter(
    (e) => e.id !== escalation.id && e.createdAt <= escalation.createdAt,
  );
  const clusterThreads = await clusterOf(tx, escalation, issue);
  const csat = await tx.csat.forEscalation(escalation.id);
  const earlier = escalation.reescalationOf ? await tx.escalations.get(escalation.reescalationOf) : undefined;
  return buildEscalationCard({
    escalation,
    issue,
    messages,
    history,
    timeZone,
    products,
    clusterThreads,
    csat: csat && { score: csat.score, respondent: csat.respondent },
    reescalationOf: earlier && { number: earlier.number, status: earlier.status },
  });
}

/** The other threads a systemic escalation stands for, with the customer's first words. */
async function clusterOf(tx: Repositories, escalation: Escalation, issue: Issue) {
  if (escalation.trigger !== 'systemic') return [];
  const members = (await tx.triggers.listSystemicMembers(escalation.id)).filter((id) => id !== issue.id);
  const threads = [];
  for (const id of members) {
    const member = await tx.issues.get(id);
    if (!member) continue;
    const first = await tx.messages.firstCustomerText(id);
    threads.push({
      number: member.number,
      channel: member.channel,
      threadId: member.threadId,
      preview: first ?? '',
    });
  }
  return threads;
}
