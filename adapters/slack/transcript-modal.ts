import type { KnownBlock, View } from '@slack/types';
import type { TranscriptLine, TranscriptPage } from '../../src/app/transcript.js';
import { formatTime, truncate } from '../../src/domain/text.js';
import { threadUrl } from '../shared/thread-url.js';
import { escapeMrkdwn, mrkdwnLink } from './mrkdwn.js';
import { ACTION_PREFIX } from './render-block-kit.js';

/** "View conversation" on a card; its value is the escalation id. */
export const CONVERSATION_ACTION = `${ACTION_PREFIX}view_conversation`;
/** The modal's "Older" and "Newer" buttons; their value names the page to show (`transcriptPageValue`). */
export const TRANSCRIPT_PAGE_ACTION = new RegExp(`^${ACTION_PREFIX}transcript_(older|newer)$`);
export const TRANSCRIPT_MODAL = 'escalator_transcript';

/** Slack's limits: 3000 characters of section text, 24 of a modal title. */
const SECTION_MAX = 3000;
const TITLE_MAX = 24;

export function transcriptPageValue(escalationId: string, page: number): string {
  return JSON.stringify({ escalation: escalationId, page });
}

export function parseTranscriptPageValue(
  value: string | undefined,
): { escalationId: string; page: number } | undefined {
  try {
    const data = JSON.parse(value ?? '') as { escalation?: unknown; page?: unknown };
    if (typeof data.escalation !== 'string' || typeof data.page !== 'number') return undefined;
    return { escalationId: data.escalation, page: data.page };
  } catch {
    return undefined;
  }
}

/**
 * One page of an escalation's whole thread as a modal: one section per message (author, time,
 * text), where it is, "Page N of M", and buttons to the older and newer pages. A page of
 * `TRANSCRIPT_PAGE_SIZE` (40) messages is 43 blocks, well under a modal's 100.
 */
export function transcriptModal(
  page: TranscriptPage,
  view: { timeZone: string; workspaceUrl?: string },
): View {
  const link = mrkdwnLink(
    threadUrl({ channel: page.channel, threadId: page.threadId }, view.workspaceUrl),
    'Open the thread',
  );
  const count = `${page.total} message${page.total === 1 ? '' : 's'}`;
  const blocks: KnownBlock[] = [
    context([`Issue #${page.issueNumber}`, link, 'oldest first'].filter(Boolean).join(' · ')),
  ];
  if (page.lines.length === 0) {
    blocks.push(section('_No messages of this thread are kept (retention may have removed their text)._'));
  }
  for (const line of page.lines) blocks.push(section(lineText(line, page.channel, view.timeZone)));
  blocks.push(context(`Page ${page.page + 1} of ${page.pages} · ${count}`));
  const buttons = [
    ...(page.page > 0 ? [pageButton('older', '◀ Older', page.escalationId, page.page - 1)] : []),
    ...(page.page < page.pages - 1 ? [pageButton('newer', 'Newer ▶', page.escalationId, page.page + 1)] : []),
  ];
  if (buttons.length > 0)
    blocks.push({ type: 'actions', block_id: 'escalator_transcript_pages', elements: buttons });
  return {
    type: 'modal',
    callback_id: TRANSCRIPT_MODAL,
    private_metadata: JSON.stringify({ escalationId: page.escalationId, page: page.page }),
    title: { type: 'plain_text', text: truncate(`Conversation #${page.escalationNumber}`, TITLE_MAX) },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

/**
 * `*@alice* (customer) · Tue 3 Mar, 14:05 AEDT`, then the text. Slack people are mentioned (Slack
 * shows their names); people of other platforms by the name Escalator learned. Text of a Slack
 * thread is kept as Slack sent it (already escaped, with its own mentions and links); other text is
 * escaped so Slack shows it as written.
 */
function lineText(line: TranscriptLine, channel: string, timeZone: string): string {
  const who = line.authorId.startsWith('slack:')
    ? `<@${line.authorId.slice('slack:'.length)}>`
    : escapeMrkdwn(line.authorName ?? 'Someone');
  const head = [
    `*${who}*${line.role === 'customer' ? ' (customer)' : ''}`,
    formatTime(line.at, timeZone),
    ...(line.edited ? ['edited'] : []),
  ].join(' · ');
  const text = channel.startsWith('slack:') ? line.text : escapeMrkdwn(line.text);
  const body = text.trim() ? text : '_(no text)_';
  return `${head}\n${truncate(body, SECTION_MAX - head.length - 1, '… (cut to fit Slack)')}`;
}

function pageButton(direction: 'older' | 'newer', label: string, escalationId: string, page: number) {
  return {
    type: 'button' as const,
    action_id: `${ACTION_PREFIX}transcript_${direction}`,
    text: { type: 'plain_text' as const, text: label, emoji: true },
    value: transcriptPageValue(escalationId, page),
  };
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
