import type { EscalationStatus, TriggerKind } from '../../domain/escalation.js';
import type { PathType, Priority, RootCause } from '../../domain/policy.js';
import type { EscalationFact } from '../../ports/analytics.js';
import type { ActiveEscalation } from '../../ports/dashboard.js';

// The rows of the report queries as both databases return them: enums as text, the two JSON
// fields possibly missing. Only rows written through the repositories exist, so the casts hold.

/** The level's name from the escalation's path snapshot, or `Level 2` when the snapshot has none. */
export function levelNameOf(row: { level: number; levelName: string | null }): string {
  return row.levelName ?? `Level ${row.level + 1}`;
}

type TextColumns = 'type' | 'priority' | 'trigger' | 'status';
type FactRow = Omit<
  EscalationFact,
  TextColumns | 'reasonCategory' | 'rootCause' | 'levelName' | 'evidenceSummary'
> &
  Record<TextColumns, string> & {
    reasonCategory: string | null;
    rootCause: string | null;
    levelName: string | null;
    evidenceSummary: string | null;
  };

export function escalationFactFromRow(row: FactRow): EscalationFact {
  return {
    ...row,
    type: row.type as PathType,
    priority: row.priority as Priority,
    levelName: levelNameOf(row),
    trigger: row.trigger as TriggerKind,
    status: row.status as EscalationStatus,
    reasonCategory: row.reasonCategory as RootCause | null,
    rootCause: row.rootCause as RootCause | null,
    evidenceSummary: row.evidenceSummary ?? '',
  };
}

type ActiveRow = Omit<ActiveEscalation, 'status' | 'priority' | 'trigger' | 'levelName' | 'evidenceSummary'> &
  Record<'status' | 'priority' | 'trigger', string> & {
    levelName: string | null;
    evidenceSummary: string | null;
  };

export function activeEscalationFromRow(row: ActiveRow): ActiveEscalation {
  return {
    ...row,
    status: row.status as EscalationStatus,
    priority: row.priority as Priority,
    trigger: row.trigger as TriggerKind,
    levelName: levelNameOf(row),
    evidenceSummary: row.evidenceSummary ?? '',
  };
}
