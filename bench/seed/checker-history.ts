import type Database from 'better-sqlite3';
import type { EscalationPath } from '../../src/domain/policy.js';
import { bulkInserter } from './bulk-insert.js';
import {
  ESCALATION_COLUMNS,
  escalationRow,
  ISSUE_COLUMNS,
  issueRow,
  MESSAGE_COLUMNS,
  messageRow,
  seededId,
  TRIGGER_HIT_COLUMNS,
} from './rows.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A support history for the checker: `stored` issues in all, of which `deadlineDue` have a
 * deadline that passes in the hour before `end`, one after the other (`dueAt(k)` is the clock
 * at which exactly k of them are due), plus `pendingHits` trigger hits waiting for the tick.
 *
 * The deadline items rotate over everything the tick looks for: 4 in 10 issues past their first
 * response deadline, 2 in 10 issues past their resolution deadline, 2 in 10 cards unclaimed past
 * their level's ackWithin (they climb from L2 Tech to L3 Engineering), 2 in 10 claimed cards past
 * resolveWithin (their priority is raised). Every other issue is not due: 95% were resolved in the
 * two years before (one in ten escalated, its card resolved), 5% are still open with deadlines
 * in the days after `end` (so they sit in the checker's indexes, past the range it reads).
 * Open issues carry the customer's question and, once answered, a staff reply; resolved ones keep
 * no messages (the tick reads messages only for what it escalates).
 */
export interface CheckerHistory {
  stored: number;
  deadlineDue: number;
  pendingHits: number;
  /** The last deadline falls just before it. */
  end: Date;
  tech: EscalationPath;
}

export function dueAt(history: Pick<CheckerHistory, 'deadlineDue' | 'end'>, k: number): Date {
  return new Date(deadlineOf(history, k) - 1);
}

/** The deadline of the j-th due item (0-based); dueAt(k) = just before the k-th, so j < k are due. */
function deadlineOf(history: Pick<CheckerHistory, 'deadlineDue' | 'end'>, j: number): number {
  const step = Math.floor(HOUR / history.deadlineDue);
  return history.end.getTime() - HOUR + j * step;
}

export function seedCheckerHistory(db: Database.Database, history: CheckerHistory): void {
  const { stored, deadlineDue, pendingHits, tech } = history;
  const end = history.end.getTime();
  const snapshot = JSON.stringify(tech);
  const issues = bulkInserter(db, 'issues', ISSUE_COLUMNS);
  const messages = bulkInserter(db, 'messages', MESSAGE_COLUMNS);
  const escalations = bulkInserter(db, 'escalations', ESCALATION_COLUMNS);
  const hits = bulkInserter(db, 'trigger_hits', TRIGGER_HIT_COLUMNS);

  const notDue = stored - deadlineDue - pendingHits;
  if (notDue < 0) throw new Error(`${stored} issues cannot hold ${deadlineDue + pendingHits} due`);
  let number = 0;
  let escalationNumber = 0;
  const customerOf = (n: number) => `slack:UC${(n % 50_000).toString(36).toUpperCase()}`;
  const thread = (issueId: string, n: number, openedAt: number, answered: boolean) => {
    messages.add(
      messageRow({
        id: seededId('msg', openedAt, n * 2),
        issueId,
        messageId: `${Math.floor(openedAt / 1000)}.${String(n).padStart(7, '0')}`,
        authorId: customerOf(n),
        role: 'customer',
        text: 'Our invoice export fails with error E42 since this morning, can you help?',
        sentAt: openedAt,
      }),
    );
    if (!answered) return;
    messages.add(
      messageRow({
        id: seededId('msg', openedAt + MINUTE, n * 2 + 1),
        issueId,
        messageId: `${Math.floor((openedAt + MINUTE) / 1000)}.${String(n).padStart(7, '0')}r`,
        authorId: 'slack:U0AGENT',
        role: 'staff',
        text: 'Thanks, looking into it now. Which account is affected?',
        sentAt: openedAt + MINUTE,
      }),
    );
  };

  const historyFrom = end - 730 * DAY;
  const historyStep = (728 * DAY) / notDue;
  /** Resolved in the two years before; one in ten was escalated and its card resolved. */
  const resolved = (i: number) => {
    const openedAt = Math.floor(historyFrom + i * historyStep);
    const id = seededId('iss', openedAt, number);
    const escalated = i % 10 === 0;
    issues.add(
      issueRow({
        id,
        number,
        openedAt,
        status: 'resolved',
        customer: customerOf(number),
        firstResponseAt: openedAt + 20 * MINUTE,
        firstResponseDueAt: openedAt + 4 * HOUR,
        resolveDueAt: openedAt + 3 * DAY,
        lastResolvedAt: escalated ? openedAt + 6 * HOUR : null,
      }),
    );
    if (!escalated) return;
    escalationNumber += 1;
    const createdAt = openedAt + HOUR;
    escalations.add(
      escalationRow(
        {
          id: seededId('esc', createdAt, escalationNumber),
          number: escalationNumber,
          issueId: id,
          status: 'resolved',
          path: tech,
          level: 0,
          priority: 'P3',
          trigger: 'manual',
          createdAt,
          ackDueAt: createdAt + 30 * MINUTE,
          resolveDueAt: createdAt + 4 * HOUR,
          claimedAt: createdAt + 10 * MINUTE,
          resolvedAt: createdAt + 5 * HOUR,
          rootCause: 'system_issue',
        },
        snapshot,
      ),
    );
  };

  /** Opened in the last hours; a quarter escalated (card open, not yet due); deadlines in the days after `end`. */
  const openNotDue = (i: number) => {
    const openedAt = end - 2 * HOUR + (i % 3600) * 1000;
    const id = seededId('iss', openedAt, number);
    const escalated = i % 80 === 19;
    issues.add(
      issueRow({
        id,
        number,
        openedAt,
        status: escalated ? 'escalated' : 'open',
        customer: customerOf(number),
        firstResponseAt: escalated ? openedAt + 5 * MINUTE : null,
        firstResponseDueAt: end + HOUR + (i % (3 * DAY)),
        resolveDueAt: end + 3 * DAY + (i % DAY),
      }),
    );
    thread(id, number, openedAt, escalated);
    if (!escalated) return;
    escalationNumber += 1;
    escalations.add(
      escalationRow(
        {
          id: seededId('esc', openedAt + 10 * MINUTE, escalationNumber),
          number: escalationNumber,
          issueId: id,
          status: 'open',
          path: tech,
          level: 0,
          priority: 'P3',
          trigger: 'manual',
          createdAt: openedAt + 10 * MINUTE,
          ackDueAt: end + HOUR + (i % DAY),
          resolveDueAt: end + 4 * HOUR + (i % DAY),
        },
        snapshot,
      ),
    );
  };

  // Not due: 19 in 20 resolved in the two years before, 1 in 20 open with deadlines ahead.
  for (let i = 0; i < notDue; i++) {
    number += 1;
    if (i % 20 === 19) openNotDue(i);
    else resolved(i);
  }

  // Trigger hits the last messages produced: the tick escalates them whatever the clock says.
  for (let h = 0; h < pendingHits; h++) {
    number += 1;
    const openedAt = end - 3 * HOUR + h * 1000;
    const id = seededId('iss', openedAt, number);
    issues.add(
      issueRow({
        id,
        number,
        openedAt,
        status: 'open',
        customer: customerOf(number),
        firstResponseAt: openedAt + 5 * MINUTE,
        firstResponseDueAt: openedAt + 4 * HOUR,
        resolveDueAt: end + 3 * DAY,
      }),
    );
    thread(id, number, openedAt, true);
    hits.add({
      id: seededId('evt', end - HOUR, number),
      issue_id: id,
      kind: 'dissatisfaction',
      evidence: JSON.stringify({ summary: 'Churn threat: "cancel my account"', details: [] }),
      matched: JSON.stringify(['cancel my account']),
      created_at: end - HOUR,
    });
  }

  // The items whose deadlines pass one after the other in the last hour.
  for (let j = 0; j < deadlineDue; j++) {
    number += 1;
    const deadline = deadlineOf(history, j);
    const kind = j % 10;
    const openedAt = deadline - 4 * HOUR;
    const id = seededId('iss', openedAt, number);
    const firstResponseDue = kind < 4;
    const resolveDue = kind === 4 || kind === 5;
    const escalation = kind >= 6 ? (kind <= 7 ? 'unclaimed' : 'claimed') : null;
    issues.add(
      issueRow({
        id,
        number,
        openedAt,
        status: escalation ? 'escalated' : 'open',
        customer: customerOf(number),
        firstResponseAt: firstResponseDue ? null : openedAt + 5 * MINUTE,
        firstResponseDueAt: firstResponseDue ? deadline : openedAt + 4 * HOUR,
        resolveDueAt: resolveDue ? deadline : end + 3 * DAY,
      }),
    );
    thread(id, number, openedAt, !firstResponseDue);
    if (!escalation) continue;
    escalationNumber += 1;
    const createdAt = deadline - 30 * MINUTE;
    escalations.add(
      escalationRow(
        {
          id: seededId('esc', createdAt, escalationNumber),
          number: escalationNumber,
          issueId: id,
          status: escalation === 'claimed' ? 'claimed' : 'open',
          path: tech,
          level: 0,
          priority: 'P3',
          trigger: 'manual',
          createdAt,
          // Unclaimed: past ackWithin. Claimed: past resolveWithin (the ack no longer counts).
          ackDueAt: escalation === 'unclaimed' ? deadline : createdAt + 30 * MINUTE,
          resolveDueAt: escalation === 'claimed' ? deadline : end + 4 * HOUR,
          claimedAt: escalation === 'claimed' ? createdAt + 5 * MINUTE : null,
        },
        snapshot,
      ),
    );
  }
  for (const inserter of [issues, messages, escalations, hits]) inserter.flush();
}
