import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

/**
 * The advisory lock key the migrations are applied under ("escala" in ASCII, 0x657363616c61): any
 * fixed number works, as long as every Escalator replica uses the same one and nothing else does.
 */
const MIGRATION_LOCK_KEY = 111_546_262_973_537;

/**
 * Applies the migrations of `migrationsFolder` that the database lacks. Replicas starting together
 * take turns on a session advisory lock: without it both would create drizzle's migrations table
 * at once, and both would apply the same migration. The lock is taken on a connection of its own
 * that also runs the migrations, so the pool's statement timeout does not cut a long one (or the
 * wait for another replica's) short.
 */
export async function migrateUnderLock(config: pg.ClientConfig, migrationsFolder: string): Promise<void> {
  const client = new pg.Client(config);
  // A connection lost between two statements is reported by the next one; unheard, it would crash.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      // Best effort: a failure here must not hide the migration's own error, and `end()` below
      // releases a session lock anyway.
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
