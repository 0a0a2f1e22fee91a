/**
 * How `npm run migrate:sqlite-to-postgres` pairs the two drizzle schemas: every column of the real
 * schemas is copied, tables come after the ones they reference, and a schema that drifted from the
 * other stops the copy with the table and column named instead of dropping data.
 */
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { bigint, boolean, json, pgTable, text as pgText, timestamp } from 'drizzle-orm/pg-core';
import { integer, SQLiteTable, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../../../src/db/postgres/schema.js';
import * as sqliteSchema from '../../../src/db/sqlite/schema.js';
import {
  pairTables,
  SchemaMismatchError,
  targetValue,
} from '../../../src/db/sqlite-to-postgres/table-pairs.js';

const sqliteNotes = sqliteTable('notes', {
  id: text('id').primaryKey(),
  body: text('body').notNull(),
  pinned: integer('pinned', { mode: 'boolean' }).notNull(),
  meta: text('meta', { mode: 'json' }),
  at: integer('at', { mode: 'timestamp_ms' }).notNull(),
});

const pgNotes = {
  id: pgText('id').primaryKey(),
  body: pgText('body').notNull(),
  pinned: boolean('pinned').notNull(),
  meta: json('meta'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
};

describe('pairing the real schemas', () => {
  const pairs = pairTables(sqliteSchema, pgSchema);
  const order = pairs.map((pair) => pair.name);

  it('copies every SQLite column of every table, and fills the insertion-order columns from the rowid', () => {
    const sqliteTables = Object.values(sqliteSchema).filter((t) => is(t, SQLiteTable));
    expect([...order].sort()).toEqual(sqliteTables.map((t) => getTableName(t)).sort());
    for (const table of sqliteTables) {
      const pair = pairs.find((p) => p.name === getTableName(table))!;
      const fromSqlite = pair.columns.filter((c) => c.source).map((c) => c.source!.name);
      const sqliteColumns = Object.values(getTableColumns(table)).map((c) => c.name);
      expect(fromSqlite.sort(), pair.name).toEqual(sqliteColumns.sort());
    }
    const fromRowid = pairs.flatMap((pair) =>
      pair.columns.filter((c) => !c.source).map((c) => `${pair.name}.${c.name}`),
    );
    expect(fromRowid.sort()).toEqual([
      'escalation_events.insert_order',
      'local_messages.insert_order',
      'systemic_members.insert_order',
      'trigger_hits.insert_order',
    ]);
  });

  it('copies a table after every table its foreign keys point to', () => {
    const comesBefore = (referenced: string, table: string) =>
      expect(order.indexOf(referenced), `${referenced} before ${table}`).toBeLessThan(order.indexOf(table));
    for (const child of ['messages', 'escalations', 'trigger_hits', 'trigger_firings', 'csat_responses']) {
      comesBefore('issues', child);
    }
    for (const child of [
      'escalation_events',
      'trigger_feedback',
      'systemic_members',
      'csat_responses',
      'knowledge_entries',
    ]) {
      comesBefore('escalations', child);
    }
    comesBefore('issues', 'knowledge_entries');
    comesBefore('issues', 'deflections');
    comesBefore('knowledge_entries', 'deflections');
    expect(order).not.toContain('__drizzle_migrations');
  });
});

describe('schemas that disagree', () => {
  it('pairs matching tables', () => {
    const [pair] = pairTables({ sqliteNotes }, { pgNotes: pgTable('notes', pgNotes) });
    expect(pair!.columns.map((c) => c.name)).toEqual(['id', 'body', 'pinned', 'meta', 'at']);
    expect(pair!.hasIdentity).toBe(false);
  });

  it('refuses a PostgreSQL column SQLite lacks, unless it is an identity column', () => {
    const withExtra = pgTable('notes', { ...pgNotes, author: pgText('author') });
    expect(() => pairTables({ sqliteNotes }, { withExtra })).toThrow(
      new SchemaMismatchError(
        'The SQLite and PostgreSQL schemas disagree on the columns of notes (only in PostgreSQL: author): make src/db/postgres/schema.ts match src/db/sqlite/schema.ts before copying.',
      ),
    );
    const withOrder = pgTable('notes', {
      ...pgNotes,
      insertOrder: bigint('insert_order', { mode: 'number' }).generatedAlwaysAsIdentity(),
    });
    expect(pairTables({ sqliteNotes }, { withOrder })[0]!.hasIdentity).toBe(true);
  });

  it('refuses a SQLite column PostgreSQL lacks', () => {
    const { meta: _meta, ...withoutMeta } = pgNotes;
    expect(() => pairTables({ sqliteNotes }, { t: pgTable('notes', withoutMeta) })).toThrow(
      /columns of notes \(only in SQLite: meta\)/,
    );
  });

  it('refuses a column holding another kind of value', () => {
    const textTime = pgTable('notes', { ...pgNotes, at: pgText('at').notNull() });
    expect(() => pairTables({ sqliteNotes }, { textTime })).toThrow(/at is date in SQLite but string/);
  });

  it('refuses a table only one schema has', () => {
    const other = pgTable('other', pgNotes);
    expect(() => pairTables({ sqliteNotes }, { pgNotes: pgTable('notes', pgNotes), other })).toThrow(
      /different tables \(only in PostgreSQL: other\)/,
    );
  });
});

describe('converting a stored value', () => {
  const [pair] = pairTables(
    { sqliteNotes },
    {
      t: pgTable('notes', {
        ...pgNotes,
        insertOrder: bigint('insert_order', { mode: 'number' }).generatedAlwaysAsIdentity(),
      }),
    },
  );
  const column = (name: string) => pair!.columns.find((c) => c.name === name)!;

  it('turns milliseconds into a timestamp, 0/1 into a boolean, and keeps JSON text and null', () => {
    expect(targetValue(column('at'), 1_772_528_400_123)).toBe('2026-03-03T09:00:00.123Z');
    expect(targetValue(column('pinned'), 1)).toBe(true);
    expect(targetValue(column('pinned'), 0)).toBe(false);
    expect(targetValue(column('meta'), '{"b":1,"a":[2]}')).toBe('{"b":1,"a":[2]}');
    expect(targetValue(column('meta'), null)).toBeNull();
    expect(targetValue(column('insert_order'), 42)).toBe(42);
  });
});
