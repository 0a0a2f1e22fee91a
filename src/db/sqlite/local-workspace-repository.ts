import { and, asc, desc, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { LocalWorkspaceRepository } from '../../ports/local-workspace.js';
import { localMessageFromRow as fromRow, LOCAL_ROOTS_SHOWN } from '../shared/local-message-row.js';
import type { SqliteDb } from './repositories.js';
import { localMessages } from './schema.js';

/**
 * The simulated workspace's messages on SQLite. Rows with the same `created_at` (a test clock that
 * stands still) keep the order they were written in, by rowid.
 */
export function createLocalWorkspaceRepository(db: SqliteDb): LocalWorkspaceRepository {
  const t = localMessages;
  /** Ephemerals only for the person they are for; everything else for everyone. */
  const visibleTo = (viewer: string | undefined): SQL =>
    viewer === undefined
      ? sql`${t.kind} != 'ephemeral'`
      : (or(sql`${t.kind} != 'ephemeral'`, eq(t.visibleTo, viewer)) as SQL);

  return {
    async create(message) {
      return db.insert(t).values(message).onConflictDoNothing().run().changes === 1;
    },
    async get(id) {
      const row = db.select().from(t).where(eq(t.id, id)).get();
      return row && fromRow(row);
    },
    async updateCard(id, card, at) {
      const result = db
        .update(t)
        .set({ card, updatedAt: at })
        .where(and(eq(t.id, id), eq(t.kind, 'card')))
        .run();
      return result.changes === 1;
    },
    async listRoots(channel, viewer) {
      const replies = sql<number>`(
        select count(*) from local_messages r
        where r.channel = local_messages.channel and r.thread_id = local_messages.id
          and (r.kind != 'ephemeral' or r.visible_to = ${viewer ?? null}))`;
      const rows = db
        .select({ row: t, replyCount: replies })
        .from(t)
        .where(and(eq(t.channel, channel), isNull(t.threadId), visibleTo(viewer)))
        .orderBy(desc(t.createdAt), desc(sql`rowid`))
        .limit(LOCAL_ROOTS_SHOWN)
        .all();
      return rows
        .reverse()
        .map(({ row, replyCount }) => ({ ...fromRow(row), replyCount: Number(replyCount) }));
    },
    async listThread(channel, rootId, viewer) {
      const root = db
        .select()
        .from(t)
        .where(and(eq(t.id, rootId), eq(t.channel, channel), isNull(t.threadId), visibleTo(viewer)))
        .get();
      if (!root) return [];
      const replies = db
        .select()
        .from(t)
        .where(and(eq(t.channel, channel), eq(t.threadId, rootId), visibleTo(viewer)))
        .orderBy(asc(t.createdAt), asc(sql`rowid`))
        .all();
      return [root, ...replies].map(fromRow);
    },
    async findCsatPrompt(escalationId) {
      const row = db
        .select()
        .from(t)
        .where(and(eq(t.kind, 'csat'), sql`json_extract(${t.csat}, '$.escalationId') = ${escalationId}`))
        .get();
      return row && fromRow(row);
    },
  };
}
