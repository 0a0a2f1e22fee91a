import { EscalatorError } from '../domain/errors.js';
import type { AuthorRole, Issue } from '../domain/issue.js';
import { maskEmails } from '../domain/knowledge.js';
import type { Repositories } from '../ports/store.js';
import type { AppContext } from './context.js';

/** One message of a thread as a responder reads it, whatever platform the thread is on. */
export interface TranscriptLine {
  authorId: string;
  /** The name the platform reported, when Escalator learned it. */
  authorName: string | null;
  role: AuthorRole;
  text: string;
  at: Date;
  edited: boolean;
}

export interface TranscriptPage {
  escalationId: string;
  escalationNumber: number;
  issueNumber: number;
  channel: string;
  threadId: string;
  /** Messages in the whole thread (deleted ones left out). */
  total: number;
  /** 0-based; `pages` is at least 1 (an empty thread has one empty page). */
  page: number;
  pages: number;
  lines: TranscriptLine[];
}

/** A page holds this many messages unless asked otherwise: a Slack modal holds 100 blocks. */
export const TRANSCRIPT_PAGE_SIZE = 40;

/**
 * "View conversation": one page of an escalation's whole thread, oldest first, read from what
 * Escalator stored, so a responder on the other platform or outside the support channel sees it
 * all. A page past the end shows the last page.
 */
export async function readTranscript(
  ctx: Pick<AppContext, 'store'>,
  request: { escalationId: string; page?: number; pageSize?: number },
): Promise<TranscriptPage> {
  const escalation = await ctx.store.escalations.get(request.escalationId);
  if (!escalation) throw new EscalatorError('escalation_not_found', 'That escalation no longer exists.');
  const issue = await ctx.store.issues.get(escalation.issueId);
  if (!issue)
    throw new EscalatorError('issue_not_found', 'The thread of that escalation is no longer tracked.');
  const lines = await transcriptLines(ctx.store, issue);
  const pageSize = Math.max(1, request.pageSize ?? TRANSCRIPT_PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(lines.length / pageSize));
  const page = Math.min(Math.max(0, Math.trunc(request.page ?? 0)), pages - 1);
  return {
    escalationId: escalation.id,
    escalationNumber: escalation.number,
    issueNumber: issue.number,
    channel: issue.channel,
    threadId: issue.threadId,
    total: lines.length,
    page,
    pages,
    lines: lines.slice(page * pageSize, (page + 1) * pageSize),
  };
}

/** Every message of an issue's thread, oldest first, with the authors' names; deleted ones left out. */
export async function transcriptLines(
  repos: Pick<Repositories, 'messages' | 'people'>,
  issue: Pick<Issue, 'id'>,
  options: { maskEmails?: boolean } = {},
): Promise<TranscriptLine[]> {
  const messages = (await repos.messages.listForIssue(issue.id)).filter((m) => !m.deletedAt);
  const names = await repos.people.names([...new Set(messages.map((m) => m.authorId))]);
  return messages.map((m) => ({
    authorId: m.authorId,
    authorName: names.get(m.authorId) ?? null,
    role: m.authorRole,
    text: options.maskEmails ? maskEmails(m.text) : m.text,
    at: m.sentAt,
    edited: m.editedAt !== null,
  }));
}
