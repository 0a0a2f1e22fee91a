import { namesOf } from '../../src/app/directory.js';
import { readTranscript, TRANSCRIPT_PAGE_SIZE } from '../../src/app/transcript.js';
import { isEscalatorError } from '../../src/domain/errors.js';
import type { AuthorRole } from '../../src/domain/issue.js';
import { mentionedIds } from '../shared/people.js';
import { threadUrl } from '../shared/thread-url.js';
import { BadRequest } from './http/json-io.js';
import { readableText } from './message-view.js';
import { personaOf } from './personas.js';
import type { Workspace } from './workspace.js';

/** One page of "View conversation" as the page shows it: names for ids and tokens. */
export interface ConversationView {
  escalationId: string;
  escalationNumber: number;
  issueNumber: number;
  /** The thread itself: in this workspace when `url` starts with `/local/`. */
  thread: { channel: string; threadId: string; url: string };
  /** Messages in the whole thread. */
  total: number;
  /** 0-based, as asked for with `?page=`; a page past the end shows the last one. */
  page: number;
  pages: number;
  /** "Page 1 of 2 · 45 messages". */
  pageLabel: string;
  lines: Array<{
    author: { id: string; name: string };
    role: AuthorRole;
    text: string;
    at: string;
    edited: boolean;
  }>;
}

/**
 * "View conversation" on a card: a page of the escalation's whole thread, read from what Escalator
 * stored (`readTranscript`), as a Slack modal or a Teams task module shows it.
 */
export async function viewConversation(
  ws: Workspace,
  request: { escalationId: string; page: number },
): Promise<ConversationView> {
  let transcript: Awaited<ReturnType<typeof readTranscript>>;
  try {
    transcript = await readTranscript(ws.ctx, {
      escalationId: request.escalationId,
      page: request.page,
      pageSize: TRANSCRIPT_PAGE_SIZE,
    });
  } catch (error) {
    if (isEscalatorError(error)) throw new BadRequest(error.message, 404);
    throw error;
  }
  const mentioned = transcript.lines.flatMap((l) => mentionedIds(l.text));
  const people = await namesOf(ws.ctx, [...new Set(mentioned)]);
  const names = { people, channel: (id: string) => ws.channel(id)?.name };
  const thread = { channel: transcript.channel, threadId: transcript.threadId };
  const messages = `${transcript.total} message${transcript.total === 1 ? '' : 's'}`;
  return {
    escalationId: transcript.escalationId,
    escalationNumber: transcript.escalationNumber,
    issueNumber: transcript.issueNumber,
    thread: { ...thread, url: threadUrl(thread, undefined, ws.isSimulated) },
    total: transcript.total,
    page: transcript.page,
    pages: transcript.pages,
    pageLabel: `Page ${transcript.page + 1} of ${transcript.pages} · ${messages}`,
    lines: transcript.lines.map((l) => ({
      author: { id: l.authorId, name: personaOf(l.authorId)?.name ?? l.authorName ?? l.authorId },
      role: l.role,
      text: readableText(l.text, names),
      at: l.at.toISOString(),
      edited: l.edited,
    })),
  };
}

/** `?page=` of the transcript route: a whole number from 0; absent means the first page. */
export function pageParam(value: string | null): number {
  if (value === null || value === '') return 0;
  if (!/^\d+$/.test(value)) {
    throw new BadRequest(`page must be a whole number from 0 (the first page), not "${value}".`);
  }
  return Number(value);
}
