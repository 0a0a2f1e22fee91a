import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Store } from '../../ports/store.js';
import { SerialLock } from '../serial-lock.js';
import { createPgDashboardRepository } from './dashboard-repository.js';
import { createPgLocalWorkspaceRepository } from './local-workspace-repository.js';
import { migrateUnderLock } from './migrate-postgres.js';
import type { PgDb } from './pg-db.js';
import { parsePostgresUrl } from './postgres-url.js';
import { checkPgReadiness } from './readiness.js';
import { createPgRepositories } from './repositories.js';
import { createPgRunLeaseRepository } from './run-lease-repository.js';
import * as schema from './schema.js';
import { runSerializable } from './serializable-transaction.js';
import { readPgStoreStats } from './store-stats.js';

export const PG_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../migrations/postgres', import.meta.url));

/** How long getting a connection may take before a query (or `/readyz`) fails instead of hanging. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface PostgresStoreOptions {
  /** Migrations to apply and, for readiness, to expect applied; the repository's own by default. */
  migrationsFolder?: string;
  /**
   * Told when an idle pooled connection breaks (the server restarted, the network dropped). The pool
   * replaces it by itself; without a listener pg would crash the process.
   */
  onConnectionError?: (error: Error) => void;
}

/**
 * Connects to PostgreSQL (`postgres://…?pool=10&statement_timeout=15000`), applies the migrations
 * (one replica at a time) and returns the store. Methods outside a transaction run on the pool;
 * `transaction` runs SERIALIZABLE and is retried whole when it collides with another.
 */
export async function openPostgresStore(
  databaseUrl: string,
  options: PostgresStoreOptions = {},
): Promise<Store> {
  const migrationsFolder = options.migrationsFolder ?? PG_MIGRATIONS_FOLDER;
  const { connectionString, poolSize, statementTimeoutMs } = parsePostgresUrl(databaseUrl);
  const connection = {
    connectionString,
    application_name: 'escalator',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
  await migrateUnderLock(connection, migrationsFolder);

  const pool = new pg.Pool({ ...connection, max: poolSize, statement_timeout: statementTimeoutMs });
  pool.on('error', (error) => options.onConnectionError?.(error));
  const db: PgDb = drizzle(pool, { schema });
  const readiness = () => checkPgReadiness(pool, migrationsFolder);
  let closing: Promise<void> | undefined;
  const lock = new SerialLock();

  return {
    ...createPgRepositories(db),
    localWorkspace: createPgLocalWorkspaceRepository(db),
    dashboard: createPgDashboardRepository(db),
    runLeases: createPgRunLeaseRepository(db),
    // One transaction at a time per replica, as on SQLite: a burst of new threads run side by side
    // all read the same recent issues and numbers, so SERIALIZABLE refused most of them again and
    // again until they gave up (the memory benchmark lost 64 of 72). Replicas still collide with
    // each other, rarely, and those retries settle.
    transaction: (work) => lock.run(() => runSerializable(db, (tx) => work(createPgRepositories(tx)))),
    async isReady() {
      return (await readiness()).ready;
    },
    readiness,
    stats: () => readPgStoreStats(db),
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
