import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { ErasureRepository } from '../../ports/data-protection.js';
import type { SqliteDb } from './repositories.js';
import { escalationFromRow } from './row-mapping.js';
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

/** Bound parameters per statement stay well under SQLite's limit. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Tables that are bookkeeping of the database itself, never people's data. */
const INTERNAL_TABLE = /^(sqlite_|__drizzle)/;

/**
 * Erasing one person. Erasure is rare and run by an admin, so unlike everything else here these
 * statements may scan whole tables: `findTexts` reads every text column of every table, which is
 * also what makes it keep working when a later migration adds a column that holds people's ids.
 */
export function createErasureRepository(db: SqliteDb): ErasureRepository {
  return {
    async issuesOf(personId) {
      const found = new Map<string, boolean>();
      const note = (issueId: string, asCustomer: boolean) =>
        found.set(issueId, (found.get(issueId) ?? false) || asCustomer);
      for (const row of db
        .select({ id: issues.id, customerId: issues.customerId })
        .from(issues)
        .where(or(eq(issues.customerId, personId), eq(issues.openedBy, personId)))
        .all()) {
        note(row.id, row.customerId === personId);
      }
      for (const row of db
        .selectDistinct({ issueId: messages.issueId, role: messages.authorRole })
        .from(messages)
        .where(eq(messages.authorId, personId))
        .all()) {
        note(row.issueId, row.role === 'customer');
      }
      return [...found].map(([issueId, asCustomer]) => ({ issueId, asCustomer }));
    },

    async listEscalationsOf(issueIds) {
      const byId = new Map<string, ReturnType<typeof escalationFromRow>>();
      for (const part of chunks(issueIds)) {
        const clusters = db
          .select({ id: systemicMembers.escalationId })
          .from(systemicMembers)
          .where(inArray(systemicMembers.issueId, part));
        for (const row of db
          .select()
          .from(escalations)
          .where(or(inArray(escalations.issueId, part), inArray(escalations.id, clusters)))
          .all()) {
          byId.set(row.id, escalationFromRow(row));
        }
      }
      return [...byId.values()];
    },

    async deleteMessagesBy(personId) {
      // The local workspace's copy of what they wrote, and what only they were shown, go too.
      db.delete(localMessages)
        .where(or(eq(localMessages.authorId, personId), eq(localMessages.visibleTo, personId)))
        .run();
      return db.delete(messages).where(eq(messages.authorId, personId)).run().changes;
    },

    async deletePerson(personId) {
      return db.delete(people).where(eq(people.id, personId)).run().changes;
    },

    async deleteSettledOutboxOf(issueIds) {
      let deleted = 0;
      // Order keys are an issue id, or an issue id and a suffix (`iss_…:summary`).
      const issueOfKey = sql`case when instr(${outbox.orderKey}, ':') > 0 then substr(${outbox.orderKey}, 1, instr(${outbox.orderKey}, ':') - 1) else ${outbox.orderKey} end`;
      for (const part of chunks(issueIds)) {
        deleted += db
          .delete(outbox)
          .where(and(sql`${outbox.status} != 'pending'`, inArray(issueOfKey, part)))
          .run().changes;
      }
      return deleted;
    },

    async deleteTriggerHitsOf(issueIds) {
      let deleted = 0;
      for (const part of chunks(issueIds)) {
        deleted += db.delete(triggerHits).where(inArray(triggerHits.issueId, part)).run().changes;
      }
      return deleted;
    },

    async findTexts(needles) {
      if (needles.length === 0) return [];
      const tables = db.all<{ name: string }>(
        sql`select name from sqlite_master where type = 'table' order by name`,
      );
      const found = [];
      for (const { name: table } of tables) {
        if (INTERNAL_TABLE.test(table)) continue;
        const columns = db.all<{ name: string; type: string }>(
          sql`select name, type from pragma_table_info(${table})`,
        );
        for (const { name: column, type } of columns) {
          if (type.toLowerCase() !== 'text') continue;
          const cell = sql.identifier(column);
          const contains = sql.join(
            needles.map((needle) => sql`instr(lower(${cell}), ${needle.toLowerCase()}) > 0`),
            sql` or `,
          );
          const rows = db.all<{ row: number; text: string }>(
            sql`select rowid as row, ${cell} as text from ${sql.identifier(table)} where ${contains}`,
          );
          for (const { row, text } of rows) found.push({ table, column, row, text });
        }
      }
      return found;
    },

    async rewriteText(found, text) {
      db.run(
        sql`update ${sql.identifier(found.table)} set ${sql.identifier(found.column)} = ${text} where rowid = ${found.row}`,
      );
    },
  };
}
