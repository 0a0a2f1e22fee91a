import type { KnownBlock } from '@slack/types';
import type { SimilarPast } from '../../src/domain/knowledge.js';
import { ROOT_CAUSE_LABELS } from '../../src/domain/policy.js';
import { formatAge, truncate } from '../../src/domain/text.js';
import { mention } from '../../src/domain/transitions.js';
import { threadUrl } from '../shared/thread-url.js';
import { solvedValue } from './knowledge-values.js';
import { escapeMrkdwn, mrkdwnLink } from './mrkdwn.js';
import { ACTION_PREFIX } from './render-block-kit.js';
import { slackMentions } from './slack-ids.js';

/** "This solved it", in the escalate modal and in the answer to a mention. */
export const SOLVED_ACTION = `${ACTION_PREFIX}solved`;
/** Block ids of the suggestions: `escalator_suggestion_0`, `_1`, … (the intro is `escalator_suggestions`). */
export const SUGGESTION_BLOCK = 'escalator_suggestion_';

/** Section text is limited to 3000 characters; the head line (number, cause, resolver, link) needs far less. */
const SECTION_MAX = 3000;
const FIX_MAX = 2500;

export interface SuggestionView {
  /** The thread the agent is about to escalate. */
  issueId: string;
  issueNumber: number;
  now: Date;
  /** Names of people on other platforms (a Teams resolver is shown by name). */
  names: Map<string, string>;
  workspaceUrl?: string;
}

/**
 * "Before you escalate": an intro, then one section per similar past escalation with its fix in
 * full (the agent needs all of it to apply it; a card shows only a line) and a "This solved it" button.
 */
export function suggestionBlocks(suggestions: readonly SimilarPast[], view: SuggestionView): KnownBlock[] {
  if (suggestions.length === 0) return [];
  return [
    {
      type: 'section',
      block_id: 'escalator_suggestions',
      text: {
        type: 'mrkdwn',
        text: `*Before you escalate issue #${view.issueNumber}:* ${suggestions.length === 1 ? 'this resolved escalation looks' : 'these resolved escalations look'} like this thread. If one solves it, press *This solved it*: the thread is closed without escalating.`,
      },
    },
    ...suggestions.map(
      (s, i): KnownBlock => ({
        type: 'section',
        block_id: `${SUGGESTION_BLOCK}${i}`,
        text: { type: 'mrkdwn', text: truncate(suggestionText(s, view), SECTION_MAX) },
        accessory: {
          type: 'button',
          action_id: SOLVED_ACTION,
          text: { type: 'plain_text', text: 'This solved it', emoji: true },
          value: solvedValue({ entryId: s.entryId, issueId: view.issueId }),
        },
      }),
    ),
  ];
}

/**
 * `*#12* · Knowledge gap · resolved by @bob 3d ago · Open thread`, then the fix: the same facts as
 * the card's line (`similarPastLine`), with the fix escaped, since it was typed into a form.
 */
export function suggestionText(
  s: SimilarPast,
  view: Pick<SuggestionView, 'now' | 'names' | 'workspaceUrl'>,
): string {
  const kind = s.isAnswer ? '📘 Answer' : ROOT_CAUSE_LABELS[s.rootCause];
  const by = slackMentions(mention(s.resolvedBy), view.names);
  const link = mrkdwnLink(
    threadUrl({ channel: s.channel, threadId: s.threadId }, view.workspaceUrl),
    'Open thread',
  );
  const head = [
    `*#${s.escalationNumber}*`,
    kind,
    `resolved by ${by} ${formatAge(s.resolvedAt, view.now)}`,
    link,
  ]
    .filter(Boolean)
    .join(' · ');
  return `${head}\n${escapeMrkdwn(truncate(s.text.trim(), FIX_MAX))}`;
}
