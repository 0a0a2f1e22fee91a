import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgresStore } from '../../../src/db/postgres/open-postgres-store.js';
import { createPostgresTestDatabase, postgresTestUrl, TEST_DATABASE_PREFIX } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated database no test connects to: fresh test databases are copies of it. */
    postgresTemplate?: string;
  }
}

/** Test databases a crashed run left behind are dropped once they are this old. */
const LEFTOVER_AGE_MS = 60 * 60_000;

/**
 * Runs once per vitest project before its workers start. The `postgres` project drops the test
 * databases crashed runs left on the server and migrates the template fresh databases are copied
 * from (a copy takes a third of the time of creating and migrating one); the `sqlite` project says
 * when the PostgreSQL pass will not run, so a green run without it is not taken for one on both.
 */
export async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const serverUrl = postgresTestUrl();
  if (project.name === 'sqlite' && !serverUrl) {
    console.log('PostgreSQL pass skipped: TEST_DATABASE_URL is not set');
  }
  if (project.name !== 'postgres' || !serverUrl) return undefined;

  const dropped = await dropLeftoverTestDatabases(serverUrl, Date.now() - LEFTOVER_AGE_MS);
  if (dropped > 0) console.log(`Dropped ${dropped} test databases left by earlier runs.`);
  const template = await createPostgresTestDatabase();
  try {
    await (await openPostgresStore(template.url)).close();
  } catch (error) {
    await template.drop();
    throw error;
  }
  project.provide('postgresTemplate', decodeURIComponent(new URL(template.url).pathname.slice(1)));
  return () => template.drop();
}

/**
 * Drops the databases `createPostgresTestDatabase` made before `createdBefore` (their names carry
 * the time). Younger ones may belong to a run going on right now.
 */
async function dropLeftoverTestDatabases(serverUrl: string, createdBefore: number): Promise<number> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'select datname as name from pg_database where starts_with(datname, $1)',
      [TEST_DATABASE_PREFIX],
    );
    const leftovers = rows.filter(({ name }) => {
      const createdAt = Number.parseInt(name.slice(TEST_DATABASE_PREFIX.length).split('_')[0] ?? '', 36);
      return Number.isFinite(createdAt) && createdAt < createdBefore;
    });
    for (const { name } of leftovers) {
      await client.query(`drop database if exists "${name}" with (force)`);
    }
    return leftovers.length;
  } finally {
    await client.end();
  }
}
