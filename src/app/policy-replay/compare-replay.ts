import type { TriggerKind } from '../../domain/escalation.js';
import type { IssueReplay, ReplayedFiring } from './replay-policy.js';
import type { StoredFiring } from './replay-source.js';

/**
 * How the replay of one issue compares with what happened:
 * - `would_escalate_did_not`: the replayed policy fires, no trigger fired then;
 * - `escalated_would_not`: a trigger fired then, the replayed policy fires none;
 * - `different`: both fire, but a different trigger opens the escalation, it goes to another path
 *   or level, or the triggers that fire differ;
 * - `same`, and `neither` (only people escalated it, or nobody did).
 */
export type Verdict = 'would_escalate_did_not' | 'escalated_would_not' | 'different' | 'same' | 'neither';

/** The automatic triggers, in the order reports list them. */
export const REPLAYED_TRIGGERS: readonly TriggerKind[] = [
  'sla_breach',
  'manager_request',
  'high_value',
  'systemic',
  'legal',
  'dissatisfaction',
];

export function compareIssue(replayed: readonly ReplayedFiring[], stored: readonly StoredFiring[]): Verdict {
  // Firing keys, so a first-response breach and a resolution breach count apart.
  const now = new Set(stored.map((f) => f.firingKey));
  const then = new Set(replayed.map((f) => f.firingKey));
  if (then.size === 0) return now.size === 0 ? 'neither' : 'escalated_would_not';
  if (now.size === 0) return 'would_escalate_did_not';
  const sameKinds = now.size === then.size && [...now].every((kind) => then.has(kind));
  const opened = replayed.find((f) => f.opens);
  const storedOpened = storedOpener(stored);
  const sameOpening =
    opened?.kind === storedOpened?.kind &&
    opened?.path === storedOpened?.escalation?.path &&
    opened?.level === (storedOpened?.escalation ? storedOpened.escalation.level + 1 : undefined);
  return sameKinds && sameOpening ? 'same' : 'different';
}

/** The stored firing that opened an escalation of its own (not evidence added to another card). */
export function storedOpener(stored: readonly StoredFiring[]): StoredFiring | undefined {
  return stored.find((f) => !f.joinedSystemic && f.escalation?.trigger === f.kind);
}

/** Issues per trigger: as stored ("now"), as replayed, and the two differences. */
export interface TriggerCount {
  kind: TriggerKind;
  now: number;
  replayed: number;
  /** Issues where the replayed policy fires this trigger and it did not fire. */
  wouldNotDid: number;
  /** Issues where this trigger fired and the replayed policy does not fire it. */
  didWouldNot: number;
}

export function countPerTrigger(results: readonly IssueReplay[]): TriggerCount[] {
  return REPLAYED_TRIGGERS.map((kind) => {
    let now = 0;
    let replayed = 0;
    let wouldNotDid = 0;
    let didWouldNot = 0;
    for (const result of results) {
      const did = result.stored.some((f) => f.kind === kind);
      const would = result.replayed.some((f) => f.kind === kind);
      if (did) now += 1;
      if (would) replayed += 1;
      if (would && !did) wouldNotDid += 1;
      if (did && !would) didWouldNot += 1;
    }
    return { kind, now, replayed, wouldNotDid, didWouldNot };
  });
}
