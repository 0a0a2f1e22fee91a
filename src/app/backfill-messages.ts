import { newId } from '../domain/ids.js';
import { type Author, type Issue, roleOf, type ThreadMessage } from '../domain/issue.js';
import { findSupportChannel } from '../domain/policy.js';
import { slaDeadlines } from '../domain/sla.js';
import type { AppContext } from './context.js';

/** A message of a thread as the platform's history returns it. */
export interface HistoryMessage {
  /** Idempotency key, e.g. `slack:backfill:C0123:1700000000.000100`. */
  eventKey: string;
  /** Platform id of the message. */
  messageId: string;
  author: Author;
  text: string;
  at: Date;
}

export interface BackfillInput {
  channel: string;
  /** Platform id of the thread root. */
  threadId: string;
  /** The thread as the platform has it now, in any order; bots and system messages already left out. */
  messages: HistoryMessage[];
}

export type BackfillResult =
  | { outcome: 'backfilled'; issue: Issue; added: number; openedIssue: boolean }
  | { outcome: 'ignored'; reason: 'not_a_support_channel' | 'empty' };

/**
 * Stores the messages of a thread that Escalator missed (it joined the channel late, was down, or an
 * event never arrived), so the card's summary reads the whole conversation. Idempotent: messages it
 * already has, by platform id, are left alone, so running it before every escalation is safe.
 *
 * Unlike `trackMessage` this records history, not news: no triggers fire on old messages, a resolved
 * issue is not reopened, and the issue's "last customer message" only moves forward. A thread it
 * never saw at all becomes an issue, opened now (its SLA clock starts when Escalator learns of it,
 * as for a thread first seen through a late reply).
 */
export async function backfillMessages(ctx: AppContext, input: BackfillInput): Promise<BackfillResult> {
  const support = findSupportChannel(ctx.policy, input.channel);
  if (!support) return { outcome: 'ignored', reason: 'not_a_support_channel' };
  const history = [...input.messages].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (history.length === 0) return { outcome: 'ignored', reason: 'empty' };

  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    let issue = await tx.issues.findByThread(input.channel, input.threadId);
    const openedIssue = !issue;
    if (!issue) {
      const root = history.find((m) => m.messageId === input.threadId) ?? history[0]!;
      issue = {
        id: newId('iss', now),
        number: await tx.issues.nextNumber(),
        channel: input.channel,
        threadId: input.threadId,
        path: support.path,
        priority: ctx.policy.defaultPriority,
        status: 'open',
        customerId: null,
        openedBy: root.author.id,
        openedAt: now,
        firstResponseAt: null,
        lastCustomerMessageAt: null,
        messageCount: 0,
        updatedAt: now,
        ...slaDeadlines(now, ctx.policy.defaultPriority, ctx.policy, ctx.calendar),
        firstResponseBreachedAt: null,
        resolveBreachedAt: null,
        lastResolvedAt: null,
      };
      await tx.issues.create(issue);
    }

    const stored = new Set((await tx.messages.listForIssue(issue.id)).map((m) => m.messageId));
    const added: ThreadMessage[] = [];
    for (const message of history) {
      if (stored.has(message.messageId)) continue;
      if (await tx.messages.findByMessageId(input.channel, message.messageId)) continue;
      if (!(await tx.processedEvents.remember(message.eventKey, now))) continue;
      const row: ThreadMessage = {
        id: newId('msg', message.at),
        issueId: issue.id,
        messageId: message.messageId,
        authorId: message.author.id,
        authorRole: roleOf(message.author, ctx.policy),
        text: message.text,
        sentAt: message.at,
        editedAt: null,
        deletedAt: null,
      };
      await tx.messages.create({ ...row, channel: input.channel });
      stored.add(message.messageId);
      added.push(row);
    }
    if (added.length === 0 && !openedIssue) {
      return { outcome: 'backfilled', issue, added: 0, openedIssue } as const;
    }

    const updated: Issue = { ...issue, messageCount: issue.messageCount + added.length, updatedAt: now };
    const all = (await tx.messages.listForIssue(issue.id)).filter((m) => !m.deletedAt);
    const customer = all.filter((m) => m.authorRole === 'customer');
    updated.customerId ??= customer[0]?.authorId ?? null;
    const lastCustomer = customer.at(-1)?.sentAt;
    if (lastCustomer && (!updated.lastCustomerMessageAt || lastCustomer > updated.lastCustomerMessageAt)) {
      updated.lastCustomerMessageAt = lastCustomer;
    }
    // A staff answer Escalator missed still answered the customer: the first-response clock stops.
    if (!updated.firstResponseAt && customer[0]) {
      const firstCustomerAt = customer[0].sentAt;
      const answer = all.find((m) => m.authorRole === 'staff' && m.sentAt > firstCustomerAt);
      if (answer) updated.firstResponseAt = answer.sentAt;
    }
    await tx.issues.update(updated);
    return { outcome: 'backfilled', issue: updated, added: added.length, openedIssue } as const;
  });
}

/** The thread an issue lives in (to read it from the platform before escalating). */
export async function threadOfIssue(
  ctx: AppContext,
  issueId: string,
): Promise<{ channel: string; threadId: string } | undefined> {
  const issue = await ctx.store.issues.get(issueId);
  return issue && { channel: issue.channel, threadId: issue.threadId };
}
