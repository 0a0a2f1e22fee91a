import { TRIGGER_LABELS } from '../../domain/build-escalation-card.js';
import type { ChangeSource, Escalation, EscalationStatus } from '../../domain/escalation.js';
import type { ThreadRef } from '../../domain/ids.js';
import { ROOT_CAUSE_LABELS } from '../../domain/policy.js';
import { ACTION_VERBS, type EscalationAction } from '../../domain/transitions.js';
import type { Clock } from '../../ports/clock.js';
import type { EscalationEvent, Repositories } from '../../ports/store.js';
import { mentionedIn, type Names, namesOf, type PersonRef } from './people-names.js';
import { runningCountdown, type SlaCountdown } from './sla-countdown.js';

/** One audit event as the history shows it. */
export interface HistoryEvent {
  at: string;
  /** The stored action (`open`, `claim`, `auto_escalate`, `refused_claim`, `evidence:legal`…). */
  action: string;
  /** The action as a lead reads it: "created", "claimed", "auto-escalated (unclaimed)"… */
  what: string;
  fromStatus: EscalationStatus | null;
  toStatus: EscalationStatus;
  who: PersonRef;
  source: ChangeSource;
  /** The reason, note, root cause or evidence the event carries. */
  detail: string | null;
}

/** Another escalation of the same issue, and how it relates to this one. */
export interface ChainLink {
  id: string;
  number: number;
  level: { index: number; name: string };
  status: EscalationStatus;
  createdAt: string;
  /**
   * `parent`: the step this one came from; `next`: the step this one led to (escalated further,
   * auto-escalated, bounced down); `this`; `earlier`/`later`: other escalations of the issue
   * (a re-escalation after a resolve or a bounce).
   */
  relation: 'parent' | 'this' | 'next' | 'earlier' | 'later';
}

export interface EscalationHistory {
  now: string;
  escalation: {
    id: string;
    number: number;
    title: string;
    trigger: { kind: string; label: string };
    evidence: string;
    path: string;
    level: { index: number; name: string };
    priority: string;
    status: EscalationStatus;
    createdBy: PersonRef;
    createdAt: string;
    claimedBy: PersonRef | null;
    resolvedBy: PersonRef | null;
    rootCause: { cause: string; label: string } | null;
    resolutionNote: string | null;
    bounceReason: string | null;
    statusNote: string | null;
    clock: SlaCountdown | null;
    issueNumber: number | null;
    thread: ThreadRef | null;
  };
  /** Oldest first. */
  events: HistoryEvent[];
  /** Every escalation of the issue, oldest first, this one included. */
  chain: ChainLink[];
}

/**
 * What happened to one escalation, step by step, with who did it and from where, and where it sits
 * among its issue's other escalations. Undefined when there is no such escalation.
 */
export async function escalationHistory(
  ctx: { store: Pick<Repositories, 'escalations' | 'events' | 'issues' | 'people'>; clock: Clock },
  escalationId: string,
): Promise<EscalationHistory | undefined> {
  const { store } = ctx;
  const e = await store.escalations.get(escalationId);
  if (!e) return undefined;
  const now = ctx.clock.now();
  const [events, siblings, issue] = await Promise.all([
    store.events.listForEscalation(e.id),
    store.escalations.listForIssue(e.issueId),
    store.issues.get(e.issueId),
  ]);
  const person = await namesOf(store.people, [
    e.createdBy,
    e.claimedBy,
    e.resolvedBy,
    ...events.map((event) => event.actor),
    ...mentionedIn(e.reason, e.evidence.summary, e.statusNote, ...events.map((event) => event.detail)),
  ]);
  const thisIndex = siblings.findIndex((s) => s.id === e.id);
  return {
    now: now.toISOString(),
    escalation: {
      id: e.id,
      number: e.number,
      title: person.inText(e.reason || e.evidence.summary),
      trigger: { kind: e.trigger, label: TRIGGER_LABELS[e.trigger] ?? e.trigger },
      evidence: person.inText(e.evidence.summary),
      path: e.path,
      level: levelOf(e),
      priority: e.priority,
      status: e.status,
      createdBy: person(e.createdBy),
      createdAt: e.createdAt.toISOString(),
      claimedBy: e.claimedBy ? person(e.claimedBy) : null,
      resolvedBy: e.resolvedBy ? person(e.resolvedBy) : null,
      rootCause: e.rootCause ? { cause: e.rootCause, label: ROOT_CAUSE_LABELS[e.rootCause] } : null,
      resolutionNote: e.resolutionNote,
      bounceReason: e.bounceReason,
      statusNote: person.inText(e.statusNote),
      clock: runningCountdown(e, now),
      issueNumber: issue?.number ?? null,
      thread: issue ? { channel: issue.channel, threadId: issue.threadId } : null,
    },
    events: events.map((event) => historyEvent(event, person)),
    chain: siblings.map((s, i) => ({
      id: s.id,
      number: s.number,
      level: levelOf(s),
      status: s.status,
      createdAt: s.createdAt.toISOString(),
      relation: relationOf(e, s, i, thisIndex),
    })),
  };
}

function relationOf(
  e: Escalation,
  other: Escalation,
  index: number,
  thisIndex: number,
): ChainLink['relation'] {
  if (other.id === e.id) return 'this';
  if (other.id === e.parentId) return 'parent';
  if (other.parentId === e.id || other.id === e.supersededBy) return 'next';
  return index < thisIndex ? 'earlier' : 'later';
}

function levelOf(e: Escalation): { index: number; name: string } {
  return { index: e.level, name: e.pathSnapshot.levels[e.level]?.name ?? `Level ${e.level + 1}` };
}

function historyEvent(event: EscalationEvent, person: Names): HistoryEvent {
  return {
    at: event.at.toISOString(),
    action: event.action,
    what: actionLabel(event.action),
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    who: person(event.actor),
    source: event.source,
    detail: person.inText(detailOf(event)),
  };
}

const ACTION_LABELS: Record<string, string> = {
  open: 'created',
  claim: 'claimed',
  resolve: 'resolved',
  bounce: 'bounced back',
  escalate_further: 'escalated further',
  auto_escalate: 'auto-escalated (unclaimed)',
  dismiss: 'closed as not an escalation',
  withdraw: 'withdrawn',
  remind: 'reminder sent',
  raise_priority: 'priority raised (overdue)',
  'systemic:join': 'another thread joined the cluster',
};

/** The stored action as words; actions added later show as they are stored rather than not at all. */
export function actionLabel(action: string): string {
  const known = ACTION_LABELS[action];
  if (known) return known;
  if (action.startsWith('refused_')) {
    const verb = ACTION_VERBS[action.slice('refused_'.length) as EscalationAction];
    return `refused: not allowed to ${verb ?? action.slice('refused_'.length)}`;
  }
  const evidence = /^evidence:([a-z_]+)(:raise_priority)?$/.exec(action);
  if (evidence) {
    const label = TRIGGER_LABELS[evidence[1] as Escalation['trigger']] ?? evidence[1];
    return evidence[2] ? `more evidence (${label}), priority raised` : `more evidence (${label})`;
  }
  return action.replace(/_/g, ' ');
}

/** A resolve stores `root_cause: note`; the history says the cause in words. */
function detailOf(event: EscalationEvent): string | null {
  if (event.action !== 'resolve' || !event.detail) return event.detail;
  const split = event.detail.indexOf(': ');
  const cause = split > 0 ? event.detail.slice(0, split) : '';
  const label = ROOT_CAUSE_LABELS[cause as keyof typeof ROOT_CAUSE_LABELS];
  return label ? `${label}: ${event.detail.slice(split + 2)}` : event.detail;
}
