import { and, asc, count, eq, gte, lt, sql } from 'drizzle-orm';
import type { AnalyticsRepository } from '../../ports/analytics.js';
import { escalationFactFromRow } from '../shared/report-rows.js';
import { evidenceSummary, snapshotLevelName } from './escalation-json.js';
import type { PgDb } from './pg-db.js';
import { csatResponses, escalations, issues } from './schema.js';

/**
 * The digest's and the export's reads on PostgreSQL, as src/db/sqlite/analytics-repository.ts
 * (where the index each one starts from is explained): same rows, same order.
 */
export function createPgAnalyticsRepository(db: PgDb): AnalyticsRepository {
  return {
    async listEscalationFacts(from, to) {
      const rows = await db
        .select({
          id: escalations.id,
          number: escalations.number,
          issueId: escalations.issueId,
          issueNumber: issues.number,
          channel: issues.channel,
          threadId: issues.threadId,
          customerId: issues.customerId,
          type: escalations.type,
          path: escalations.path,
          level: escalations.level,
          levelName: snapshotLevelName,
          priority: escalations.priority,
          trigger: escalations.trigger,
          status: escalations.status,
          parentId: escalations.parentId,
          reescalationOf: escalations.reescalationOf,
          pingPong: escalations.pingPong,
          reasonCategory: escalations.reasonCategory,
          rootCause: escalations.rootCause,
          createdBy: escalations.createdBy,
          createdAt: escalations.createdAt,
          ackDueAt: escalations.ackDueAt,
          resolveDueAt: escalations.resolveDueAt,
          claimedBy: escalations.claimedBy,
          claimedAt: escalations.claimedAt,
          resolvedBy: escalations.resolvedBy,
          resolvedAt: escalations.resolvedAt,
          bouncedAt: escalations.bouncedAt,
          csatScore: csatResponses.score,
          evidenceSummary,
          systemicThreads:
            sql<number>`(select count(*) from systemic_members sm where sm.escalation_id = ${escalations.id})`.mapWith(
              Number,
            ),
        })
        .from(escalations)
        .innerJoin(issues, eq(issues.id, escalations.issueId))
        .leftJoin(csatResponses, eq(csatResponses.escalationId, escalations.id))
        .where(and(gte(escalations.createdAt, from), lt(escalations.createdAt, to)))
        .orderBy(asc(escalations.createdAt), asc(escalations.number));
      return rows.map(escalationFactFromRow);
    },

    async countIssues(from, to) {
      return (
        db
          .select({
            channel: issues.channel,
            path: issues.path,
            issues: count(),
            // The outer column is spelled out: drizzle leaves the columns of a one-table select unqualified.
            escalatedIssues:
              sql<number>`count(*) filter (where exists (select 1 from escalations e where e.issue_id = issues.id))`.mapWith(
                Number,
              ),
          })
          .from(issues)
          .where(and(gte(issues.openedAt, from), lt(issues.openedAt, to)))
          .groupBy(issues.channel, issues.path)
          // Byte order, as SQLite sorts text, whatever the database's collation.
          .orderBy(sql`${issues.channel} collate "C"`, sql`${issues.path} collate "C"`)
      );
    },

    async firstIssueOpenedAt() {
      const [row] = await db
        .select({ at: sql`min(${issues.openedAt})`.mapWith(issues.openedAt) })
        .from(issues);
      return row?.at ?? undefined;
    },
  };
}
