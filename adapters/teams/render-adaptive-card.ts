import type { Card, CardAction } from '../../src/domain/card.js';
import { ROOT_CAUSE_LABELS, ROOT_CAUSES } from '../../src/domain/policy.js';
import { truncate } from '../../src/domain/text.js';
import { renderChannels } from '../shared/channels.js';
import { renderPeople } from '../shared/people.js';
import { threadUrl } from '../shared/thread-url.js';

/** Keeps cards far below Teams' ~100 KB message limit (and under our 28 KB budget). */
export const LIMITS = { sectionText: 3000, fieldValue: 1000, title: 200, sections: 20, facts: 12 } as const;

export type AdaptiveCard = Record<string, unknown> & {
  type: 'AdaptiveCard';
  body: unknown[];
  actions?: unknown[];
};

/** Inputs of the inline Resolve and Bounce back forms; the invoke carries them in `action.data`. */
export const INPUT = {
  note: 'note',
  rootCause: 'rootCause',
  reason: 'reason',
  dismissReason: 'dismissReason',
  /** The optional reusable answer for the frontline, written when resolving (meant for knowledge gaps). */
  answer: 'answer',
} as const;

/** What a task-module button asks for in its `data.view`: the escalation's whole thread. */
export const CONVERSATION_VIEW = 'conversation';

/**
 * The data of a button that opens the escalation's conversation as a task module: Teams turns an
 * `Action.Submit` whose data says `msteams.type: 'task/fetch'` into a `task/fetch` invoke.
 */
export function conversationButtonData(escalationId: string, page?: number): Record<string, unknown> {
  return {
    msteams: { type: 'task/fetch' },
    escalationId,
    view: CONVERSATION_VIEW,
    ...(page !== undefined ? { page } : {}),
  };
}

/** Core text as a TextBlock shows it: channels and people by name, Teams markdown, cut to `max`. */
export function teamsText(value: string, names: Map<string, string>, max: number): string {
  return truncate(
    teamsMarkdown(
      renderPeople(
        renderChannels(value, () => undefined),
        names,
        () => undefined,
      ),
    ),
    max,
  );
}

/**
 * Renders the neutral card as an Adaptive Card 1.5. Buttons are `Action.Execute` (verb = neutral
 * action id, data = the escalation id) so clicks arrive as `adaptiveCard/action` invokes; Resolve
 * and Bounce back open their form inline with `Action.ShowCard`.
 */
export function renderAdaptiveCard(
  card: Card,
  names: Map<string, string> = new Map(),
  options: {
    banner?: string;
    slackWorkspaceUrl?: string;
    /** The card's chart, already drawn: shown as an image (a data URI, so Teams fetches nothing). */
    chartPng?: Uint8Array;
  } = {},
): AdaptiveCard {
  const text = (value: string, max: number) => teamsText(value, names, max);
  const body: unknown[] = [];
  if (options.banner) {
    body.push({
      type: 'TextBlock',
      text: text(options.banner, 500),
      wrap: true,
      color: 'Attention',
      weight: 'Bolder',
    });
  }
  body.push(
    { type: 'TextBlock', text: text(card.title, LIMITS.title), size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: text(card.status, 500), wrap: true, spacing: 'Small' },
  );
  if (card.fields.length > 0) {
    body.push({
      type: 'FactSet',
      facts: card.fields
        .slice(0, LIMITS.facts)
        .map((f) => ({ title: f.label, value: text(f.value, LIMITS.fieldValue) })),
    });
  }
  if (card.chart && options.chartPng) {
    body.push({
      type: 'Image',
      url: `data:image/png;base64,${Buffer.from(options.chartPng).toString('base64')}`,
      altText: text(card.chart.title, 200),
      size: 'Stretch',
    });
  }
  for (const section of card.sections.slice(0, LIMITS.sections)) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        { type: 'TextBlock', text: text(section.heading, 200), weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: text(section.text, LIMITS.sectionText), wrap: true },
      ],
    });
  }
  // Links go in the body: Teams shows at most five buttons, and those are for acting.
  if (card.links.length > 0) {
    const links = card.links
      .map((l) => `[${l.label}](${threadUrl(l.thread, options.slackWorkspaceUrl)})`)
      .join(' · ');
    body.push({ type: 'TextBlock', text: links, wrap: true, spacing: 'Medium' });
  }
  // In the body, not with the acting buttons: every card has it (resolved ones too), and it must not
  // push an acting button past the five Teams shows.
  if (card.conversation) {
    body.push({
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.Submit',
          title: text(card.conversation.label, 75),
          data: conversationButtonData(card.conversation.escalationId),
        },
      ],
    });
  }
  if (card.context.length > 0) {
    body.push({
      type: 'TextBlock',
      text: text(card.context.join(' · '), 500),
      isSubtle: true,
      size: 'Small',
      wrap: true,
    });
  }
  const actions = card.actions.slice(0, 5).map(renderAction);
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    fallbackText: truncate(
      renderPeople(card.fallback, names, () => undefined),
      500,
    ),
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

function renderAction(action: CardAction): Record<string, unknown> {
  const data = { escalationId: action.escalationId };
  const execute = (title: string) => ({
    type: 'Action.Execute',
    verb: action.id,
    title,
    data,
    ...(action.style === 'primary' ? { style: 'positive' } : {}),
  });
  if (action.id === 'resolve') {
    return showCard(
      action.label,
      [
        {
          type: 'Input.Text',
          id: INPUT.note,
          label: 'What fixed it',
          isMultiline: true,
          maxLength: 2000,
          isRequired: true,
          errorMessage: 'Say what fixed it.',
        },
        {
          type: 'Input.ChoiceSet',
          id: INPUT.rootCause,
          label: 'Root cause',
          isRequired: true,
          errorMessage: 'Pick the root cause.',
          choices: ROOT_CAUSES.map((c) => ({ title: ROOT_CAUSE_LABELS[c], value: c })),
        },
        {
          type: 'Input.Text',
          id: INPUT.answer,
          label: 'Reusable answer for the frontline (for knowledge gaps)',
          placeholder: 'What an agent can tell the next customer with this problem',
          isMultiline: true,
          maxLength: 2000,
        },
      ],
      execute('Resolve'),
    );
  }
  if (action.id === 'bounce') {
    return showCard(
      action.label,
      [
        {
          type: 'Input.Text',
          id: INPUT.reason,
          label: 'Why it goes back',
          isMultiline: true,
          maxLength: 2000,
          isRequired: true,
          errorMessage: 'Say why it goes back.',
        },
      ],
      execute('Bounce back'),
    );
  }
  if (action.id === 'not_an_escalation') {
    return showCard(
      action.label,
      [
        {
          type: 'Input.Text',
          id: INPUT.dismissReason,
          label: 'Why not (optional)',
          isMultiline: true,
          maxLength: 1000,
        },
      ],
      execute('Close card'),
    );
  }
  return execute(action.label);
}

function showCard(title: string, inputs: unknown[], submit: unknown) {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body: inputs, actions: [submit] } };
}

/** Core text uses Slack-style `*bold*`; Adaptive Card markdown wants `**bold**`. */
export function teamsMarkdown(text: string): string {
  return text.replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1**$2**');
}
