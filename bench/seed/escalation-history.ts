import type Database from 'better-sqlite3';
import type { EscalationPath } from '../../src/domain/policy.js';
import { bulkInserter } from './bulk-insert.js';
import {
  CSAT_COLUMNS,
  ESCALATION_COLUMNS,
  escalationRow,
  ISSUE_COLUMNS,
  issueRow,
  type SeededEscalation,
  seededId,
} from './rows.js';
import { seededRandom } from './seeded-random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Years of escalations for the digest: `steps` escalation rows (every step on every level, as the
 * digest counts them) over as many issues. 7 in 10 issues were escalated: 4 of those 7 once, 3 climbed
 * a level (two steps: the first superseded, the second on level 2). Spread evenly over [from, to),
 * one issue every ~minute for 1M over two years, plus, when `incident` is given, that share of
 * them crowded into its window (an outage week).
 *
 * Outcomes of the last step: 85% resolved (with a root cause; 3 in 10 with a CSAT answer), 5%
 * bounced, 3% withdrawn, 3% dismissed, the rest resolved too; steps of the last two days are still
 * open or claimed. Triggers: 60% manual, 15% SLA breach, 9% dissatisfaction, 5% manager request,
 * 5% high value, 3% legal, 3% systemic (each standing for three threads). Paths: 3 in 4 tech, the
 * rest management; priorities P3 60%, P2 25%, P1 10%, P4 5%.
 */
export interface EscalationHistory {
  /** A multiple of 10. */
  steps: number;
  from: Date;
  to: Date;
  incident?: { from: Date; to: Date; share: number };
  paths: { tech: EscalationPath; management: EscalationPath };
}

const TRIGGERS: Array<[string, number]> = [
  ['manual', 0.6],
  ['sla_breach', 0.15],
  ['dissatisfaction', 0.09],
  ['manager_request', 0.05],
  ['high_value', 0.05],
  ['legal', 0.03],
  ['systemic', 0.03],
];
const PRIORITIES: Array<[string, number]> = [
  ['P3', 0.6],
  ['P2', 0.25],
  ['P1', 0.1],
  ['P4', 0.05],
];
const ROOT_CAUSES = ['knowledge_gap', 'authority_gap', 'system_issue', 'customer_request', 'other'];

export function seedEscalationHistory(db: Database.Database, history: EscalationHistory): void {
  const random = seededRandom(42);
  const issues = bulkInserter(db, 'issues', ISSUE_COLUMNS);
  const escalations = bulkInserter(db, 'escalations', ESCALATION_COLUMNS);
  const csat = bulkInserter(db, 'csat_responses', CSAT_COLUMNS);
  const members = bulkInserter(db, 'systemic_members', ['escalation_id', 'issue_id', 'joined_at']);
  const snapshots = {
    tech: { path: history.paths.tech, json: JSON.stringify(history.paths.tech) },
    management: { path: history.paths.management, json: JSON.stringify(history.paths.management) },
  };
  const to = history.to.getTime();
  const incidentShare = history.incident?.share ?? 0;
  // Issues = steps: 7 in 10 issues escalated, 3 of them with a second step (0.7 + 0.3 = 1 step per issue).
  const total = history.steps;
  const spread = Math.round(total * (1 - incidentShare));
  const openedAtOf = (k: number) => {
    const [from, end, i, n] =
      k < spread
        ? [history.from.getTime(), to, k, spread]
        : [history.incident!.from.getTime(), history.incident!.to.getTime(), k - spread, total - spread];
    return Math.floor(from + ((end - from) * (i + 0.5)) / n);
  };
  const issueIds: string[] = [];
  let stepNumber = 0;

  for (let k = 0; k < total; k++) {
    const number = k + 1;
    const openedAt = openedAtOf(k);
    const issueId = seededId('iss', openedAt, number);
    issueIds.push(issueId);
    const customer = `slack:UC${(k % 40_000).toString(36).toUpperCase()}`;
    // By position rather than chance, so every ten issues hold exactly ten steps.
    const escalated = k % 10 < 7;
    if (!escalated) {
      issues.add(issueRow(settledIssue(issueId, number, openedAt, customer, null)));
      continue;
    }
    const twoSteps = k % 10 < 3;
    const { path, json } = random() < 0.75 ? snapshots.tech : snapshots.management;
    const priority = pick(PRIORITIES, random());
    const trigger = pick(TRIGGERS, random());
    const first = openedAt + Math.floor(20 * MINUTE + random() * 100 * MINUTE);
    const stepsOfIssue: SeededEscalation[] = [];
    const step = (level: number, createdAt: number, parentId: string | null): SeededEscalation => {
      stepNumber += 1;
      const levelDef = path.levels[level]!;
      return {
        id: seededId('esc', createdAt, stepNumber),
        number: stepNumber,
        issueId,
        status: 'open',
        path,
        level,
        priority,
        trigger,
        createdAt,
        ackDueAt: levelDef.ackWithinMs ? createdAt + levelDef.ackWithinMs : null,
        resolveDueAt: levelDef.resolveWithinMs ? createdAt + levelDef.resolveWithinMs : null,
        parentId,
        reasonCategory: ROOT_CAUSES[Math.floor(random() * ROOT_CAUSES.length)]!,
        evidenceSummary:
          trigger === 'systemic' ? '3 customers report a similar problem within 1h' : `${trigger} escalation`,
      };
    };
    const firstStep = step(0, first, null);
    stepsOfIssue.push(firstStep);
    let last = firstStep;
    if (twoSteps) {
      // Nobody claimed it in time: the ladder climbed (or someone escalated further).
      const climbedAt = firstStep.ackDueAt ?? first + 30 * MINUTE;
      last = step(1, climbedAt, firstStep.id);
      firstStep.status = 'superseded';
      firstStep.supersededBy = last.id;
      firstStep.updatedAt = climbedAt;
      stepsOfIssue.push(last);
    }
    const outcome = finish(last, to, random);
    for (const e of stepsOfIssue) escalations.add(escalationRow(e, json));
    if (trigger === 'systemic') {
      const cluster = new Set([issueId, ...issueIds.slice(-3, -1)]);
      for (const member of cluster) {
        for (const e of stepsOfIssue)
          members.add({ escalation_id: e.id, issue_id: member, joined_at: e.createdAt });
      }
    }
    if (last.status === 'resolved' && random() < 0.3) {
      csat.add({
        id: seededId('evt', last.resolvedAt!, stepNumber),
        escalation_id: last.id,
        issue_id: issueId,
        score: 1 + Math.floor(random() * 5),
        respondent: customer,
        at: last.resolvedAt! + HOUR,
      });
    }
    issues.add(issueRow(settledIssue(issueId, number, openedAt, customer, outcome)));
  }
  for (const inserter of [issues, escalations, csat, members]) inserter.flush();
  if (escalations.count !== total) throw new Error(`seeded ${escalations.count} escalations, not ${total}`);
}

/** Sets how the last step ended (or that it is still going, near `to`); returns the issue's state. */
function finish(
  e: SeededEscalation,
  to: number,
  random: () => number,
): { status: 'resolved' | 'escalated'; resolvedAt: number | null } {
  const r = random();
  if (e.createdAt > to - 2 * 24 * HOUR) {
    e.status = r < 0.5 ? 'open' : 'claimed';
    if (e.status === 'claimed') {
      e.claimedAt = e.createdAt + 10 * MINUTE;
      e.claimedBy = 'slack:U0SPEC';
    }
    return { status: 'escalated', resolvedAt: null };
  }
  if (r < 0.05) {
    e.status = 'bounced';
    e.claimedAt = e.createdAt + 15 * MINUTE;
    e.bouncedAt = e.claimedAt + 20 * MINUTE;
    e.pingPong = random() < 0.1;
    return { status: 'resolved', resolvedAt: null };
  }
  if (r < 0.08) {
    e.status = 'withdrawn';
    return { status: 'resolved', resolvedAt: null };
  }
  if (r < 0.11 && e.trigger !== 'manual') {
    e.status = 'dismissed';
    return { status: 'resolved', resolvedAt: null };
  }
  e.status = 'resolved';
  e.claimedAt = e.createdAt + Math.floor(2 * MINUTE + random() * 60 * MINUTE);
  e.resolvedAt = e.claimedAt + Math.floor(30 * MINUTE + random() * 8 * HOUR);
  e.rootCause = ROOT_CAUSES[Math.floor(random() * ROOT_CAUSES.length)]!;
  return { status: 'resolved', resolvedAt: e.resolvedAt };
}

function settledIssue(
  id: string,
  number: number,
  openedAt: number,
  customer: string,
  escalation: { status: 'resolved' | 'escalated'; resolvedAt: number | null } | null,
) {
  return {
    id,
    number,
    openedAt,
    status: escalation?.status ?? ('resolved' as const),
    customer,
    firstResponseAt: openedAt + 10 * MINUTE,
    firstResponseDueAt: openedAt + 4 * HOUR,
    resolveDueAt: openedAt + 72 * HOUR,
    lastResolvedAt: escalation?.resolvedAt ?? null,
  };
}

function pick(weights: Array<[string, number]>, r: number): string {
  let sum = 0;
  for (const [value, weight] of weights) {
    sum += weight;
    if (r < sum) return value;
  }
  return weights.at(-1)![0];
}
