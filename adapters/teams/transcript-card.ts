import type { TranscriptLine, TranscriptPage } from '../../src/app/transcript.js';
import { formatTime, truncate } from '../../src/domain/text.js';
import { type AdaptiveCard, CONVERSATION_VIEW, teamsText } from './render-adaptive-card.js';
import { teamsThreadLink } from './thread-link.js';

/** Teams refuses cards over about 28 KB; a page is cut to fit below this. */
export const TRANSCRIPT_CARD_BUDGET_BYTES = 27_000;
/** Characters of one message shown at most (fewer when a page of long messages would not fit). */
const MESSAGE_CHARS = 1_500;
/** Never cut a message shorter than this to fit; names and times still fit 40 lines then. */
const MESSAGE_CHARS_FLOOR = 40;
const NAME_CHARS = 80;

export interface TranscriptCardOptions {
  /** Names of the people mentioned in the messages. */
  names: Map<string, string>;
  /** The policy's time zone, for the time of each message. */
  timeZone: string;
}

/**
 * "View conversation" as a task module: one page of the escalation's thread, oldest first, each
 * message with its author and time, "Page N of M", and Older / Newer buttons that submit the page
 * they lead to (`task/submit`). Long messages are cut so the page stays within Teams' card size limit.
 */
export function transcriptCard(page: TranscriptPage, options: TranscriptCardOptions): AdaptiveCard {
  let chars = MESSAGE_CHARS;
  for (;;) {
    const card = render(page, options, chars);
    const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
    if (bytes <= TRANSCRIPT_CARD_BUDGET_BYTES || chars <= MESSAGE_CHARS_FLOOR) return card;
    chars = Math.max(MESSAGE_CHARS_FLOOR, Math.floor(chars * 0.6));
  }
}

/** "Page 2 of 8 · 300 messages". */
export function pageLine(page: Pick<TranscriptPage, 'page' | 'pages' | 'total'>): string {
  return `Page ${page.page + 1} of ${page.pages} · ${page.total} ${page.total === 1 ? 'message' : 'messages'}`;
}

function render(page: TranscriptPage, options: TranscriptCardOptions, chars: number): AdaptiveCard {
  const link = teamsThreadLink({ channel: page.channel, threadId: page.threadId });
  const body: unknown[] = [
    {
      type: 'TextBlock',
      text: `Escalation #${page.escalationNumber} · issue #${page.issueNumber}: the conversation`,
      size: 'Medium',
      weight: 'Bolder',
      wrap: true,
    },
    {
      type: 'TextBlock',
      text: `${pageLine(page)}${link ? ` · [Open thread](${link})` : ''}`,
      isSubtle: true,
      spacing: 'None',
      wrap: true,
    },
  ];
  if (page.lines.length === 0) {
    body.push({
      type: 'TextBlock',
      text: 'No messages of this thread are kept (old text is removed after the retention period).',
      wrap: true,
    });
  }
  for (const line of page.lines) body.push(messageContainer(line, options, chars));
  const turn = (title: string, to: number) => ({
    type: 'Action.Submit',
    title,
    data: { escalationId: page.escalationId, view: CONVERSATION_VIEW, page: to },
  });
  const actions = [
    ...(page.page > 0 ? [turn('Older', page.page - 1)] : []),
    ...(page.page < page.pages - 1 ? [turn('Newer', page.page + 1)] : []),
  ];
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    fallbackText: `Escalation #${page.escalationNumber}: ${pageLine(page)}`,
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

function messageContainer(line: TranscriptLine, options: TranscriptCardOptions, chars: number) {
  // Unknown people show as their platform id: better than "someone" when reading a whole thread.
  const author = truncate(line.authorName ?? line.authorId, NAME_CHARS);
  const facts = [
    `**${author}**`,
    ...(line.role === 'customer' ? ['customer'] : []),
    formatTime(line.at, options.timeZone),
    ...(line.edited ? ['edited'] : []),
  ];
  const text = line.text.trim() ? teamsText(line.text, options.names, chars) : '(no text)';
  return {
    type: 'Container',
    separator: true,
    items: [
      { type: 'TextBlock', text: facts.join(' · '), size: 'Small', wrap: true },
      { type: 'TextBlock', text, wrap: true, spacing: 'None' },
    ],
  };
}
