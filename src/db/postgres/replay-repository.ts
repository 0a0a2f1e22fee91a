/**
 * The reads of `npm run policy:replay` on PostgreSQL, as src/db/sqlite/replay-repository.ts (where
 * the indexes each read starts from are explained). The replay must never write to the production
 * database it reads: its one connection makes every transaction read-only
 * (`default_transaction_read_only`), and all three reads run inside one read-only transaction, so
 * they also see the same snapshot while Escalator keeps writing.
 */
import { and, asc, eq, gte, isNull, lt } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import {
  type ReplayReader,
  replayIssuesFrom,
  storedEscalationFromRow,
  storedFiringsFrom,
} from '../shared/replay-rows.js';
import { snapshotLevelName } from './escalation-json.js';
import { PG_MIGRATIONS_FOLDER } from './open-postgres-store.js';
import { parsePostgresUrl } from './postgres-url.js';
import { checkPgReadiness } from './readiness.js';
import * as schema from './schema.js';

/**
 * Connects read-only and checks that the migrations are applied, since a read-only connection
 * cannot apply them. Throws an Error that says what to do.
 */
export async function openPgReplayReader(databaseUrl: string): Promise<ReplayReader> {
  const { connectionString } = parsePostgresUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionString,
    max: 1,
    application_name: 'escalator-policy-replay',
    options: '-c default_transaction_read_only=on',
  });
  let client: pg.PoolClient | undefined;
  try {
    const readiness = await checkPgReadiness(pool, PG_MIGRATIONS_FOLDER);
    if (!readiness.ready) {
      const detail = readiness.checks.database.detail ?? readiness.checks.migrations.detail;
      throw new Error(
        `The database at ${describe(connectionString)} cannot be replayed (${detail}): start Escalator on it once (npm start) so it applies its migrations, then run the replay again.`,
      );
    }
    client = await pool.connect();
    await client.query('begin transaction isolation level repeatable read read only');
  } catch (error) {
    client?.release();
    await pool.end();
    throw error;
  }
  const connection = client;
  const db = drizzle(connection, { schema });

  const { issues, messages, people, escalations, escalationEvents, triggerFirings } = schema;
  const openedIn = (from: Date, to: Date) => and(gte(issues.openedAt, from), lt(issues.openedAt, to));
  const escalationColumns = {
    issueId: escalations.issueId,
    number: escalations.number,
    trigger: escalations.trigger,
    path: escalations.path,
    level: escalations.level,
    levelName: snapshotLevelName,
    priority: escalations.priority,
    createdAt: escalations.createdAt,
  };

  return {
    async listIssuesOpened(from, to) {
      const issueRows = await db
        .select()
        .from(issues)
        .where(openedIn(from, to))
        .orderBy(asc(issues.openedAt), asc(issues.number));
      const messageRows = await db
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
        .orderBy(asc(messages.issueId), asc(messages.sentAt));
      return replayIssuesFrom(issueRows, messageRows);
    },

    async listStoredFirings(from, to) {
      const firings = await db
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
        .orderBy(asc(triggerFirings.firedAt));
      // A systemic thread that joined another issue's card records no firing, only this audit event.
      const joins = await db
        .select({ issue: escalationEvents.detail, at: escalationEvents.at, ...escalationColumns })
        .from(escalationEvents)
        .innerJoin(escalations, eq(escalations.id, escalationEvents.escalationId))
        .innerJoin(issues, eq(issues.id, escalationEvents.detail))
        .where(and(eq(escalationEvents.action, 'systemic:join'), openedIn(from, to)))
        .orderBy(asc(escalationEvents.at));
      return storedFiringsFrom(firings, joins);
    },

    async listManualEscalations(from, to) {
      const rows = await db
        .select(escalationColumns)
        .from(escalations)
        .innerJoin(issues, eq(issues.id, escalations.issueId))
        .where(and(openedIn(from, to), eq(escalations.trigger, 'manual'), isNull(escalations.parentId)))
        .orderBy(asc(escalations.createdAt));
      return rows.map(storedEscalationFromRow);
    },

    async close() {
      try {
        await connection.query('rollback');
      } finally {
        connection.release();
        await pool.end();
      }
    },
  };
}

/** The database's host and name, without the password a URL may carry. */
function describe(connectionString: string): string {
  const url = new URL(connectionString);
  return `${url.host}${url.pathname}`;
}
