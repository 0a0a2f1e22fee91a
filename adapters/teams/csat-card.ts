import { CSAT_SCORES } from '../../src/app/record-csat.js';
import type { CsatPrompt } from '../../src/ports/chat-port.js';
import type { AdaptiveCard } from './render-adaptive-card.js';
import { teamsMarkdown } from './render-adaptive-card.js';

/** The `Action.Execute` verb of the rating buttons; `data` is `{ escalationId, score }`. */
export const CSAT_VERB = 'csat';

const FACES: Record<number, string> = { 1: '😞', 2: '🙁', 3: '😐', 4: '🙂', 5: '😄' };

/** "How did we do with escalation #N?" with five rating buttons (Teams shows at most five). */
export function csatPromptCard(prompt: CsatPrompt, banner?: string): AdaptiveCard {
  const question = `How did we do with escalation #${prompt.number}?`;
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    fallbackText: `${question} Rate it from 1 (poor) to 5 (great).`,
    body: [
      ...bannerBlock(banner),
      { type: 'TextBlock', text: question, weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: 'Rate it from 1 (poor) to 5 (great).', isSubtle: true, wrap: true },
    ],
    actions: CSAT_SCORES.map((score) => ({
      type: 'Action.Execute',
      verb: CSAT_VERB,
      title: `${FACES[score]} ${score}`,
      data: { escalationId: prompt.escalationId, score },
    })),
  };
}

/** The prompt once answered: the thanks, no buttons (and why a later click changed nothing). */
export function csatAnsweredCard(thanks: string | undefined, banner?: string): AdaptiveCard {
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    fallbackText: thanks ?? banner ?? '',
    body: [
      ...bannerBlock(banner),
      ...(thanks ? [{ type: 'TextBlock', text: teamsMarkdown(thanks), wrap: true }] : []),
    ],
  };
}

function bannerBlock(banner: string | undefined): unknown[] {
  return banner
    ? [{ type: 'TextBlock', text: `⚠️ ${banner}`, wrap: true, color: 'Attention', weight: 'Bolder' }]
    : [];
}
