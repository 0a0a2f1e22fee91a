import type { Issue } from '../../src/domain/issue.js';
import { definedPriorities, type Policy, ROOT_CAUSE_LABELS, ROOT_CAUSES } from '../../src/domain/policy.js';
import { truncate } from '../../src/domain/text.js';
import type { AdaptiveCard } from './render-adaptive-card.js';
import { type SuggestionsView, suggestionContainer, suggestionsIntro } from './suggestions-card.js';

/** Field ids of the escalate form; the submit action carries them in `data`. */
export const ESCALATE_FIELD = { path: 'path', priority: 'priority', reason: 'reason', why: 'why' } as const;

/**
 * The "Escalate" message action's form (a task module). Task modules submit with `Action.Submit`;
 * the thread travels in the submit data so the submit does not depend on the message again.
 * With `before` (similar past escalations), those come first, each with "This solved it", and the
 * submit reads "Escalate anyway".
 */
export function escalateForm(
  policy: Policy,
  issue: Issue,
  preview: string,
  error?: string,
  before?: SuggestionsView,
): AdaptiveCard {
  const support = policy.supportChannels.find((c) => c.channel === issue.channel);
  const suggestions = before?.suggestions ?? [];
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      ...(error
        ? [{ type: 'TextBlock', text: error, color: 'Attention', weight: 'Bolder', wrap: true }]
        : []),
      {
        type: 'TextBlock',
        text: `Escalate issue #${issue.number}`,
        size: 'Medium',
        weight: 'Bolder',
        wrap: true,
      },
      { type: 'TextBlock', text: truncate(preview, 300), isSubtle: true, wrap: true },
      ...(before && suggestions.length > 0
        ? [
            {
              type: 'TextBlock',
              text: suggestionsIntro(suggestions.length),
              weight: 'Bolder',
              spacing: 'Medium',
              wrap: true,
            },
            ...suggestions.map((s) =>
              suggestionContainer(s, before, {
                type: 'Action.Submit',
                title: 'This solved it',
                // Not the form's inputs: no reason is needed to say the problem is solved.
                associatedInputs: 'none',
                data: { solvedEntryId: s.entryId, issueId: issue.id },
              }),
            ),
          ]
        : []),
      {
        type: 'Input.ChoiceSet',
        id: ESCALATE_FIELD.path,
        label: 'Escalate to',
        isRequired: true,
        errorMessage: 'Pick where it goes.',
        value: support?.path ?? issue.path,
        choices: Object.values(policy.paths).map((p) => ({ title: `${p.name} (${p.type})`, value: p.name })),
      },
      {
        type: 'Input.ChoiceSet',
        id: ESCALATE_FIELD.priority,
        label: 'Priority',
        isRequired: true,
        errorMessage: 'Pick a priority.',
        value: policy.defaultPriority,
        choices: definedPriorities(policy).map((p) => ({ title: p, value: p })),
      },
      {
        type: 'Input.Text',
        id: ESCALATE_FIELD.reason,
        label: 'Reason',
        placeholder: 'What the specialist needs to know first',
        isMultiline: true,
        maxLength: 2000,
        isRequired: true,
        errorMessage: 'Say why: the specialist reads this first.',
      },
      {
        type: 'Input.ChoiceSet',
        id: ESCALATE_FIELD.why,
        label: 'Why escalate',
        choices: ROOT_CAUSES.map((c) => ({ title: ROOT_CAUSE_LABELS[c], value: c })),
      },
    ],
    actions: [
      {
        type: 'Action.Submit',
        title: suggestions.length > 0 ? 'Escalate anyway' : 'Escalate',
        data: { issueId: issue.id },
      },
    ],
  };
}
