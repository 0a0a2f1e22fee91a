import type { TriggerKind } from '../../domain/escalation.js';

/** Something a trigger of the replayed policy found, before it is placed on an escalation. */
export interface ReplayedHit {
  kind: TriggerKind;
  at: Date;
  /** What "once per issue" counts: the kind, or `sla_breach:first_response` / `sla_breach:resolve`. */
  firingKey: string;
  summary: string;
  details: string[];
  /** A systemic thread that joins the card of an earlier thread instead of opening its own. */
  joinsIssueNumber?: number;
}
