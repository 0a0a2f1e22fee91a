import type { SimilarPast } from './knowledge.js';
import type { EscalationPath, PathType, Priority, RootCause } from './policy.js';

export const ESCALATION_STATUSES = [
  'open',
  'claimed',
  'resolved',
  'bounced',
  'superseded',
  'dismissed',
  // Taken back by the agent who escalated it, before anyone claimed it.
  'withdrawn',
] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** Statuses in which someone still has to act on the escalation. */
export const ACTIVE_STATUSES: readonly EscalationStatus[] = ['open', 'claimed'];

export const TRIGGER_KINDS = [
  'manual',
  'sla_breach',
  'manager_request',
  'high_value',
  'systemic',
  'legal',
  'dissatisfaction',
  'ack_timeout',
  'bounce',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** Where a change came from, kept on every audit event (as grafana/oncall does). */
export type ChangeSource = 'slack' | 'teams' | 'local' | 'checker' | 'system';

/** What fired the escalation, shown on the card under "why it fired". */
export interface Evidence {
  summary: string;
  details?: string[];
  /** Matched fragments of a content trigger, kept for "Not an escalation" feedback. */
  matched?: string[];
  /** Issues a systemic escalation stands for. */
  cluster?: string[];
}

/** Triggers that read customer words; their cards offer "Not an escalation". */
export const CONTENT_TRIGGERS: readonly TriggerKind[] = [
  'manager_request',
  'high_value',
  'legal',
  'dissatisfaction',
  'systemic',
];

export interface Escalation {
  id: string;
  number: number;
  issueId: string;
  status: EscalationStatus;
  /** Bumped on every change; updates are guarded by it so concurrent clicks have one winner. */
  version: number;
  type: PathType;
  path: string;
  /** 0-based index into `pathSnapshot.levels`. */
  level: number;
  /**
   * The path as it was when the escalation started: the policy file can change or lose the path
   * while the escalation is still open, and the card must keep making sense.
   */
  pathSnapshot: EscalationPath;
  priority: Priority;
  trigger: TriggerKind;
  evidence: Evidence;
  reason: string;
  /** Why the agent escalated (a root-cause category), as said at escalation time. */
  reasonCategory: RootCause | null;
  parentId: string | null;
  createdBy: string;
  createdAt: Date;
  ackDueAt: Date | null;
  resolveDueAt: Date | null;
  claimedBy: string | null;
  claimedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
  rootCause: RootCause | null;
  bouncedBy: string | null;
  bouncedAt: Date | null;
  bounceReason: string | null;
  supersededBy: string | null;
  /** Why the status last changed when no person did it ("escalated to L3 after 30m unclaimed"). */
  statusNote: string | null;
  /** The narrative summary an AI endpoint wrote, when one is configured and answered in time. */
  aiSummary: string | null;
  /** The earlier escalation of the same issue this one repeats (resolved or bounced before). */
  reescalationOf: string | null;
  /** Bounced back twice between the same two levels: flagged on the card. */
  pingPong: boolean;
  /**
   * Resolved escalations like this one, found when it opened (the card's "Similar past escalations").
   * Empty when nothing was similar enough; absent on escalations opened before they were looked up.
   */
  similarPast?: SimilarPast[];
  /** Where the card was posted, once the outbox delivered it. */
  cardChannel: string | null;
  cardMessageId: string | null;
  updatedAt: Date;
}

export function levelOf(escalation: Escalation) {
  const level = escalation.pathSnapshot.levels[escalation.level];
  if (!level) throw new Error(`escalation ${escalation.id} points at missing level ${escalation.level}`);
  return level;
}

export function hasHigherLevel(escalation: Escalation): boolean {
  return escalation.level + 1 < escalation.pathSnapshot.levels.length;
}

export function isActive(escalation: Escalation): boolean {
  return ACTIVE_STATUSES.includes(escalation.status);
}
