import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { AnalyticsRepository } from '../../ports/analytics.js';
import { escalationFactFromRow } from '../shared/report-rows.js';
import type { SqliteDb } from './repositories.js';
import { csatResponses, escalations, issues } from './schema.js';

/**
 * The digest's and the export's reads. Each is one statement that starts with a range read on a
 * timestamp index (escalations_created_idx, issues_opened_idx); everything else it touches is a
 * primary-key or unique-index lookup per row of that range, so a report costs what its period holds.
 */
export function createAnalyticsRepository(db: SqliteDb): AnalyticsRepository {
  return {
    async listEscalationFacts(from, to) {
      const rows = db
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
          // The level's name as the path snapshot had it when the escalation started.
          levelName: sql<
            string | null
          >`json_extract(${escalations.pathSnapshot}, '$.levels[' || ${escalations.level} || '].name')`,
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
          evidenceSummary: sql<string | null>`json_extract(${escalations.evidence}, '$.summary')`,
          // One lookup per row on systemic_members_uq (escalation_id, issue_id); 0 for other triggers.
          systemicThreads: sql<number>`(select count(*) from systemic_members sm where sm.escalation_id = escalations.id)`,
        })
        .from(escalations)
        .innerJoin(issues, eq(issues.id, escalations.issueId))
        .leftJoin(csatResponses, eq(csatResponses.escalationId, escalations.id))
        .where(and(gte(escalations.createdAt, from), lt(escalations.createdAt, to)))
        .orderBy(asc(escalations.createdAt), asc(escalations.number))
        .all();
      return rows.map(escalationFactFromRow);
    },

    async countIssues(from, to) {
      return db
        .select({
          channel: issues.channel,
          path: issues.path,
          issues: sql<number>`count(*)`,
          // Served by escalations_issue_idx (issue_id, created_at): one index probe per issue. The
          // outer column is spelled out: drizzle drops the table name of columns in a one-table
          // select, and a bare "id" would bind to the subquery's escalations.
          escalatedIssues: sql<number>`sum(exists (select 1 from escalations e where e.issue_id = issues.id))`,
        })
        .from(issues)
        .where(and(gte(issues.openedAt, from), lt(issues.openedAt, to)))
        .groupBy(issues.channel, issues.path)
        .orderBy(asc(issues.channel), asc(issues.path))
        .all();
    },

    async firstIssueOpenedAt() {
      // min() over issues_opened_idx reads one index entry.
      const row = db
        .select({ at: sql<number | null>`min(${issues.openedAt})` })
        .from(issues)
        .get();
      return row?.at == null ? undefined : new Date(row.at);
    },
  };
}
