import type { Store } from '../ports/store.js';
import type { PostgresStoreOptions } from './postgres/open-postgres-store.js';
import { isPostgresUrl, redactedDatabaseUrl } from './postgres/postgres-url.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';

export { isPostgresUrl, redactedDatabaseUrl };

export type OpenStoreOptions = Pick<PostgresStoreOptions, 'onConnectionError'>;

/**
 * Opens the database `DATABASE_URL` names, migrated and ready: PostgreSQL for `postgres://…` or
 * `postgresql://…` (several replicas may share it), SQLite for `file:…` (one process).
 */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (!isPostgresUrl(databaseUrl)) return openSqliteStore(databaseUrl);
  // Loaded only for PostgreSQL, so a SQLite installation does not carry the driver in memory.
  const { openPostgresStore } = await import('./postgres/open-postgres-store.js');
  return openPostgresStore(databaseUrl, options);
}
