import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Repositories, Store } from '../../ports/store.js';
import { SerialLock } from '../serial-lock.js';
import { checkReadiness, fileIdentityOf } from './readiness.js';
import { createRepositories } from './repositories.js';
import * as schema from './schema.js';
import { reusePreparedStatements } from './statement-cache.js';
import { readStoreStats } from './store-stats.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** `file:./data/escalator.db` → an absolute path; `file::memory:` stays in memory. */
export function sqlitePathOf(databaseUrl: string): string {
  const path = databaseUrl.replace(/^file:/, '');
  return path === ':memory:' ? path : resolve(path);
}

export interface SqliteStoreOptions {
  /** Migrations to apply and, for readiness, to expect applied; the repository's own by default. */
  migrationsFolder?: string;
}

/**
 * Opens (creating if needed) the SQLite database, applies the migrations and returns the store.
 * File databases use WAL so readers (health checks, the dashboard later) never block the writer.
 */
export function openSqliteStore(databaseUrl: string, options: SqliteStoreOptions = {}): Store {
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  const path = sqlitePathOf(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connection = new Database(path);
  reusePreparedStatements(connection);
  if (path !== ':memory:') connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const opened = path === ':memory:' ? undefined : fileIdentityOf(path);
  const db = drizzle(connection, { schema });
  migrate(db, { migrationsFolder });
  const readiness = async () => checkReadiness({ connection, path, opened, migrationsFolder });

  const lock = new SerialLock();
  const raw = createRepositories(db);

  return {
    ...serialized(raw, lock),
    transaction(work) {
      return lock.run(async () => {
        db.run(sql`BEGIN IMMEDIATE`);
        try {
          const result = await work(raw);
          db.run(sql`COMMIT`);
          return result;
        } catch (error) {
          db.run(sql`ROLLBACK`);
          throw error;
        }
      });
    },
    async isReady() {
      return (await readiness()).ready;
    },
    readiness,
    stats: () => lock.run(async () => readStoreStats(db)),
    async close() {
      await lock.run(async () => connection.close());
    },
  };
}

/**
 * Wraps every repository method so a call made outside a transaction waits for the running one
 * instead of silently becoming part of it.
 */
function serialized(repos: Repositories, lock: SerialLock): Repositories {
  const wrap = <T extends object>(repo: T): T =>
    Object.fromEntries(
      Object.entries(repo).map(([name, fn]) => [
        name,
        (...args: unknown[]) => lock.run(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args)),
      ]),
    ) as T;
  return {
    issues: wrap(repos.issues),
    messages: wrap(repos.messages),
    escalations: wrap(repos.escalations),
    events: wrap(repos.events),
    outbox: wrap(repos.outbox),
    processedEvents: wrap(repos.processedEvents),
    people: wrap(repos.people),
    conversationRefs: wrap(repos.conversationRefs),
    triggers: wrap(repos.triggers),
    csat: wrap(repos.csat),
    analytics: wrap(repos.analytics),
    digests: wrap(repos.digests),
    retention: wrap(repos.retention),
    erasure: wrap(repos.erasure),
  };
}
