import { and, asc, desc, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { LocalWorkspaceRepository } from '../../ports/local-workspace.js';
import { localMessageFromRow as fromRow, LOCAL_ROOTS_SHOWN } from '../shared/local-message-row.js';
import type { PgDb } from './pg-db.js';
import { localMessages } from './schema.js';

/**
 * The simulated workspace's messages on PostgreSQL, as src/db/sqlite/local-workspace-repository.ts.
 * Rows with the same `created_at` (a test clock that stands still) keep the order they were
 * written in, by `insert_order` where SQLite uses its rowid.
 */
export function createPgLocalWorkspaceRepository(db: PgDb): LocalWorkspaceRepository {
  const t = localMessages;
  /** Ephemerals only for the person they are for; everything else for everyone. */
  const visibleTo = (viewer: string | undefined): SQL =>
    viewer === undefined
      ? sql`${t.kind} != 'ephemeral'`
      : (or(sql`${t.kind} != 'ephemeral'`, eq(t.visibleTo, viewer)) as SQL);

  return {
    async create(message) {
      const created = await db.insert(t).values(message).onConflictDoNothing().returning({ id: t.id });
      return created.length === 1;
    },
    async get(id) {
      const [row] = await db.select().from(t).where(eq(t.id, id));
      return row && fromRow(row);
    },
    async updateCard(id, card, at) {
      const updated = await db
        .update(t)
        .set({ card, updatedAt: at })
        .where(and(eq(t.id, id), eq(t.kind, 'card')));
      return updated.rowCount === 1;
    },
    async listRoots(channel, viewer) {
      // The outer columns are spelled out: drizzle leaves the columns of a one-table select unqualified.
      const replies = sql<number>`(
        select count(*) from local_messages r
        where r.channel = local_messages.channel and r.thread_id = local_messages.id
          and (r.kind != 'ephemeral' or r.visible_to = ${viewer ?? null}))`.mapWith(Number);
      const rows = await db
        .select({ row: t, replyCount: replies })
        .from(t)
        .where(and(eq(t.channel, channel), isNull(t.threadId), visibleTo(viewer)))
        .orderBy(desc(t.createdAt), desc(t.insertOrder))
        .limit(LOCAL_ROOTS_SHOWN);
      return rows.reverse().map(({ row, replyCount }) => ({ ...fromRow(row), replyCount }));
    },
    async listThread(channel, rootId, viewer) {
      const [root] = await db
        .select()
        .from(t)
        .where(and(eq(t.id, rootId), eq(t.channel, channel), isNull(t.threadId), visibleTo(viewer)));
      if (!root) return [];
      const replies = await db
        .select()
        .from(t)
        .where(and(eq(t.channel, channel), eq(t.threadId, rootId), visibleTo(viewer)))
        .orderBy(asc(t.createdAt), asc(t.insertOrder));
      return [root, ...replies].map(fromRow);
    },
    async findCsatPrompt(escalationId) {
      const [row] = await db
        .select()
        .from(t)
        .where(and(eq(t.kind, 'csat'), sql`(${t.csat})::json ->> 'escalationId' = ${escalationId}`))
        .limit(1);
      return row && fromRow(row);
    },
  };
}
