import type { Issue } from '../../domain/issue.js';
import { rankSimilarPast, type SimilarPast } from '../../domain/knowledge.js';
import type { Policy } from '../../domain/policy.js';
import type { Repositories } from '../../ports/store.js';
import type { AppContext } from '../context.js';

/**
 * How many past resolutions one search reads, newest first. Beyond this the oldest are not compared:
 * a search runs while an agent waits for the escalation form, and recent fixes matter most.
 */
export const CANDIDATES_READ = 2_000;

/**
 * The resolved escalations most like an issue's thread: its customer messages and, when given, what
 * the agent says about it (the reason they are about to escalate with). Empty when nothing in the
 * policy's look-back is similar enough.
 */
export async function findSimilarPast(
  repos: Pick<Repositories, 'knowledge' | 'messages'>,
  policy: Pick<Policy, 'knowledge'>,
  issue: Pick<Issue, 'id'>,
  now: Date,
  said?: string,
): Promise<SimilarPast[]> {
  const { similarity, withinMs, suggestions } = policy.knowledge;
  if (suggestions === 0) return [];
  const text = [...(await customerWords(repos, issue.id)), said ?? ''].join('\n');
  if (!text.trim()) return [];
  const since = new Date(now.getTime() - withinMs);
  const entries = await repos.knowledge.listResolvedSince(since, CANDIDATES_READ);
  return rankSimilarPast(text, entries, { similarity, max: suggestions }, issue.id);
}

/** What the customer wrote (not deleted), oldest first: the problem in their words. */
async function customerWords(repos: Pick<Repositories, 'messages'>, issueId: string): Promise<string[]> {
  const messages = await repos.messages.listForIssue(issueId);
  return messages.filter((m) => m.authorRole === 'customer' && !m.deletedAt).map((m) => m.text);
}

/**
 * "Before you escalate": what to show an agent who opens the escalation form (or mentions Escalator)
 * for an issue, with what they said so far. Read outside any transaction.
 */
export function suggestBeforeEscalating(
  ctx: Pick<AppContext, 'store' | 'policy' | 'clock'>,
  issue: Pick<Issue, 'id'>,
  said?: string,
): Promise<SimilarPast[]> {
  return findSimilarPast(ctx.store, ctx.policy, issue, ctx.clock.now(), said);
}

/**
 * "Before you escalate" for `@Escalator escalate <reason>`: the past fixes to offer instead of
 * escalating at once, or none when the mention should go ahead straight away: no reason or an
 * unknown path (escalating explains what to fix), already escalated (escalating says where), or
 * nothing similar enough. `search` is how the adapter looks (Slack bounds it by a time budget).
 */
export async function pastFixesForMention(
  ctx: Pick<AppContext, 'store' | 'policy' | 'clock'>,
  issue: Pick<Issue, 'id'>,
  request: { reason: string; path?: string },
  search: (issue: Pick<Issue, 'id'>, said: string) => Promise<SimilarPast[]> = (i, said) =>
    suggestBeforeEscalating(ctx, i, said),
): Promise<SimilarPast[]> {
  if (!request.reason.trim()) return [];
  if (request.path !== undefined && !Object.hasOwn(ctx.policy.paths, request.path)) return [];
  if (await ctx.store.escalations.findActiveForIssue(issue.id)) return [];
  return search(issue, request.reason);
}
