/**
 * Escalations as CSV for spreadsheets and BI tools: one row per escalation step (each level an
 * escalation visited is a row of its own, tied together by `parent_escalation_id`), with its issue,
 * path, level, trigger, timings, status, root cause and CSAT answer.
 *
 * Timestamps are ISO 8601 in UTC (`2026-11-03T14:05:00.000Z`) so every tool parses them the same
 * way; `created_local_date` adds the policy-time-zone date of creation for grouping by day. Absent
 * values are empty fields.
 */
import { localDateOf } from '../../domain/sla-clock.js';
import type { EscalationFact } from '../../ports/analytics.js';
import { csvRecord, guardFormula } from './csv-writer.js';

export interface EscalationCsvOptions {
  /** The policy time zone (IANA), for `created_local_date`. */
  timeZone: string;
}

/** What a column holds before it becomes text: strings are free text, the rest is formatted here. */
type Cell = string | number | boolean | Date | null;

interface Column {
  header: string;
  cell(fact: EscalationFact, options: EscalationCsvOptions): Cell;
}

const MINUTE_MS = 60_000;

/** Minutes from `from` to `to`, to a tenth; null when `to` never happened. */
function minutesBetween(from: Date, to: Date | null): number | null {
  return to ? Math.round((to.getTime() - from.getTime()) / (MINUTE_MS / 10)) / 10 : null;
}

const COLUMNS: readonly Column[] = [
  { header: 'escalation', cell: (f) => f.number },
  { header: 'escalation_id', cell: (f) => f.id },
  { header: 'issue', cell: (f) => f.issueNumber },
  { header: 'issue_id', cell: (f) => f.issueId },
  { header: 'support_channel', cell: (f) => f.channel },
  { header: 'thread_id', cell: (f) => f.threadId },
  { header: 'customer', cell: (f) => f.customerId },
  { header: 'type', cell: (f) => f.type },
  { header: 'path', cell: (f) => f.path },
  // People count levels from 1 ("L1", "second level"); the database counts from 0.
  { header: 'level', cell: (f) => f.level + 1 },
  { header: 'level_name', cell: (f) => f.levelName },
  { header: 'priority', cell: (f) => f.priority },
  { header: 'trigger', cell: (f) => f.trigger },
  { header: 'status', cell: (f) => f.status },
  { header: 'parent_escalation_id', cell: (f) => f.parentId },
  { header: 'reescalation_of_id', cell: (f) => f.reescalationOf },
  { header: 'ping_pong', cell: (f) => f.pingPong },
  { header: 'reason_category', cell: (f) => f.reasonCategory },
  { header: 'root_cause', cell: (f) => f.rootCause },
  { header: 'created_by', cell: (f) => f.createdBy },
  { header: 'created_at', cell: (f) => f.createdAt },
  { header: 'created_local_date', cell: (f, o) => localDateOf(f.createdAt, o.timeZone) },
  { header: 'ack_due_at', cell: (f) => f.ackDueAt },
  { header: 'claimed_by', cell: (f) => f.claimedBy },
  { header: 'claimed_at', cell: (f) => f.claimedAt },
  { header: 'minutes_to_claim', cell: (f) => minutesBetween(f.createdAt, f.claimedAt) },
  { header: 'resolve_due_at', cell: (f) => f.resolveDueAt },
  { header: 'resolved_by', cell: (f) => f.resolvedBy },
  { header: 'resolved_at', cell: (f) => f.resolvedAt },
  { header: 'minutes_to_resolve', cell: (f) => minutesBetween(f.createdAt, f.resolvedAt) },
  { header: 'bounced_at', cell: (f) => f.bouncedAt },
  { header: 'csat', cell: (f) => f.csatScore },
  { header: 'why', cell: (f) => f.evidenceSummary },
  { header: 'systemic_threads', cell: (f) => f.systemicThreads },
];

/** The header row, in column order. */
export const ESCALATION_CSV_HEADERS: readonly string[] = COLUMNS.map((column) => column.header);

function text(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'string') return guardFormula(cell);
  return String(cell);
}

/** The CSV line by line (header first, each with its CRLF), for writing to a stream as it is built. */
export function* escalationCsvLines(
  facts: Iterable<EscalationFact>,
  options: EscalationCsvOptions,
): Generator<string> {
  yield csvRecord(ESCALATION_CSV_HEADERS);
  for (const fact of facts) yield csvRecord(COLUMNS.map((column) => text(column.cell(fact, options))));
}

/** The whole CSV as one string. */
export function escalationsCsv(facts: Iterable<EscalationFact>, options: EscalationCsvOptions): string {
  return [...escalationCsvLines(facts, options)].join('');
}
