import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../src/db/open-store.js';
import { openSqliteStore } from '../../../src/db/sqlite/open-sqlite-store.js';
import type { Store } from '../../../src/ports/store.js';
import { freshDatabaseUrl } from './fresh-database.js';

export interface TempStore {
  store: Store;
  /** The database's `DATABASE_URL`, to reopen it or read it with a connection of the test's own. */
  url: string;
  /** Closes the store and removes the database. Safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * A real, migrated store on a database of its own: a SQLite file, or in the `postgres` project a
 * PostgreSQL database (see `freshDatabaseUrl`).
 */
export async function createTempStore(): Promise<TempStore> {
  const database = await freshDatabaseUrl();
  const store = await openStore(database.url).catch(async (error: unknown) => {
    await database.cleanup();
    throw error;
  });
  return { store, url: database.url, cleanup: closeThen(store, database.cleanup) };
}

export interface TempSqliteStore extends TempStore {
  /** The SQLite file, to inspect it with a raw connection. */
  path: string;
  dir: string;
}

/** A real, migrated SQLite file store in a fresh temporary directory, for tests about SQLite itself. */
export function createTempSqliteStore(): TempSqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-test-'));
  const path = join(dir, 'escalator.db');
  const url = `file:${path}`;
  const store = openSqliteStore(url);
  const removeDir = async () => rmSync(dir, { recursive: true, force: true });
  return { store, url, path, dir, cleanup: closeThen(store, removeDir) };
}

/** Closes the store once, then removes its database (again on every call: both are idempotent). */
function closeThen(store: Store, remove: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return async () => {
    closing ??= store.close();
    await closing;
    await remove();
  };
}
