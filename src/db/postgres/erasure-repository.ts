import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { ErasureRepository, StoredText } from '../../ports/data-protection.js';
import { escalationFromRow } from '../sqlite/row-mapping.js';
import type { PgDb } from './pg-db.js';
import {
  escalations,
  issues,
  localMessages,
  messages,
  outbox,
  people,
  systemicMembers,
  triggerHits,
} from './schema.js';

/** Drizzle's own bookkeeping (its migrations table lives in its own schema, but a setting may move it). */
const INTERNAL_TABLE = /^__drizzle/;

/** `column` is one of `values`: one array parameter, however many values (no chunks as on SQLite). */
const isAnyOf = (column: PgColumn | SQL, values: readonly string[]): SQL =>
  sql`${column} = any(${sql.param(values)}::text[])`;

/**
 * Erasing one person on PostgreSQL, as src/db/sqlite/erasure-repository.ts (whose comments say why
 * these statements may read whole tables).
 *
 * PostgreSQL has no rowid: a found row is addressed by its ctid (its place in the table), which
 * stays put for the rest of the transaction because `findTexts` locks the rows it returns. Writing
 * a row moves it, so `rewriteText` remembers where each row it wrote went: a row with two matching
 * columns (created and claimed by the same person) is found once per column and written twice.
 * Run `findTexts` and the rewrites in one transaction, as `erasePerson` does.
 */
export function createPgErasureRepository(db: PgDb): ErasureRepository {
  /** `table:row` as `findTexts` returned it → where that row is now. */
  let moved = new Map<string, number>();

  return {
    async issuesOf(personId) {
      const found = new Map<string, boolean>();
      const note = (issueId: string, asCustomer: boolean) =>
        found.set(issueId, (found.get(issueId) ?? false) || asCustomer);
      const opened = await db
        .select({ id: issues.id, customerId: issues.customerId })
        .from(issues)
        .where(or(eq(issues.customerId, personId), eq(issues.openedBy, personId)));
      for (const row of opened) note(row.id, row.customerId === personId);
      const wroteIn = await db
        .selectDistinct({ issueId: messages.issueId, role: messages.authorRole })
        .from(messages)
        .where(eq(messages.authorId, personId));
      for (const row of wroteIn) note(row.issueId, row.role === 'customer');
      return [...found].map(([issueId, asCustomer]) => ({ issueId, asCustomer }));
    },

    async listEscalationsOf(issueIds) {
      if (issueIds.length === 0) return [];
      const clusters = db
        .select({ id: systemicMembers.escalationId })
        .from(systemicMembers)
        .where(isAnyOf(systemicMembers.issueId, issueIds));
      const rows = await db
        .select()
        .from(escalations)
        .where(or(isAnyOf(escalations.issueId, issueIds), inArray(escalations.id, clusters)));
      return rows.map(escalationFromRow);
    },

    async deleteMessagesBy(personId) {
      // The local workspace's copy of what they wrote, and what only they were shown, go too.
      await db
        .delete(localMessages)
        .where(or(eq(localMessages.authorId, personId), eq(localMessages.visibleTo, personId)));
      const deleted = await db.delete(messages).where(eq(messages.authorId, personId));
      return deleted.rowCount ?? 0;
    },

    async deletePerson(personId) {
      const deleted = await db.delete(people).where(eq(people.id, personId));
      return deleted.rowCount ?? 0;
    },

    async deleteSettledOutboxOf(issueIds) {
      if (issueIds.length === 0) return 0;
      // Order keys are an issue id, or an issue id and a suffix (`iss_…:summary`).
      const issueOfKey = sql`split_part(${outbox.orderKey}, ':', 1)`;
      const deleted = await db
        .delete(outbox)
        .where(and(sql`${outbox.status} != 'pending'`, isAnyOf(issueOfKey, issueIds)));
      return deleted.rowCount ?? 0;
    },

    async deleteTriggerHitsOf(issueIds) {
      if (issueIds.length === 0) return 0;
      const deleted = await db.delete(triggerHits).where(isAnyOf(triggerHits.issueId, issueIds));
      return deleted.rowCount ?? 0;
    },

    async findTexts(needles) {
      moved = new Map();
      if (needles.length === 0) return [];
      const columns = await db.execute<{ table: string; column: string }>(sql`
        select c.table_name as "table", c.column_name as "column"
        from information_schema.columns c
        join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
          and c.data_type in ('text', 'character varying')
        order by c.table_name collate "C", c.ordinal_position`);
      const found: StoredText[] = [];
      for (const { table, column } of columns.rows) {
        if (INTERNAL_TABLE.test(table)) continue;
        const cell = sql.identifier(column);
        const contains = sql.join(
          needles.map((needle) => sql`strpos(lower(${cell}), ${needle.toLowerCase()}) > 0`),
          sql` or `,
        );
        const rows = await db.execute<{ ctid: string; text: string }>(
          sql`select ctid::text as ctid, ${cell} as text from ${sql.identifier(table)} where ${contains} for update`,
        );
        for (const { ctid, text } of rows.rows) found.push({ table, column, row: rowOfCtid(ctid), text });
      }
      return found;
    },

    async rewriteText(found, text) {
      const key = `${found.table}:${found.row}`;
      const now = moved.get(key) ?? found.row;
      const written = await db.execute<{ ctid: string }>(
        sql`update ${sql.identifier(found.table)} set ${sql.identifier(found.column)} = ${text}
          where ctid = ${ctidOfRow(now)}::tid returning ctid::text as ctid`,
      );
      const [row] = written.rows;
      if (row) moved.set(key, rowOfCtid(row.ctid));
    },
  };
}

/**
 * A ctid `(page,item)` as one number. Items on a page are fewer than 2^16 (a page is 8 KiB) and
 * pages fewer than 2^32, so the number stays an exact integer.
 */
const ITEMS = 2 ** 16;

function rowOfCtid(ctid: string): number {
  const [page, item] = ctid.slice(1, -1).split(',').map(Number);
  return page! * ITEMS + item!;
}

function ctidOfRow(row: number): string {
  return `(${Math.floor(row / ITEMS)},${row % ITEMS})`;
}
