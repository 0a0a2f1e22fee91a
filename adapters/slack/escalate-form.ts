import type { View } from '@slack/types';
import { namesOf } from '../../src/app/directory.js';
import { listEscalatableThreads, listThreadChoices, type ThreadChoice } from '../../src/app/find-threads.js';
import { suggestBeforeEscalating } from '../../src/app/knowledge/find-similar-past.js';
import type { Issue } from '../../src/domain/issue.js';
import type { SimilarPast } from '../../src/domain/knowledge.js';
import type { SlackHandlerDeps } from './handlers/deps.js';
import { escalateModal } from './modals.js';
import { suggestionBlocks } from './suggestion-blocks.js';

/**
 * How long the search for similar past escalations may take before the form opens without them:
 * Slack's `trigger_id` is valid for 3 s, and reading the thread may have used half of that already.
 */
const SUGGESTIONS_BUDGET_MS = 1_000;

/** The threads the form offers: the channel's open ones, with `issue` first when it is not among them (a re-escalation). */
export async function formThreads(
  { ctx }: SlackHandlerDeps,
  channel: string,
  issue?: Issue,
): Promise<ThreadChoice[]> {
  const threads = await listEscalatableThreads(ctx, channel);
  if (!issue || threads.some((t) => t.issue.id === issue.id)) return threads;
  const [choice] = await listThreadChoices(ctx, [issue]);
  return [choice!, ...threads];
}

/**
 * The similar past escalations to show for `issue`, or none when the search fails or is too slow
 * for the form to open in time (the agent can still escalate; that is what they came for).
 */
export async function suggestionsForForm(
  { ctx, log }: SlackHandlerDeps,
  issue: Pick<Issue, 'id'>,
  said?: string,
): Promise<SimilarPast[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), SUGGESTIONS_BUDGET_MS);
  });
  try {
    const found = await Promise.race([suggestBeforeEscalating(ctx, issue, said), late]);
    if (found !== 'late') return found;
    log.warn({ issue: issue.id }, 'similar past escalations took too long; the form opens without them');
    return [];
  } catch (error) {
    log.error(
      { issue: issue.id, error: (error as Error).message },
      'could not look for similar past escalations',
    );
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/** The escalate modal for `channel`, with `issue` picked and its suggestions under it. */
export async function escalateFormView(
  deps: SlackHandlerDeps,
  form: {
    channel: string;
    threads: ThreadChoice[];
    issue?: Issue;
    reason?: string;
    suggestions: SimilarPast[];
  },
): Promise<View> {
  const { ctx } = deps;
  const { channel, issue } = form;
  const defaultPath =
    ctx.policy.supportChannels.find((c) => c.channel === channel)?.path ?? issue?.path ?? '';
  const names = await namesOf(
    ctx,
    form.suggestions.map((s) => s.resolvedBy),
  );
  return escalateModal({
    policy: ctx.policy,
    channel,
    threads: form.threads,
    preselectedIssueId: issue?.id,
    defaultPath,
    reason: form.reason,
    suggestions: issue
      ? suggestionBlocks(form.suggestions, {
          issueId: issue.id,
          issueNumber: issue.number,
          now: ctx.clock.now(),
          names,
          workspaceUrl: deps.workspaceUrl,
        })
      : [],
  });
}
