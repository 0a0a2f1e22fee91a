import type { KnownBlock } from '@slack/types';
import { CSAT_SCORES } from '../../src/app/record-csat.js';
import type { CsatPrompt } from '../../src/ports/chat-port.js';
import { ACTION_PREFIX } from './render-block-kit.js';

/**
 * CSAT buttons: `escalator:csat_1` … `escalator:csat_5` (Slack wants action ids unique within a
 * block), each with the value `<escalationId>:<score>`. The handler reads the score from the value.
 */
export const CSAT_ACTION = `${ACTION_PREFIX}csat`;
export const CSAT_ACTION_PATTERN = new RegExp(`^${ACTION_PREFIX}csat(_\\d+)?$`);

const FACES: Record<number, string> = { 1: '😞', 2: '🙁', 3: '😐', 4: '🙂', 5: '😄' };

/** "How did we do with escalation #N?" with five rating buttons, posted into the customer's thread. */
export function csatPromptMessage(prompt: CsatPrompt): { text: string; blocks: KnownBlock[] } {
  const question = `How did we do with escalation #${prompt.number}?`;
  return {
    text: `${question} Rate it from 1 (poor) to 5 (great).`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*${question}*\nRate it from 1 (poor) to 5 (great).` },
      },
      {
        type: 'actions',
        block_id: 'escalator_csat',
        elements: CSAT_SCORES.map((score) => ({
          type: 'button' as const,
          action_id: `${CSAT_ACTION}_${score}`,
          text: { type: 'plain_text' as const, text: `${FACES[score]} ${score}`, emoji: true },
          value: `${prompt.escalationId}:${score}`,
        })),
      },
    ],
  };
}

/** Reads a button value `<escalationId>:<score>`; the score is NaN when it is not a number. */
export function parseCsatValue(value: string | undefined): { escalationId: string; score: number } {
  const raw = value ?? '';
  const cut = raw.lastIndexOf(':');
  if (cut < 0) return { escalationId: raw, score: Number.NaN };
  const score = raw.slice(cut + 1);
  return { escalationId: raw.slice(0, cut), score: /^-?\d+$/.test(score) ? Number(score) : Number.NaN };
}
