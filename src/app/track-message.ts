import { newId } from '../domain/ids.js';
import { type Author, type Issue, roleOf } from '../domain/issue.js';
import { findSupportChannel } from '../domain/policy.js';
import { slaDeadlines } from '../domain/sla.js';
import type { AppContext } from './context.js';
import { detectTriggers } from './detect-triggers.js';
import { tellResolverOfReopen } from './follow-up.js';

export interface IncomingMessage {
  /** Idempotency key of the inbound event (Slack `event_id`); retries with it do nothing. */
  eventKey: string;
  channel: string;
  /** Platform id of the message. */
  messageId: string;
  /** Platform id of the thread root; equals `messageId` for a top-level message. */
  threadId: string;
  author: Author;
  text: string;
  at: Date;
}

export type TrackResult =
  | { outcome: 'tracked'; issue: Issue; openedIssue: boolean }
  | { outcome: 'ignored'; reason: 'not_a_support_channel' | 'duplicate' };

/**
 * Records a message of a support channel: a top-level message opens an issue, a reply adds to it.
 * A reply in a thread we never saw (the bot joined later) opens the issue from the reply.
 */
export async function trackMessage(ctx: AppContext, input: IncomingMessage): Promise<TrackResult> {
  const support = findSupportChannel(ctx.policy, input.channel);
  if (!support) return { outcome: 'ignored', reason: 'not_a_support_channel' };
  const role = roleOf(input.author, ctx.policy);

  let toldResolver = false;
  const result = await ctx.store.transaction(async (tx) => {
    if (!(await tx.processedEvents.remember(input.eventKey, ctx.clock.now()))) {
      return { outcome: 'ignored', reason: 'duplicate' } as const;
    }
    if (await tx.messages.findByMessageId(input.channel, input.messageId)) {
      return { outcome: 'ignored', reason: 'duplicate' } as const;
    }

    let issue = await tx.issues.findByThread(input.channel, input.threadId);
    const openedIssue = !issue;
    if (!issue) {
      issue = {
        id: newId('iss', input.at),
        number: await tx.issues.nextNumber(),
        channel: input.channel,
        threadId: input.threadId,
        path: support.path,
        priority: ctx.policy.defaultPriority,
        status: 'open',
        customerId: null,
        openedBy: input.author.id,
        openedAt: input.at,
        firstResponseAt: null,
        lastCustomerMessageAt: null,
        messageCount: 0,
        updatedAt: input.at,
        ...slaDeadlines(input.at, ctx.policy.defaultPriority, ctx.policy, ctx.calendar),
        firstResponseBreachedAt: null,
        resolveBreachedAt: null,
        lastResolvedAt: null,
      };
      await tx.issues.create(issue);
    }

    await tx.messages.create({
      id: newId('msg', input.at),
      issueId: issue.id,
      channel: input.channel,
      messageId: input.messageId,
      authorId: input.author.id,
      authorRole: role,
      text: input.text,
      sentAt: input.at,
      editedAt: null,
      deletedAt: null,
    });

    const updated: Issue = { ...issue, messageCount: issue.messageCount + 1, updatedAt: input.at };
    const firstCustomerMessage = role === 'customer' && issue.customerId === null;
    const reopened = role === 'customer' && issue.status === 'resolved';
    if (role === 'customer') {
      updated.customerId ??= input.author.id;
      // A customer writing again after the fix reopens the thread, so it can be escalated again.
      if (reopened) updated.status = 'open';
      updated.lastCustomerMessageAt = input.at;
    } else if (!updated.firstResponseAt && !openedIssue && input.author.id !== issue.openedBy) {
      // The first answer from staff to someone else stops the first-response SLA clock.
      updated.firstResponseAt = input.at;
    }
    await tx.issues.update(updated);
    // Soon after the resolution, the last resolver hears about it (later, it reopens silently).
    if (reopened)
      toldResolver = await tellResolverOfReopen(tx, ctx.policy, updated, input.text, ctx.clock.now());
    if (role === 'customer') {
      await detectTriggers(ctx, tx, {
        issue: updated,
        authorId: input.author.id,
        authorTeamId: input.author.teamId,
        text: input.text,
        at: input.at,
        firstCustomerMessage,
        openedIssue,
      });
    }
    return { outcome: 'tracked', issue: updated, openedIssue } as const;
  });
  if (toldResolver) ctx.outboxChanged();
  return result;
}
