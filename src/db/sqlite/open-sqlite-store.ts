import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Repositories, Store } from '../../ports/store.js';
import { SerialLock } from '../serial-lock.js';
import { createDashboardRepository } from './dashboard-repository.js';
import { createLocalWorkspaceRepository } from './local-workspace-repository.js';
import { checkReadiness, fileIdentityOf } from './readiness.js';
import { createRepositories } from './repositories.js';
import { createRunLeaseRepository } from './run-lease-repository.js';
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
  // Prepared once: every stored message is a transaction, and building these per call showed up.
  const [begin, commit, rollback] = ['BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK'].map((s) =>
    connection.prepare(s),
  );
  const dashboard = createDashboardRepository(db);

  return {
    ...serialized(raw, lock),
    localWorkspace: lockEach(createLocalWorkspaceRepository(db), lock),
    transaction(work) {
      return lock.run(async () => {
        begin!.run();
        try {
          const result = await work(raw);
          commit!.run();
          return result;
        } catch (error) {
          rollback!.run();
          throw error;
        }
      });
    },
    async isReady() {
      return (await readiness()).ready;
    },
    readiness,
    stats: () => lock.run(async () => readStoreStats(db)),
    dashboard: { listActive: (limit) => lock.run(() => dashboard.listActive(limit)) },
    runLeases: lockEach(createRunLeaseRepository(db), lock),
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
  const wrap = <T extends object>(repo: T): T => lockEach(repo, lock);
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
    knowledge: wrap(repos.knowledge),
    analytics: wrap(repos.analytics),
    digests: wrap(repos.digests),
    retention: wrap(repos.retention),
    erasure: wrap(repos.erasure),
  };
}

/** Each method of `repo` waits its turn on `lock`. */
function lockEach<T extends object>(repo: T, lock: SerialLock): T {
  return Object.fromEntries(
    Object.entries(repo).map(([name, fn]) => [
      name,
      (...args: unknown[]) => lock.run(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args)),
    ]),
  ) as T;
}
