import { newId } from '../domain/ids.js';
import type { Issue } from '../domain/issue.js';
import { oneLine, truncate } from '../domain/text.js';
import { detectContentTriggers, similarityTo } from '../domain/triggers/index.js';
import type { Repositories } from '../ports/store.js';
import type { AppContext } from './context.js';

/** How many recent customer messages give the sentiment trend. */
const TREND_WINDOW = 10;
/** Upper bound on threads compared for a systemic problem (the window keeps it small anyway). */
const SYSTEMIC_CANDIDATES = 500;

/**
 * Reads a customer message for content triggers and records what it finds as pending hits, in
 * the same transaction as the message. The checker's next tick escalates them.
 */
export async function detectTriggers(
  ctx: AppContext,
  tx: Repositories,
  input: {
    issue: Issue;
    authorId: string;
    authorTeamId?: string;
    text: string;
    at: Date;
    firstCustomerMessage: boolean;
    /** The issue was created for this message, in this transaction. */
    openedIssue?: boolean;
  },
): Promise<void> {
  const { issue, authorId, text, at } = input;
  const triggers = ctx.policy.triggers;
  // A thread opened by this very message has no earlier messages: nothing to read.
  const recent = input.openedIssue
    ? [text]
    : await tx.messages.listRecentCustomerTexts(issue.id, TREND_WINDOW + 1);
  const hits = detectContentTriggers(
    {
      text,
      authorId,
      authorTeamId: input.authorTeamId,
      authorEmail: await tx.people.email(authorId),
      recentCustomerTexts: recent.slice(0, -1), // the last one is this message
    },
    triggers,
  );
  for (const hit of hits) {
    await tx.triggers.addHit({
      id: newId('evt', at),
      issueId: issue.id,
      kind: hit.kind,
      evidence: { summary: hit.summary, details: hit.details },
      matched: hit.matched,
      createdAt: at,
    });
  }
  if (triggers.systemic && input.firstCustomerMessage) await detectSystemic(ctx, tx, input);
}

/**
 * N similar new threads from different customers inside the window: likely one problem (an
 * outage). Records a hit listing the whole cluster; the checker opens one escalation for it, or
 * adds the thread to the systemic escalation already open.
 */
async function detectSystemic(
  ctx: AppContext,
  tx: Repositories,
  input: { issue: Issue; authorId: string; text: string; at: Date },
): Promise<void> {
  const rule = ctx.policy.triggers.systemic!;
  const since = new Date(input.at.getTime() - rule.withinMs);
  const openings = await tx.issues.listRecentOpenings(since, SYSTEMIC_CANDIDATES);
  const similarity = similarityTo(input.text);
  const similar = openings.filter(
    (o) =>
      o.issue.id !== input.issue.id &&
      o.issue.customerId !== null &&
      o.issue.customerId !== input.authorId &&
      o.firstText &&
      similarity(o.firstText, o.issue.id) >= rule.similarity,
  );
  if (similar.length === 0) return;
  const customers = new Set([input.authorId, ...similar.map((o) => o.issue.customerId)]);
  const joinable = await tx.triggers.findActiveSystemicFor(similar.map((o) => o.issue.id));
  if (customers.size < rule.minThreads && !joinable) return;
  const minutes = Math.round(rule.withinMs / 60_000);
  await tx.triggers.addHit({
    id: newId('evt', input.at),
    issueId: input.issue.id,
    kind: 'systemic',
    evidence: {
      summary: `${customers.size} customers report a similar problem within ${minutes >= 60 ? `${minutes / 60}h` : `${minutes}m`}`,
      details: similar.slice(0, 10).map((o) => `#${o.issue.number}: ${truncate(oneLine(o.firstText), 120)}`),
      cluster: [input.issue.id, ...similar.map((o) => o.issue.id)],
    },
    matched: [truncate(oneLine(input.text), 200)],
    createdAt: input.at,
  });
}
