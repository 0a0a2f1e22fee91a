import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { DashboardRepository } from '../../ports/dashboard.js';
import { activeEscalationFromRow } from '../shared/report-rows.js';
import { evidenceSummary, snapshotLevelName } from './escalation-json.js';
import type { PgDb } from './pg-db.js';
import { escalations, issues } from './schema.js';

/** The deadline running now: claim while open (resolve when the level has no claim deadline), resolve once claimed. */
const runningDeadline = sql`case when ${escalations.status} = 'open'
  then coalesce(${escalations.ackDueAt}, ${escalations.resolveDueAt})
  else ${escalations.resolveDueAt} end`;

/**
 * The dashboard's reads on PostgreSQL, as src/db/sqlite/dashboard-repository.ts: only the active
 * rows (escalations_ack_due_idx or escalations_one_active_uq), none-running deadlines last.
 */
export function createPgDashboardRepository(db: PgDb): DashboardRepository {
  return {
    async listActive(limit) {
      const rows = await db
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
          levelName: snapshotLevelName,
          evidenceSummary,
        })
        .from(escalations)
        .innerJoin(issues, eq(issues.id, escalations.issueId))
        .where(inArray(escalations.status, ['open', 'claimed']))
        // `is null` first: false sorts before true, so rows with no running deadline come last.
        .orderBy(sql`${runningDeadline} is null`, runningDeadline, asc(escalations.number))
        .limit(limit);
      return rows.map(activeEscalationFromRow);
    },
  };
}
