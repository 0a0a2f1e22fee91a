import type { Escalation } from '../domain/escalation.js';
import type { Issue } from '../domain/issue.js';
import { findSupportChannel } from '../domain/policy.js';
import { oneLine } from '../domain/text.js';
import type { AppContext } from './context.js';

export interface ThreadChoice {
  issue: Issue;
  /** The customer's first words, to recognise the thread in a picker. */
  preview: string;
}

/** Open, not yet escalated threads of a support channel, newest first (for the `/escalate` picker). */
export async function listEscalatableThreads(
  ctx: AppContext,
  channel: string,
  limit = 100,
): Promise<ThreadChoice[]> {
  return listThreadChoices(ctx, await ctx.store.issues.listOpenInChannel(channel, limit));
}

/** Issues with the preview text a picker shows. */
export function listThreadChoices(ctx: AppContext, issues: Issue[]): Promise<ThreadChoice[]> {
  return Promise.all(
    // One indexed row per thread: the picker must open within Slack's 3-second trigger window.
    issues.map(async (issue) => {
      const first = await ctx.store.messages.firstCustomerText(issue.id);
      return { issue, preview: oneLine(first ?? '(no customer message yet)') };
    }),
  );
}

export type ThreadLookup =
  | { found: true; issue: Issue }
  | { found: false; why: 'not_a_support_channel' | 'untracked' };

/** The tracked issue of a thread, or why there is none, so adapters can say what to do instead. */
export async function findThread(ctx: AppContext, channel: string, threadId: string): Promise<ThreadLookup> {
  if (!findSupportChannel(ctx.policy, channel)) return { found: false, why: 'not_a_support_channel' };
  const issue = await ctx.store.issues.findByThread(channel, threadId);
  return issue ? { found: true, issue } : { found: false, why: 'untracked' };
}

/** An escalation as it stands now (for checks before opening a form). */
export function getEscalation(ctx: AppContext, id: string): Promise<Escalation | undefined> {
  return ctx.store.escalations.get(id);
}

/** The open or claimed escalation of an issue, to tell an agent it is already being handled. */
export function findActiveEscalation(ctx: AppContext, issueId: string): Promise<Escalation | undefined> {
  return ctx.store.escalations.findActiveForIssue(issueId);
}
