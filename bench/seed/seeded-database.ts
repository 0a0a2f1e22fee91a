import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, sqlitePathOf } from '../../src/db/sqlite/open-sqlite-store.js';
import type { BenchOptions } from '../bench-result.js';
import { SeededPostgresDatabases } from './seeded-postgres.js';

/**
 * The databases of one benchmark module's run, by DATABASE_URL: each seeded once (the seeders
 * write SQLite rows, see bench/seed) and reused by every measured run; runs that change the data
 * work on a copy.
 */
export interface SeededDatabases {
  /** The database seeded under `name`, seeding it on first use. */
  get(name: string, seed: (db: Database.Database) => void): Promise<string>;
  /** A fresh copy of a seeded database, for a run that writes to it. */
  copy(url: string): Promise<string>;
  /** Removes one run's copy. */
  discard(url: string): Promise<void>;
  /** Removes everything seeded and copied. */
  cleanup(): Promise<void>;
}

/** SQLite files, or with `--database` databases on that PostgreSQL server holding the same rows. */
export function seededDatabases(options: Pick<BenchOptions, 'database'>): SeededDatabases {
  const files = new SeededSqliteFiles();
  return options.database ? new SeededPostgresDatabases(options.database, files) : files;
}

/**
 * Seeded SQLite files: each is created by `openSqliteStore` (so the real migrations and indexes
 * are there), filled once with raw multi-row INSERTs in one transaction; a copy is a file copy.
 */
export class SeededSqliteFiles implements SeededDatabases {
  private readonly dir = mkdtempSync(join(tmpdir(), 'escalator-bench-'));
  private readonly seeded = new Map<string, string>();
  private copies = 0;

  async get(name: string, seed: (db: Database.Database) => void): Promise<string> {
    const existing = this.seeded.get(name);
    if (existing) return existing;
    const path = join(this.dir, `${name}.db`);
    await openSqliteStore(`file:${path}`).close();
    const db = new Database(path);
    try {
      // Only while seeding: a crash here loses nothing, the benchmark seeds again.
      db.pragma('synchronous = OFF');
      // Each table is written in chunks of its own, so a row may arrive before the row it points
      // to: the references are checked once at the end instead.
      db.pragma('foreign_keys = OFF');
      db.transaction(() => seed(db))();
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`${name}: ${broken.length} rows point to nothing`);
      // Fold the write-ahead log into the file, so a plain file copy is the whole database.
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    const url = `file:${path}`;
    this.seeded.set(name, url);
    return url;
  }

  async copy(url: string): Promise<string> {
    this.copies += 1;
    const target = join(this.dir, `run-${this.copies}.db`);
    copyFileSync(sqlitePathOf(url), target);
    return `file:${target}`;
  }

  /** Removes the file and its WAL files. */
  async discard(url: string): Promise<void> {
    const path = sqlitePathOf(url);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }

  async cleanup(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
