import type { SimilarPast } from '../../src/domain/knowledge.js';
import { ROOT_CAUSE_LABELS } from '../../src/domain/policy.js';
import { formatAge, truncate } from '../../src/domain/text.js';
import { mentionedIds } from '../shared/people.js';
import { type AdaptiveCard, teamsText } from './render-adaptive-card.js';
import { teamsThreadLink } from './thread-link.js';

/** `Action.Execute` verbs of the card a mention gets when past fixes are offered first. */
export const SOLVED_VERB = 'solved_it';
export const ESCALATE_ANYWAY_VERB = 'escalate_anyway';

/** Characters of a past fix a suggestion shows: three of them stay far below Teams' card size limit. */
const FIX_TEXT_CHARS = 600;
/** A reason travels in the "Escalate anyway" button's data; a chat message this long is not a reason. */
const REASON_CHARS = 2000;

/** What a "before you escalate" view shows: the suggestions, who they name, and the time now (for ages). */
export interface SuggestionsView {
  suggestions: readonly SimilarPast[];
  /** Names of the resolvers and of anyone the fixes mention. */
  names: Map<string, string>;
  now: Date;
}

/** What the agent asked for with `@Escalator escalate …`, kept on the card for "Escalate anyway". */
export interface EscalateRequestData {
  issueId: string;
  reason: string;
  path?: string;
  priority?: string;
}

/** The people whose names a set of suggestions shows. */
export function suggestionPeople(suggestions: readonly SimilarPast[]): string[] {
  return suggestions.flatMap((s) => [s.resolvedBy, ...mentionedIds(s.text)]);
}

/**
 * One past resolution as a Container: `#N`, the root cause (or "Answer" when the resolver wrote a
 * reusable answer), who resolved it and when, the fix, a link to that thread where Teams can open
 * it, and the "This solved it" button (`solved`, which differs between the form and the card).
 */
export function suggestionContainer(
  s: SimilarPast,
  view: SuggestionsView,
  solved: Record<string, unknown>,
): Record<string, unknown> {
  const kind = s.isAnswer ? '📘 Answer' : ROOT_CAUSE_LABELS[s.rootCause];
  const resolver = truncate(view.names.get(s.resolvedBy) ?? 'someone', 100);
  const link = teamsThreadLink(s);
  return {
    type: 'Container',
    separator: true,
    items: [
      { type: 'TextBlock', text: `**#${s.escalationNumber}** · ${kind}`, wrap: true },
      {
        type: 'TextBlock',
        text: `Resolved by ${resolver} ${formatAge(s.resolvedAt, view.now)}${link ? ` · [Open thread](${link})` : ''}`,
        isSubtle: true,
        size: 'Small',
        spacing: 'None',
        wrap: true,
      },
      { type: 'TextBlock', text: teamsText(s.text, view.names, FIX_TEXT_CHARS), wrap: true },
      { type: 'ActionSet', actions: [solved] },
    ],
  };
}

/** The line above the suggestions: what they are and what the buttons do (`who`: the agent, by name). */
export function suggestionsIntro(count: number, who?: string): string {
  const these = count === 1 ? 'a similar escalation was' : `${count} similar escalations were`;
  const said = `${these} solved before. If one fixes it, choose "This solved it": the thread is closed without escalating.`;
  return who ? `${who}: ${said}` : said.charAt(0).toUpperCase() + said.slice(1);
}

/**
 * What `@Escalator escalate <reason>` answers in the thread when past fixes look alike: the
 * suggestions, each with "This solved it", and "Escalate anyway" with the agent's request.
 */
export function beforeEscalatingCard(
  view: SuggestionsView,
  request: EscalateRequestData,
  options: { issueNumber: number; agentName?: string; banner?: string },
): AdaptiveCard {
  const kept: EscalateRequestData = {
    issueId: request.issueId,
    reason: truncate(request.reason, REASON_CHARS),
    ...(request.path ? { path: request.path } : {}),
    ...(request.priority ? { priority: request.priority } : {}),
  };
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    fallbackText: `Before you escalate issue #${options.issueNumber}: similar escalations were solved before.`,
    body: [
      ...bannerBlock(options.banner),
      {
        type: 'TextBlock',
        text: `Before you escalate issue #${options.issueNumber}`,
        size: 'Medium',
        weight: 'Bolder',
        wrap: true,
      },
      {
        type: 'TextBlock',
        text: suggestionsIntro(view.suggestions.length, options.agentName),
        wrap: true,
      },
      ...view.suggestions.map((s) =>
        suggestionContainer(s, view, {
          type: 'Action.Execute',
          verb: SOLVED_VERB,
          title: 'This solved it',
          // The request rides along, so a refused click can show the choices again.
          data: { entryId: s.entryId, ...kept },
        }),
      ),
    ],
    actions: [{ type: 'Action.Execute', verb: ESCALATE_ANYWAY_VERB, title: 'Escalate anyway', data: kept }],
  };
}

/** The card once the agent chose: what happened (or why not), and no buttons left. */
export function outcomeCard(text: string | undefined, warning?: string): AdaptiveCard {
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    fallbackText: text ?? warning ?? '',
    body: [
      ...bannerBlock(warning),
      ...(text ? [{ type: 'TextBlock', text: truncate(text, 1000), wrap: true }] : []),
    ],
  };
}

function bannerBlock(banner: string | undefined): unknown[] {
  return banner
    ? [
        {
          type: 'TextBlock',
          text: `⚠️ ${truncate(banner, 500)}`,
          wrap: true,
          color: 'Attention',
          weight: 'Bolder',
        },
      ]
    : [];
}
