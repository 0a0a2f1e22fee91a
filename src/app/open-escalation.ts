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
import type { EscalationPath, Priority, RootCause } from '../domain/policy.js';
import type { Repositories } from '../ports/store.js';
import { renderCard } from './render-card.js';

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
  timeZone: string;
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
    ackDueAt: level.ackWithinMs ? new Date(at.getTime() + level.ackWithinMs) : null,
    resolveDueAt: level.resolveWithinMs ? new Date(at.getTime() + level.resolveWithinMs) : null,
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
  await tx.issues.update({ ...input.issue, status: 'escalated', priority: input.priority, updatedAt: at });

  const card = await renderCard(tx, escalation, input.issue, input.timeZone);
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
        body: webhookBody(escalation, input.issue, card.fallback),
      },
      at,
    );
  }
  return escalation;
}

/** What an external party (vendor, partner, regulator) receives: facts, not chat markup. */
function webhookBody(e: Escalation, issue: Issue, summary: string) {
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
    at: e.createdAt.toISOString(),
  };
}
