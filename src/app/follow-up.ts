import type { Escalation } from '../domain/escalation.js';
import type { Issue } from '../domain/issue.js';
import type { Policy } from '../domain/policy.js';
import { oneLine, truncate } from '../domain/text.js';
import { mention } from '../domain/transitions.js';
import type { Repositories } from '../ports/store.js';

/** How many of the customer's words the resolver sees when the thread comes back to life. */
const FIRST_WORDS = 25;

/**
 * The line under the resolution note asking the frontline agent to close the loop with the
 * customer: the agent who escalated, or the staff member who last answered in the thread.
 */
export async function confirmWithCustomerLine(tx: Repositories, resolved: Escalation): Promise<string> {
  const agent = await frontlineAgentOf(tx, resolved);
  const who = agent ? `${mention(agent)}, please` : 'Frontline, please';
  return `👉 ${who} confirm with the customer that this fixed it.`;
}

/**
 * After a resolution (inside its transaction): the CSAT prompt goes into the original thread,
 * behind the resolution note (same order key, so it never arrives before the note).
 */
export async function askForCsat(
  tx: Repositories,
  policy: Policy,
  resolved: Escalation,
  issue: Issue,
  at: Date,
): Promise<void> {
  if (!policy.followUp.csat) return;
  await tx.outbox.add(
    issue.id,
    {
      kind: 'csat_prompt',
      thread: { channel: issue.channel, threadId: issue.threadId },
      escalationId: resolved.id,
      number: resolved.number,
    },
    at,
  );
}

/**
 * A customer wrote in a resolved thread (inside the transaction that tracks the message). Within
 * `followUp.reopenWithinMs` of the resolution the last resolver hears it on their card's thread;
 * after that the issue just reopens. Both ends are measured on Escalator's clock (`now`), the one
 * that stamped the resolution. Returns true when a note was queued.
 */
export async function tellResolverOfReopen(
  tx: Repositories,
  policy: Policy,
  issue: Issue,
  text: string,
  now: Date,
): Promise<boolean> {
  if (
    !issue.lastResolvedAt ||
    now.getTime() - issue.lastResolvedAt.getTime() > policy.followUp.reopenWithinMs
  ) {
    return false;
  }
  const resolved = (await tx.escalations.listForIssue(issue.id))
    .filter((e) => e.status === 'resolved' && e.resolvedAt && e.resolvedBy)
    .sort((a, b) => a.resolvedAt!.getTime() - b.resolvedAt!.getTime())
    .at(-1);
  if (!resolved) return false;
  const note = threadNoteOfReopen(resolved, issue, text);
  // On the resolved card's thread, where the resolver looks; a card-less level (webhook only) has
  // none, so the note goes into the customer's thread instead.
  const thread =
    resolved.cardChannel && resolved.cardMessageId
      ? { channel: resolved.cardChannel, threadId: resolved.cardMessageId }
      : { channel: issue.channel, threadId: issue.threadId };
  await tx.outbox.add(issue.id, { kind: 'thread_note', thread, text: note }, now);
  return true;
}

export function threadNoteOfReopen(resolved: Escalation, issue: Issue, text: string): string {
  return `${mention(resolved.resolvedBy)} the customer wrote again in issue #${issue.number} after you resolved escalation #${resolved.number}: ${firstWords(text)}`;
}

function firstWords(text: string): string {
  const words = oneLine(text).split(' ');
  const start = words.slice(0, FIRST_WORDS).join(' ');
  return truncate(words.length > FIRST_WORDS ? `${start}…` : start, 300);
}

/** Whoever brought the thread up the ladder: the creator of the first escalation in the chain. */
async function frontlineAgentOf(tx: Repositories, escalation: Escalation): Promise<string | null> {
  let root = escalation;
  for (let hops = 0; root.parentId && hops < 50; hops += 1) {
    const parent = await tx.escalations.get(root.parentId);
    if (!parent) break;
    root = parent;
  }
  if (isPerson(root.createdBy)) return root.createdBy;
  // Escalated by a trigger: the staff member who last answered the customer in the thread.
  const messages = await tx.messages.listForIssue(escalation.issueId);
  const answered = messages
    .filter((m) => m.authorRole === 'staff' && !m.deletedAt && m.authorId !== escalation.resolvedBy)
    .at(-1);
  return answered?.authorId ?? null;
}

function isPerson(id: string | null): id is string {
  return !!id && !id.startsWith('system:');
}
