import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { onPostgres } from './database-project.js';
import { createPostgresTestDatabase } from './test-database.js';

export interface FreshDatabase {
  /** The `DATABASE_URL` of a database nobody has used yet. */
  url: string;
  /** Removes the database (the file and its directory, or DROP DATABASE). Safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * A database of the test's own: a new SQLite file in a temporary directory, or, in the `postgres`
 * project, a new database on the `TEST_DATABASE_URL` server, copied from the migrated template the
 * project's global setup made. The store migrates it when it opens (if it still needs to).
 */
export async function freshDatabaseUrl(): Promise<FreshDatabase> {
  if (onPostgres) {
    const database = await createPostgresTestDatabase({ template: inject('postgresTemplate') });
    let dropping: Promise<void> | undefined;
    return {
      url: database.url,
      cleanup() {
        dropping ??= database.drop();
        return dropping;
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'escalator-db-'));
  return {
    url: `file:${join(dir, 'escalator.db')}`,
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Fresh databases for the tests of a suite that make several (one per process story, say):
 * `url()` hands out a new one, `cleanup()` (in an `afterEach`, once the processes using them are
 * gone) removes every one handed out so far.
 */
export class FreshDatabases {
  private readonly made: FreshDatabase[] = [];

  async url(): Promise<string> {
    const database = await freshDatabaseUrl();
    this.made.push(database);
    return database.url;
  }

  async cleanup(): Promise<void> {
    for (const database of this.made.splice(0)) await database.cleanup();
  }
}
