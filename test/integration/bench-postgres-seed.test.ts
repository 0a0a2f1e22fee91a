/**
 * `npm run bench -- --database postgres://…` compares figures with their SQLite twins, which only
 * means something if both read the same rows. The benchmark seeders write SQLite rows; on
 * PostgreSQL those rows are loaded into a template database and every run works on a copy of it.
 * Here: a small checker history and a small digest history seeded both ways, every table compared
 * row by row (timestamps to the millisecond, booleans, JSON text, the order rows were written in),
 * a copy holding the same, and nothing left on the server afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePolicy } from '../../bench/seed/app-context.js';
import { seedCheckerHistory } from '../../bench/seed/checker-history.js';
import { seedEscalationHistory } from '../../bench/seed/escalation-history.js';
import { onServer } from '../../bench/seed/postgres-server.js';
import {
  type SeededDatabases,
  SeededSqliteFiles,
  seededDatabases,
} from '../../bench/seed/seeded-database.js';
import { onPostgres } from '../support/core/database-project.js';
import { type Row, readDatabase } from '../support/core/raw-database.js';
import { describePostgres, postgresTestUrl } from '../support/core/test-database.js';

const END = new Date('2026-03-04T01:00:00.000Z');
const DAY = 86_400_000;

const SEEDS: Record<string, Parameters<SeededDatabases['get']>[1]> = {
  checker: (db) =>
    seedCheckerHistory(db, {
      stored: 2_000,
      deadlineDue: 40,
      pendingHits: 10,
      end: END,
      tech: examplePolicy().paths['tech']!,
    }),
  digest: (db) =>
    seedEscalationHistory(db, {
      steps: 2_000,
      from: new Date(END.getTime() - 728 * DAY),
      to: END,
      incident: {
        from: new Date(END.getTime() - 365 * DAY),
        to: new Date(END.getTime() - 358 * DAY),
        share: 0.1,
      },
      paths: { tech: examplePolicy().paths['tech']!, management: examplePolicy().paths['management']! },
    }),
};

/** The tables whose PostgreSQL twin has an `insert_order` column (src/db/postgres/schema.ts). */
const ORDERED_TABLES = new Set(['escalation_events', 'trigger_hits', 'systemic_members', 'local_messages']);

/**
 * Every table's rows in SQLite's shapes (the raw reader gives timestamps as milliseconds on both,
 * booleans become 0/1 here). PostgreSQL's `insert_order` stands in for SQLite's rowid: the reader
 * orders by it and it is dropped from the rows, so those tables must list their rows in the same
 * order; the others are sorted, since without a rowid their order is the primary key's.
 */
async function contents(url: string): Promise<Record<string, Row[]>> {
  return readDatabase(url, async (db) => {
    const tables: Record<string, Row[]> = {};
    for (const table of await db.tables()) {
      const rows = (await db.allRows(table)).map(({ insert_order: _, ...row }) =>
        Object.fromEntries(
          Object.entries(row).map(([column, value]) => [
            column,
            typeof value === 'boolean' ? Number(value) : value,
          ]),
        ),
      );
      tables[table] = ORDERED_TABLES.has(table)
        ? rows
        : rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return tables;
  });
}

async function benchDatabasesOnServer(): Promise<string[]> {
  const { rows } = await onServer(postgresTestUrl()!, (client) =>
    client.query<{ datname: string }>(
      "select datname from pg_database where datname like 'escalator_bench_%'",
    ),
  );
  return rows.map((r) => r.datname);
}

describe.skipIf(onPostgres)('benchmark databases on PostgreSQL', () => {
  describePostgres('seeded from the SQLite seeders', () => {
    let sqlite: SeededSqliteFiles;
    let postgres: SeededDatabases;
    const urls: Record<string, { sqlite: string; postgres: string }> = {};

    beforeAll(async () => {
      sqlite = new SeededSqliteFiles();
      postgres = seededDatabases({ database: postgresTestUrl()! });
      for (const [name, seed] of Object.entries(SEEDS)) {
        urls[name] = { sqlite: await sqlite.get(name, seed), postgres: await postgres.get(name, seed) };
      }
    }, 120_000);

    afterAll(async () => {
      await sqlite?.cleanup();
      await postgres?.cleanup();
    });

    it.each(Object.keys(SEEDS))('the %s history holds the same rows on both', async (name) => {
      const onSqlite = await contents(urls[name]!.sqlite);
      const onPostgres = await contents(urls[name]!.postgres);
      expect(Object.keys(onPostgres).sort()).toEqual(Object.keys(onSqlite).sort());
      for (const table of Object.keys(onSqlite)) {
        expect({ table, rows: onPostgres[table] }).toEqual({ table, rows: onSqlite[table] });
      }
      expect(onSqlite['issues']!.length).toBe(2_000);
    });

    it('a copy for a run holds the same rows, and goes when discarded', async () => {
      const copy = await postgres.copy(urls['checker']!.postgres);
      expect(copy).not.toBe(urls['checker']!.postgres);
      expect(await contents(copy)).toEqual(await contents(urls['checker']!.postgres));
      await postgres.discard(copy);
      expect(await benchDatabasesOnServer()).not.toContain(new URL(copy).pathname.slice(1));
    });

    it('cleanup drops every database it created', async () => {
      const seeded = Object.values(urls).map((u) => new URL(u.postgres).pathname.slice(1));
      expect(await benchDatabasesOnServer()).toEqual(expect.arrayContaining(seeded));
      await postgres.cleanup();
      const left = await benchDatabasesOnServer();
      expect(seeded.filter((name) => left.includes(name))).toEqual([]);
    });
  });
});
