import type { AppContext } from '../../../src/app/context.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import { type IncomingMessage, trackMessage } from '../../../src/app/track-message.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Author, Issue } from '../../../src/domain/issue.js';

/** People of the example policy: staff are the home workspace T0HOME or listed (slack:U0LEAD). */
export const people = {
  customer: { id: 'slack:UCUST1', teamId: 'T0CUSTOMER' },
  otherCustomer: { id: 'slack:UCUST2', teamId: 'T0CUSTOMER' },
  agent: { id: 'slack:U0AGENT', teamId: 'T0HOME' },
  lead: { id: 'slack:U0LEAD' },
  specialist: { id: 'slack:U0SPEC', teamId: 'T0HOME' },
  engineer: { id: 'slack:U0ENG', teamId: 'T0HOME' },
} satisfies Record<string, Author>;

export const SUPPORT = 'slack:C0SUPPORT';

let seq = 0;

/** A Slack-shaped `ts`, unique per call. */
export function nextTs(): string {
  seq += 1;
  return `1770000000.${String(seq).padStart(6, '0')}`;
}

/** An inbound message in the support channel; top-level unless `threadId` is given. */
export function incoming(
  ctx: AppContext,
  fields: Partial<IncomingMessage> & { author: Author; text: string },
): IncomingMessage {
  const messageId = fields.messageId ?? nextTs();
  return {
    eventKey: fields.eventKey ?? `Ev${messageId}`,
    channel: fields.channel ?? SUPPORT,
    messageId,
    threadId: fields.threadId ?? messageId,
    author: fields.author,
    text: fields.text,
    at: fields.at ?? ctx.clock.now(),
  };
}

/** A customer's top-level message in the support channel: a new issue. */
export async function openIssue(
  ctx: AppContext,
  text = 'My invoice export fails with error E42',
): Promise<Issue> {
  const result = await trackMessage(ctx, incoming(ctx, { author: people.customer, text }));
  if (result.outcome !== 'tracked')
    throw new Error(`expected the message to open an issue: ${result.reason}`);
  return result.issue;
}

/** A reply in an issue's thread. */
export async function reply(ctx: AppContext, issue: Issue, author: Author, text: string) {
  return trackMessage(ctx, incoming(ctx, { author, text, threadId: issue.threadId }));
}

/** An issue escalated by hand by the agent on its channel's path (tech: L2 Tech then L3 Engineering). */
export async function openEscalated(
  ctx: AppContext,
  options: { reason?: string; path?: string } = {},
): Promise<{ issue: Issue; escalation: Escalation }> {
  const issue = await openIssue(ctx);
  const escalation = await escalateIssue(ctx, {
    issueId: issue.id,
    reason: options.reason ?? 'Export bug, needs engineering',
    path: options.path,
    actor: people.agent.id,
    source: 'slack',
  });
  return { issue, escalation };
}
