/**
 * The reads of `npm run policy:replay`, on a connection of their own opened read-only: SQLite
 * itself refuses any write, so the replay is safe against a production database while Escalator
 * runs on it. Each read starts with a range read on issues_opened_idx; the rest are index lookups.
 */
import Database from 'better-sqlite3';
import { and, asc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import {
  type ReplayReader,
  replayIssuesFrom,
  storedEscalationFromRow,
  storedFiringsFrom,
} from '../shared/replay-rows.js';
import { MIGRATIONS_FOLDER, sqlitePathOf } from './open-sqlite-store.js';
import { checkReadiness } from './readiness.js';
import * as schema from './schema.js';

/**
 * Opens the database file read-only (it must exist) and checks that its migrations are applied,
 * since a read-only connection cannot apply them. Throws an Error that says what to do.
 */
export function openReplayReader(databaseUrl: string): ReplayReader {
  const path = sqlitePathOf(databaseUrl);
  const connection = new Database(path, { readonly: true, fileMustExist: true });
  connection.pragma('busy_timeout = 5000');
  const readiness = checkReadiness({ connection, path, migrationsFolder: MIGRATIONS_FOLDER });
  if (!readiness.ready) {
    connection.close();
    const detail = readiness.checks.database.detail ?? readiness.checks.migrations.detail;
    throw new Error(
      `The database at ${path} cannot be replayed (${detail}): start Escalator on it once (npm start) so it applies its migrations, then run the replay again.`,
    );
  }
  const db = drizzle(connection, { schema });
  const { issues, messages, people, escalations, escalationEvents, triggerFirings } = schema;
  const openedIn = (from: Date, to: Date) => and(gte(issues.openedAt, from), lt(issues.openedAt, to));
  const levelName = sql<
    string | null
  >`json_extract(${escalations.pathSnapshot}, '$.levels[' || ${escalations.level} || '].name')`;
  const escalationColumns = {
    issueId: escalations.issueId,
    number: escalations.number,
    trigger: escalations.trigger,
    path: escalations.path,
    level: escalations.level,
    levelName,
    priority: escalations.priority,
    createdAt: escalations.createdAt,
  };

  return {
    async listIssuesOpened(from, to) {
      const issueRows = db
        .select()
        .from(issues)
        .where(openedIn(from, to))
        .orderBy(asc(issues.openedAt), asc(issues.number))
        .all();
      const messageRows = db
        .select({
          issueId: messages.issueId,
          authorId: messages.authorId,
          authorRole: messages.authorRole,
          authorEmail: people.email,
          text: messages.text,
          sentAt: messages.sentAt,
          deletedAt: messages.deletedAt,
          textPurgedAt: messages.textPurgedAt,
        })
        .from(messages)
        .innerJoin(issues, eq(issues.id, messages.issueId))
        .leftJoin(people, eq(people.id, messages.authorId))
        .where(openedIn(from, to))
        .orderBy(asc(messages.issueId), asc(messages.sentAt))
        .all();
      return replayIssuesFrom(issueRows, messageRows);
    },

    async listStoredFirings(from, to) {
      const firings = db
        .select({
          kind: triggerFirings.kind,
          firedAt: triggerFirings.firedAt,
          issue: triggerFirings.issueId,
          ...escalationColumns,
        })
        .from(triggerFirings)
        .innerJoin(issues, eq(issues.id, triggerFirings.issueId))
        .leftJoin(escalations, eq(escalations.id, triggerFirings.escalationId))
        .where(openedIn(from, to))
        .orderBy(asc(triggerFirings.firedAt))
        .all();
      // A systemic thread that joined another issue's card records no firing, only this audit event.
      const joins = db
        .select({ issue: escalationEvents.detail, at: escalationEvents.at, ...escalationColumns })
        .from(escalationEvents)
        .innerJoin(escalations, eq(escalations.id, escalationEvents.escalationId))
        .innerJoin(issues, eq(issues.id, escalationEvents.detail))
        .where(and(eq(escalationEvents.action, 'systemic:join'), openedIn(from, to)))
        .orderBy(asc(escalationEvents.at))
        .all();
      return storedFiringsFrom(firings, joins);
    },

    async listManualEscalations(from, to) {
      return db
        .select(escalationColumns)
        .from(escalations)
        .innerJoin(issues, eq(issues.id, escalations.issueId))
        .where(and(openedIn(from, to), eq(escalations.trigger, 'manual'), isNull(escalations.parentId)))
        .orderBy(asc(escalations.createdAt))
        .all()
        .map(storedEscalationFromRow);
    },

    async close() {
      connection.close();
    },
  };
}
