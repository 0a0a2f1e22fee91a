import type { KnownBlock } from '@slack/types';
import type { Issue } from '../../src/domain/issue.js';
import type { SimilarPast } from '../../src/domain/knowledge.js';
import { type EscalateAnywayRequest, escalateAnywayValue } from './knowledge-values.js';
import { ACTION_PREFIX } from './render-block-kit.js';
import { suggestionBlocks } from './suggestion-blocks.js';

export const ESCALATE_ANYWAY_ACTION = `${ACTION_PREFIX}escalate_anyway`;

/**
 * The private answer to `@escalator escalate …` when similar past escalations exist: the
 * suggestions with "This solved it", and "Escalate anyway", which escalates as the mention asked.
 */
export function beforeEscalatingMessage(input: {
  issue: Pick<Issue, 'id' | 'number'>;
  suggestions: readonly SimilarPast[];
  anyway: EscalateAnywayRequest;
  now: Date;
  names: Map<string, string>;
  workspaceUrl?: string;
}): { text: string; blocks: KnownBlock[] } {
  const { issue, suggestions } = input;
  const anyway = escalateAnywayValue(input.anyway);
  const numbers = suggestions.map((s) => `#${s.escalationNumber}`).join(', ');
  return {
    text: `Before you escalate issue #${issue.number}: similar past escalations (${numbers}) may already have the fix. Nothing is escalated until you choose.`,
    blocks: [
      ...suggestionBlocks(suggestions, {
        issueId: issue.id,
        issueNumber: issue.number,
        now: input.now,
        names: input.names,
        workspaceUrl: input.workspaceUrl,
      }),
      {
        type: 'actions',
        block_id: 'escalator_before_escalating',
        elements: [
          {
            type: 'button',
            action_id: ESCALATE_ANYWAY_ACTION,
            text: { type: 'plain_text', text: 'Escalate anyway', emoji: true },
            value: anyway.value,
          },
        ],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: anyway.cut
              ? 'Nothing is escalated until you choose. Your reason is too long for Slack to carry: the card will show it cut; add the rest in the thread.'
              : 'Nothing is escalated until you choose.',
          },
        ],
      },
    ],
  };
}
