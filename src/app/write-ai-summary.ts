import { isActive } from '../domain/escalation.js';
import type { SummaryInput, SummaryPort } from '../ports/summary-port.js';
import type { AppContext } from './context.js';
import { renderCard } from './render-card.js';

/** The AI summary endpoint and how long one call may take. */
export interface SummaryWriter {
  port: SummaryPort;
  timeoutMs: number;
}

/** The longest summary kept (the card shows up to 1500 characters of it). */
const SUMMARY_MAX = 2_000;

export type SummaryOutcome = 'written' | 'skipped';

/**
 * Asks the AI endpoint for a narrative summary of an escalation's thread and, in one transaction,
 * stores it on the escalation and queues the card update that shows it. Throws when the endpoint
 * fails or does not answer within `timeoutMs` (the caller retries, then gives up: the card keeps its
 * extractive summary). Skips escalations that are gone, finished or already summarised.
 */
export async function writeAiSummary(
  ctx: AppContext,
  writer: SummaryWriter,
  escalationId: string,
): Promise<SummaryOutcome> {
  const { store } = ctx;
  const escalation = await store.escalations.get(escalationId);
  if (!escalation || !isActive(escalation) || escalation.aiSummary) return 'skipped';
  const issue = await store.issues.get(escalation.issueId);
  if (!issue) return 'skipped';
  const messages = (await store.messages.listForIssue(issue.id)).filter((m) => !m.deletedAt);
  if (messages.length === 0) return 'skipped';
  const input: SummaryInput = {
    thread: messages.map((m) => ({
      role: m.authorRole,
      text: maskEmails(m.text),
      at: m.sentAt.toISOString(),
    })),
    issueNumber: issue.number,
    reason: maskEmails(escalation.reason),
  };
  const summary = cleanSummary(
    await withTimeout((signal) => writer.port.summarize(input, signal), writer.timeoutMs),
  );
  if (!summary) throw new Error('the summary endpoint answered with an empty summary');

  const written = await store.transaction(async (tx) => {
    // Read again: the escalation may have been claimed, resolved or escalated while we waited.
    const current = await tx.escalations.get(escalationId);
    if (!current || !isActive(current) || current.aiSummary) return false;
    // Not a status change: `updatedAt` (shown in status lines) stays; the version guards clicks.
    const changed = { ...current, aiSummary: summary, version: current.version + 1 };
    if (!(await tx.escalations.update(changed, current.version))) return false;
    const currentIssue = (await tx.issues.get(current.issueId)) ?? issue;
    const card = await renderCard(tx, changed, currentIssue, ctx.policy);
    const channel = changed.cardChannel ?? changed.pathSnapshot.levels[changed.level]?.channel;
    await tx.outbox.add(issue.id, { kind: 'update_card', escalationId, card, channel }, ctx.clock.now());
    return true;
  });
  if (written) ctx.outboxChanged();
  return written ? 'written' : 'skipped';
}

// A local part, then a domain with at least one dot. `j***@example.com` does not match again.
const EMAIL = /([A-Za-z0-9_%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

/** `jane.doe@example.com` → `j***@example.com`: the address never leaves for the AI endpoint. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, (_match, first: string, domain: string) => `${first}***@${domain}`);
}

/**
 * The model's text as the card shows it: trimmed, at most one blank line in a row, capped, and with
 * angle brackets replaced so it cannot carry mentions or links (`<!channel>`, `<@U…>`) onto the card.
 */
export function cleanSummary(text: string): string {
  const clean = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .trim();
  return clean.length <= SUMMARY_MAX ? clean : `${clean.slice(0, SUMMARY_MAX - 1)}…`;
}

/** Runs `work` with a signal that aborts after `ms`; rejects then even if `work` ignores the signal. */
async function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`the summary endpoint did not answer within ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
