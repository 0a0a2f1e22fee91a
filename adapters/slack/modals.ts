import type { KnownBlock, View } from '@slack/types';
import type { ThreadChoice } from '../../src/app/find-threads.js';
import { definedPriorities, type Policy, ROOT_CAUSE_LABELS, ROOT_CAUSES } from '../../src/domain/policy.js';
import { truncate } from '../../src/domain/text.js';

/** Callback ids of our modals and the block ids inside them (the view_submission handlers read these). */
export const MODALS = {
  escalate: 'escalator_escalate',
  resolve: 'escalator_resolve',
  bounce: 'escalator_bounce',
  dismiss: 'escalator_dismiss',
  /** A modal that only says something (the outcome of "This solved it"); nothing to submit. */
  notice: 'escalator_notice',
} as const;

export const FIELD = {
  thread: 'thread',
  path: 'path',
  priority: 'priority',
  reason: 'reason',
  why: 'why',
  note: 'note',
  rootCause: 'root_cause',
  answer: 'answer',
} as const;
/** Every input uses one action id; the block id says which field it is. */
export const VALUE = 'value';

const plain = (text: string) => ({ type: 'plain_text' as const, text: truncate(text, 75), emoji: true });
const option = (text: string, value: string) => ({ text: plain(text), value });

export interface EscalateModalInput {
  policy: Policy;
  channel: string;
  threads: ThreadChoice[];
  preselectedIssueId?: string;
  defaultPath: string;
  reason?: string;
  /** "Before you escalate" blocks for the chosen thread (`suggestionBlocks`); none when nothing is similar. */
  suggestions?: KnownBlock[];
}

/**
 * The `/escalate` modal: pick the thread, path, priority, reason and why. Picking a thread tells
 * Escalator (`dispatch_action`), which puts that thread's similar past escalations under it; with
 * suggestions shown, the submit button says "Escalate anyway".
 */
export function escalateModal(input: EscalateModalInput): View {
  const threadOptions = input.threads.map((t) => option(`#${t.issue.number} · ${t.preview}`, t.issue.id));
  const preselected = threadOptions.find((o) => o.value === input.preselectedIssueId);
  const pathOptions = Object.values(input.policy.paths).map((p) => option(`${p.name} (${p.type})`, p.name));
  const priorityOptions = definedPriorities(input.policy).map((p) => option(p, p));
  const whyOptions = ROOT_CAUSES.map((c) => option(ROOT_CAUSE_LABELS[c], c));
  const suggestions = input.suggestions ?? [];
  return {
    type: 'modal',
    callback_id: MODALS.escalate,
    private_metadata: JSON.stringify({ channel: input.channel }),
    title: plain('Escalate thread'),
    submit: plain(suggestions.length > 0 ? 'Escalate anyway' : 'Escalate'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: FIELD.thread,
        dispatch_action: true,
        label: plain('Thread'),
        element: {
          type: 'static_select',
          action_id: VALUE,
          placeholder: plain('Pick the customer thread'),
          options: threadOptions.slice(0, 100),
          ...(preselected ? { initial_option: preselected } : {}),
        },
      },
      ...suggestions,
      {
        type: 'input',
        block_id: FIELD.path,
        label: plain('Escalate to'),
        element: {
          type: 'static_select',
          action_id: VALUE,
          options: pathOptions,
          ...(pathOptions.find((o) => o.value === input.defaultPath)
            ? { initial_option: pathOptions.find((o) => o.value === input.defaultPath) }
            : {}),
        },
      },
      {
        type: 'input',
        block_id: FIELD.priority,
        label: plain('Priority'),
        element: {
          type: 'static_select',
          action_id: VALUE,
          options: priorityOptions,
          initial_option:
            priorityOptions.find((o) => o.value === input.policy.defaultPriority) ?? priorityOptions[0],
        },
      },
      {
        type: 'input',
        block_id: FIELD.reason,
        label: plain('Reason'),
        hint: plain('What the specialist needs to know first'),
        element: {
          type: 'plain_text_input',
          action_id: VALUE,
          multiline: true,
          max_length: 2000,
          ...(input.reason ? { initial_value: input.reason } : {}),
        },
      },
      {
        type: 'input',
        block_id: FIELD.why,
        label: plain('Why escalate'),
        element: { type: 'static_select', action_id: VALUE, options: whyOptions },
      },
    ],
  };
}

/**
 * Resolve: a note for the frontline, the root cause for the digest and, optionally, a reusable
 * answer: the next agent with a similar thread is shown it first, before they escalate.
 */
export function resolveModal(escalationId: string, number: number): View {
  return {
    type: 'modal',
    callback_id: MODALS.resolve,
    private_metadata: JSON.stringify({ escalationId }),
    title: plain(`Resolve #${number}`),
    submit: plain('Resolve'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: FIELD.note,
        label: plain('What fixed it'),
        hint: plain('Posted in the original thread so the agent can tell the customer'),
        element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 2000 },
      },
      {
        type: 'input',
        block_id: FIELD.rootCause,
        label: plain('Root cause'),
        element: {
          type: 'static_select',
          action_id: VALUE,
          options: ROOT_CAUSES.map((c) => option(ROOT_CAUSE_LABELS[c], c)),
        },
      },
      {
        type: 'input',
        block_id: FIELD.answer,
        optional: true,
        label: plain('Reusable answer for the frontline (for knowledge gaps)'),
        hint: plain('Shown first to the next agent with this problem, before they escalate'),
        element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 2000 },
      },
    ],
  };
}

/** A modal that only tells something (no submit button): what "This solved it" did, or why it did not. */
export function noticeModal(title: string, text: string): View {
  return {
    type: 'modal',
    callback_id: MODALS.notice,
    title: plain(truncate(title, 24)),
    close: plain('Done'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }],
  };
}

/** Bounce back: the reason goes to the level below (or the frontline agent). */
export function bounceModal(escalationId: string, number: number): View {
  return {
    type: 'modal',
    callback_id: MODALS.bounce,
    private_metadata: JSON.stringify({ escalationId }),
    title: plain(`Bounce back #${number}`),
    submit: plain('Bounce back'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: FIELD.reason,
        label: plain('Why it goes back'),
        hint: plain('What the level below should do or check first'),
        element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 2000 },
      },
    ],
  };
}

/** Reads one field of a submitted view: a select's value or a text input's value. */
export function fieldValue(
  values: Record<
    string,
    Record<string, { value?: string | null; selected_option?: { value: string } | null }>
  >,
  block: string,
): string | undefined {
  const input = values[block]?.[VALUE];
  return input?.selected_option?.value ?? input?.value ?? undefined;
}

/** "Not an escalation": an optional reason, recorded against the trigger that fired. */
export function dismissModal(escalationId: string, number: number): View {
  return {
    type: 'modal',
    callback_id: MODALS.dismiss,
    private_metadata: JSON.stringify({ escalationId }),
    title: plain(`Not an escalation #${number}`),
    submit: plain('Close card'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: FIELD.reason,
        optional: true,
        label: plain('Why not (optional)'),
        hint: plain('Helps tune the trigger, e.g. "quoting someone else"'),
        element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 1000 },
      },
    ],
  };
}
