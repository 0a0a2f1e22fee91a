import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openPostgresStore } from '../../../src/db/postgres/open-postgres-store.js';
import type { Store } from '../../../src/ports/store.js';
import { onPostgres } from './database-project.js';
import { createTempSqliteStore, type TempSqliteStore } from './temp-store.js';

/** The PostgreSQL server tests may create databases on (`TEST_DATABASE_URL`), if one was given. */
export function postgresTestUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export const POSTGRES_SKIPPED = 'TEST_DATABASE_URL not set: PostgreSQL tests skipped';

export interface PostgresTestDatabase {
  /** The new database's URL (the server's, with the database name replaced). */
  url: string;
  /** Drops the database, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

/**
 * How test database names start: `escalator_test_<creation time, base-36 ms>_<random>`, so a later
 * run can tell the ones a crashed run left behind.
 */
export const TEST_DATABASE_PREFIX = 'escalator_test_';

/**
 * A new database with a name of its own on the `TEST_DATABASE_URL` server: empty, or a copy of
 * `template` (a database nobody is connected to).
 */
export async function createPostgresTestDatabase(
  options: { template?: string } = {},
): Promise<PostgresTestDatabase> {
  const serverUrl = postgresTestUrl();
  if (!serverUrl) throw new Error(POSTGRES_SKIPPED);
  const name = `${TEST_DATABASE_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const copy = options.template ? ` template "${options.template}"` : '';
  await onServer(serverUrl, (client) => client.query(`create database "${name}"${copy}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await onServer(serverUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

async function onServer<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export interface DatabaseUnderTest {
  kind: 'sqlite' | 'postgres';
  /** The store of the running test, empty when the test starts. */
  store(): Store;
  /** Its DATABASE_URL, to open it a second time as another replica would. */
  url(): string;
}

/**
 * Defines the suite twice: on a fresh SQLite file store per test, and on a PostgreSQL database
 * created for the suite and emptied before each test. Without `TEST_DATABASE_URL` the PostgreSQL
 * run is skipped, and says so.
 */
export function describeEachDatabase(name: string, define: (db: DatabaseUnderTest) => void): void {
  if (skippedInPostgresProject(name)) return;
  describe(`${name} (SQLite)`, () => {
    let temp: TempSqliteStore | undefined;
    beforeEach(() => {
      temp = createTempSqliteStore();
    });
    afterEach(() => temp?.cleanup());
    define({ kind: 'sqlite', store: () => temp!.store, url: () => `file:${temp!.path}` });
  });

  describePostgres(name, () => {
    let database: PostgresTestDatabase | undefined;
    let store: Store | undefined;
    /** A connection of the tests' own, to empty the tables between tests. */
    let cleaner: pg.Client | undefined;
    beforeAll(async () => {
      database = await createPostgresTestDatabase();
      store = await openPostgresStore(database.url);
      cleaner = new pg.Client({ connectionString: database.url });
      await cleaner.connect();
    });
    beforeEach(() => emptyTables(cleaner!));
    afterAll(async () => {
      await cleaner?.end();
      await store?.close();
      await database?.drop();
    });
    define({ kind: 'postgres', store: () => store!, url: () => database!.url });
  });
}

/** A suite that needs a PostgreSQL server: skipped, saying why, when TEST_DATABASE_URL is not set. */
export function describePostgres(name: string, define: () => void): void {
  if (skippedInPostgresProject(name)) return;
  if (postgresTestUrl()) {
    describe(`${name} (PostgreSQL)`, define);
    return;
  }
  console.warn(`${name}: ${POSTGRES_SKIPPED}`);
  describe.skip(`${name} (PostgreSQL: ${POSTGRES_SKIPPED})`, define);
}

/**
 * Suites that choose their databases themselves run in the `sqlite` project only: there they
 * already run on PostgreSQL too (when TEST_DATABASE_URL is set) and compare both in one process.
 */
function skippedInPostgresProject(name: string): boolean {
  if (onPostgres)
    describe.skip(`${name} (chooses its databases itself: runs in the sqlite project)`, () => {});
  return onPostgres;
}

/**
 * Empties every table the migrations created; the migrations' record stays. One statement deleting
 * from all of them: foreign keys are checked when it ends, so the order does not matter, and it
 * takes milliseconds where TRUNCATE takes a third of a second.
 */
export async function emptyTables(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    "select quote_ident(tablename) as name from pg_tables where schemaname = 'public'",
  );
  if (rows.length === 0) return;
  const deletes = rows.map((r, i) => `d${i} as (delete from ${r.name})`);
  await client.query(`with ${deletes.join(', ')} select 1`);
}
