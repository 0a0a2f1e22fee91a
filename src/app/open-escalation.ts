import { EscalatorError } from '../domain/errors.js';
import {
  type ChangeSource,
  type Escalation,
  type Evidence,
  levelOf,
  type TriggerKind,
} from '../domain/escalation.js';
import { newId } from '../domain/ids.js';
import type { Issue } from '../domain/issue.js';
import type { SimilarPast } from '../domain/knowledge.js';
import type { EscalationPath, Policy, Priority, RootCause } from '../domain/policy.js';
import { clockOf, slaDeadlines } from '../domain/sla.js';
import { deadlineAfter, type WorkCalendar } from '../domain/sla-clock.js';
import type { Repositories } from '../ports/store.js';
import { findSimilarPast } from './knowledge/find-similar-past.js';
import { renderCard } from './render-card.js';
import { transcriptLines } from './transcript.js';

export interface NewEscalation {
  issue: Issue;
  path: EscalationPath;
  level: number;
  priority: Priority;
  trigger: TriggerKind;
  evidence: Evidence;
  reason: string;
  reasonCategory: RootCause | null;
  parentId: string | null;
  actor: string;
  source: ChangeSource;
  at: Date;
  policy: Policy;
  calendar: WorkCalendar;
  /** Past resolutions for the card; looked up when not given (a step on the ladder passes its own on). */
  similarPast?: SimilarPast[];
}

/**
 * Creates an escalation at a level inside the caller's transaction: the row, its audit event and
 * the outbox entry that posts its card (or calls the level's webhook). Shared by manual escalation,
 * escalating further and bouncing back to a lower level.
 */
export async function openEscalation(tx: Repositories, input: NewEscalation): Promise<Escalation> {
  const level = input.path.levels[input.level];
  if (!level) {
    throw new EscalatorError('no_higher_level', `Path "${input.path.name}" has no level ${input.level + 1}.`);
  }
  const at = input.at;
  const earlier = await tx.escalations.listForIssue(input.issue.id);
  // A fresh escalation (not a step up or down the ladder) of an issue that was escalated before.
  const previous = input.parentId
    ? undefined
    : earlier.filter((e) => e.status === 'resolved' || e.status === 'bounced').at(-1);
  // Bounced twice across the same boundary (down to this level, or from it back to the frontline
  // before this fresh escalation): the two sides disagree about who owns it.
  const bouncedFrom = (level: number) =>
    earlier.filter((e) => e.status === 'bounced' && e.path === input.path.name && e.level === level).length;
  const bouncesHere = bouncedFrom(input.level + 1) + (input.parentId ? 0 : bouncedFrom(input.level));
  const escalation: Escalation = {
    id: newId('esc', at),
    number: await tx.escalations.nextNumber(),
    issueId: input.issue.id,
    status: 'open',
    version: 1,
    type: input.path.type,
    path: input.path.name,
    level: input.level,
    pathSnapshot: input.path,
    priority: input.priority,
    trigger: input.trigger,
    evidence: input.evidence,
    reason: input.reason,
    reasonCategory: input.reasonCategory,
    parentId: input.parentId,
    createdBy: input.actor,
    createdAt: at,
    // Ladder deadlines run on the priority's clock: an unclaimed P3 card does not climb at night.
    ackDueAt: level.ackWithinMs
      ? deadlineAfter(at, level.ackWithinMs, clockOf(input.priority, input.policy), input.calendar)
      : null,
    resolveDueAt: level.resolveWithinMs
      ? deadlineAfter(at, level.resolveWithinMs, clockOf(input.priority, input.policy), input.calendar)
      : null,
    claimedBy: null,
    claimedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    resolutionNote: null,
    rootCause: null,
    bouncedBy: null,
    bouncedAt: null,
    bounceReason: null,
    supersededBy: null,
    statusNote: null,
    aiSummary: null,
    reescalationOf: previous?.id ?? null,
    pingPong: bouncesHere >= 2,
    similarPast:
      input.similarPast ?? (await findSimilarPast(tx, input.policy, input.issue, at, input.reason)),
    cardChannel: null,
    cardMessageId: null,
    updatedAt: at,
  };
  await tx.escalations.create(escalation);
  await tx.events.append({
    id: newId('evt', at),
    escalationId: escalation.id,
    action: 'open',
    fromStatus: null,
    toStatus: 'open',
    actor: input.actor,
    source: input.source,
    detail: input.reason,
    at,
  });
  const issue = {
    ...input.issue,
    status: 'escalated' as const,
    priority: input.priority,
    updatedAt: at,
    // A new priority tightens (or loosens) the issue's SLA, measured from when it was opened.
    ...(input.priority !== input.issue.priority
      ? slaDeadlines(input.issue.openedAt, input.priority, input.policy, input.calendar)
      : {}),
  };
  await tx.issues.update(issue);

  const card = await renderCard(tx, escalation, issue, input.policy);
  if (level.channel) {
    await tx.outbox.add(
      input.issue.id,
      { kind: 'post_card', channel: level.channel, card, escalationId: escalation.id },
      at,
    );
  }
  if (level.webhook) {
    await tx.outbox.add(
      input.issue.id,
      {
        kind: 'webhook',
        url: level.webhook.url,
        secretEnv: level.webhook.secretEnv,
        body: webhookBody(escalation, input.issue, card.fallback, await webhookTranscript(tx, input)),
      },
      at,
    );
  }
  return escalation;
}

/**
 * The whole thread for an external party, who cannot open it: e-mail addresses masked unless the
 * policy allows them (a vendor needs the problem, not the customer's contact details).
 */
async function webhookTranscript(tx: Repositories, input: NewEscalation) {
  const lines = await transcriptLines(tx, input.issue, { maskEmails: !input.policy.transcripts.showEmails });
  return lines.map((l) => ({
    author: l.authorName ?? l.authorId,
    role: l.role,
    text: l.text,
    at: l.at.toISOString(),
  }));
}

/** What an external party (vendor, partner, regulator) receives: facts, not chat markup. */
function webhookBody(e: Escalation, issue: Issue, summary: string, transcript: unknown[]) {
  return {
    type: 'escalation.opened',
    escalation: {
      id: e.id,
      number: e.number,
      priority: e.priority,
      trigger: e.trigger,
      path: e.path,
      level: levelOf(e).name,
    },
    issue: { id: issue.id, number: issue.number, channel: issue.channel, threadId: issue.threadId },
    reason: e.reason,
    summary,
    transcript,
    at: e.createdAt.toISOString(),
  };
}

/**
 * The next step of an escalation on its own path (up a level, or bounced down one): same issue,
 * priority and reason, linked by `parentId`. A systemic escalation keeps standing for all its threads.
 */
export async function openFollowOn(
  tx: Repositories,
  settings: { policy: Policy; calendar: WorkCalendar },
  from: Escalation,
  issue: Issue,
  step: Pick<NewEscalation, 'level' | 'trigger' | 'evidence' | 'actor' | 'source' | 'at'>,
): Promise<Escalation> {
  const next = await openEscalation(tx, {
    ...step,
    ...settings,
    issue,
    path: from.pathSnapshot,
    priority: from.priority,
    reason: from.reason,
    reasonCategory: from.reasonCategory,
    parentId: from.id,
    similarPast: from.similarPast ?? [],
  });
  for (const member of await tx.triggers.listSystemicMembers(from.id)) {
    await tx.triggers.addSystemicMember(next.id, member, step.at);
  }
  return next;
}
