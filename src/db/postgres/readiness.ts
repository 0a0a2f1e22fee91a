import type pg from 'pg';
import type { Readiness, ReadinessCheck } from '../../ports/store.js';
import { checkMigrations } from '../sqlite/readiness.js';
import { sqlStateOf } from './serializable-transaction.js';

/** Where drizzle's migrator records what it applied (its defaults). */
export const MIGRATIONS_TABLE = 'drizzle.__drizzle_migrations';

/** The table (42P01) or its schema (3F000) does not exist: nothing was ever migrated here. */
const NEVER_MIGRATED = new Set(['42P01', '3F000']);

/**
 * Does the database answer, and has it every migration of `migrationsFolder`? Read fresh on every
 * call (one small query on the pool), so `/readyz` follows the database going away and coming back.
 */
export async function checkPgReadiness(pool: pg.Pool, migrationsFolder: string): Promise<Readiness> {
  if (pool.ending) return unavailable('the database connection is closed');
  let applied: Set<number>;
  try {
    const { rows } = await pool.query<{ created_at: string }>(`select created_at from ${MIGRATIONS_TABLE}`);
    applied = new Set(rows.map((row) => Number(row.created_at)));
  } catch (error) {
    const code = sqlStateOf(error);
    if (code && NEVER_MIGRATED.has(code)) applied = new Set();
    else return unavailable(`the database query failed: ${(error as Error).message}`);
  }
  const migrations = checkMigrations(migrationsFolder, applied);
  return { ready: migrations.ok, checks: { database: { ok: true }, migrations } };
}

function unavailable(detail: string): Readiness {
  const database: ReadinessCheck = { ok: false, detail };
  return {
    ready: false,
    checks: { database, migrations: { ok: false, detail: 'not checked: the database is unavailable' } },
  };
}
