import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { DashboardRepository } from '../../ports/dashboard.js';
import { activeEscalationFromRow } from '../shared/report-rows.js';
import type { SqliteDb } from './repositories.js';
import { escalations, issues } from './schema.js';

/** The deadline running now: claim while open (resolve when the level has no claim deadline), resolve once claimed. */
const runningDeadline = sql`case when ${escalations.status} = 'open'
  then coalesce(${escalations.ackDueAt}, ${escalations.resolveDueAt})
  else ${escalations.resolveDueAt} end`;

/**
 * The dashboard's query, built but not run, so a test can read SQLite's plan for exactly it.
 * `status in ('open', 'claimed')` is two seeks on escalations_ack_due_idx (status, ack_due_at) or a
 * read of the partial escalations_one_active_uq: either way only active rows; the issue is one
 * primary-key lookup per row, and the sort is over the active rows alone.
 */
export function activeEscalationsQuery(db: SqliteDb, limit: number) {
  return db
    .select({
      id: escalations.id,
      number: escalations.number,
      issueId: escalations.issueId,
      status: escalations.status,
      path: escalations.path,
      level: escalations.level,
      priority: escalations.priority,
      trigger: escalations.trigger,
      reason: escalations.reason,
      parentId: escalations.parentId,
      createdBy: escalations.createdBy,
      createdAt: escalations.createdAt,
      ackDueAt: escalations.ackDueAt,
      resolveDueAt: escalations.resolveDueAt,
      claimedBy: escalations.claimedBy,
      claimedAt: escalations.claimedAt,
      pingPong: escalations.pingPong,
      issueNumber: issues.number,
      channel: issues.channel,
      threadId: issues.threadId,
      levelName: sql<
        string | null
      >`json_extract(${escalations.pathSnapshot}, '$.levels[' || ${escalations.level} || '].name')`,
      evidenceSummary: sql<string | null>`json_extract(${escalations.evidence}, '$.summary')`,
    })
    .from(escalations)
    .innerJoin(issues, eq(issues.id, escalations.issueId))
    .where(inArray(escalations.status, ['open', 'claimed']))
    .orderBy(sql`${runningDeadline} is null`, runningDeadline, asc(escalations.number))
    .limit(limit);
}

/** The dashboard's reads over SQLite (see `DashboardRepository`). */
export function createDashboardRepository(db: SqliteDb): DashboardRepository {
  return {
    async listActive(limit) {
      return activeEscalationsQuery(db, limit).all().map(activeEscalationFromRow);
    },
  };
}
