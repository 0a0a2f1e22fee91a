import { accessSync, constants, readFileSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Readiness, ReadinessCheck } from '../../ports/store.js';

/** Which file an open connection is using: SQLite keeps working on it after it is deleted or replaced. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

export function fileIdentityOf(path: string): FileIdentity {
  const { dev, ino } = statSync(path);
  return { dev, ino };
}

export interface ReadinessTarget {
  connection: Database.Database;
  /** The database file, or `:memory:`. */
  path: string;
  /** The file as it was when the connection opened it (none for `:memory:`). */
  opened?: FileIdentity;
  /** The migrations this code expects to be applied (drizzle's folder with `meta/_journal.json`). */
  migrationsFolder: string;
}

const OK: ReadinessCheck = { ok: true };

/**
 * Is the database usable, and is it at the schema this code expects? Read fresh on every call (a
 * file and one small query): a deleted or replaced file still answers queries through the open
 * handle, and writes would go to a file nobody will ever open again, so the file itself is checked.
 */
export function checkReadiness(target: ReadinessTarget): Readiness {
  const database = checkDatabase(target);
  const migrations = database.applied
    ? checkMigrations(target.migrationsFolder, database.applied)
    : { ok: false, detail: 'not checked: the database is unavailable' };
  const checks = { database: database.check, migrations };
  return { ready: database.check.ok && migrations.ok, checks };
}

function checkDatabase(target: ReadinessTarget): { check: ReadinessCheck; applied?: Set<number> } {
  const { connection, path, opened } = target;
  if (!connection.open) return { check: { ok: false, detail: 'the database connection is closed' } };
  if (opened) {
    const problem = fileProblem(path, opened);
    if (problem) return { check: { ok: false, detail: problem } };
  }
  try {
    const rows = connection.prepare('select created_at from __drizzle_migrations').all() as {
      created_at: number | string;
    }[];
    return { check: OK, applied: new Set(rows.map((row) => Number(row.created_at))) };
  } catch (error) {
    return { check: { ok: false, detail: `the database query failed: ${(error as Error).message}` } };
  }
}

function fileProblem(path: string, opened: FileIdentity): string | undefined {
  let now: Stats;
  try {
    now = statSync(path);
  } catch (error) {
    return `the database file ${path} is gone (${(error as NodeJS.ErrnoException).code}); restore it and restart Escalator`;
  }
  if (now.dev !== opened.dev || now.ino !== opened.ino) {
    return `the database file ${path} was replaced after Escalator opened it; restart Escalator to use the new one`;
  }
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    return `the database file ${path} is not readable and writable (${(error as NodeJS.ErrnoException).code})`;
  }
  return undefined;
}

/** Drizzle records each applied migration by its journal timestamp (`when` → `created_at`). */
export function checkMigrations(folder: string, applied: Set<number>): ReadinessCheck {
  let entries: { tag: string; when: number }[];
  try {
    entries = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')).entries;
  } catch (error) {
    return {
      ok: false,
      detail: `cannot read the migrations journal in ${folder}: ${(error as Error).message}`,
    };
  }
  const pending = entries.filter((entry) => !applied.has(entry.when)).map((entry) => entry.tag);
  if (pending.length === 0) return OK;
  return {
    ok: false,
    detail: `migrations not applied: ${pending.join(', ')}; restart Escalator to apply them`,
  };
}
