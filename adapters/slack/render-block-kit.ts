import type { KnownBlock } from '@slack/types';
import type { Card } from '../../src/domain/card.js';
import { truncate } from '../../src/domain/text.js';
import { threadUrl } from '../shared/thread-url.js';
import { slackMentions } from './slack-ids.js';

/** Block Kit limits that nothing validates for us; we cut on purpose and say so. */
export const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  contextElements: 10,
  fallbackText: 3000,
} as const;

export const ACTION_PREFIX = 'escalator:';

/** Renders the neutral card as Block Kit within Slack's limits. */
export function renderBlockKit(
  card: Card,
  workspaceUrl?: string,
  names: Map<string, string> = new Map(),
): { text: string; blocks: KnownBlock[] } {
  const mrkdwn = (text: string, max: number) => ({
    type: 'mrkdwn' as const,
    text: truncate(slackMentions(text, names), max, '… (cut to fit Slack)'),
  });
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(card.title, LIMITS.headerText), emoji: true },
    },
    { type: 'section', text: mrkdwn(card.status, LIMITS.sectionText) },
  ];
  if (card.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: card.fields
        .slice(0, LIMITS.fields)
        .map((f) => mrkdwn(`*${f.label}*\n${f.value}`, LIMITS.fieldText)),
    });
  }
  for (const section of card.sections) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`*${section.heading}*\n${section.text}`, LIMITS.sectionText),
    });
  }
  const buttons = [
    ...card.actions.map((a) => ({
      type: 'button' as const,
      action_id: `${ACTION_PREFIX}${a.id}`,
      text: { type: 'plain_text' as const, text: truncate(a.label, LIMITS.buttonText) },
      value: a.escalationId,
      ...(a.style ? { style: a.style } : {}),
    })),
    // The whole thread, in a modal (handlers/conversation-actions.ts).
    ...(card.conversation
      ? [
          {
            type: 'button' as const,
            action_id: `${ACTION_PREFIX}view_conversation`,
            text: { type: 'plain_text' as const, text: truncate(card.conversation.label, LIMITS.buttonText) },
            value: card.conversation.escalationId,
          },
        ]
      : []),
    ...card.links.map((l, i) => ({
      type: 'button' as const,
      action_id: `${ACTION_PREFIX}open_thread_${i}`,
      text: { type: 'plain_text' as const, text: truncate(l.label, LIMITS.buttonText) },
      url: threadUrl(l.thread, workspaceUrl),
    })),
  ];
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'escalator_actions', elements: buttons });
  if (card.context.length > 0) {
    blocks.push({
      type: 'context',
      elements: card.context.slice(0, LIMITS.contextElements).map((c) => mrkdwn(c, LIMITS.sectionText)),
    });
  }
  return {
    text: truncate(slackMentions(card.fallback, names), LIMITS.fallbackText),
    blocks: capBlocks(blocks),
  };
}

/** Keeps the actions block (the buttons people need) when a card would pass 50 blocks. */
function capBlocks(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= LIMITS.blocks) return blocks;
  const tail = blocks.slice(-2);
  const head = blocks.slice(0, LIMITS.blocks - 3);
  const note: KnownBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: '_Some sections were left out to fit Slack._' }],
  };
  return [...head, note, ...tail];
}
