import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/db/sqlite/open-sqlite-store.js';

/**
 * Seeded SQLite files for one benchmark module's run: each is created by `openSqliteStore` (so the
 * real migrations and indexes are there), filled once with raw multi-row INSERTs in one
 * transaction, and reused by every measured run. Runs that change the data work on a copy.
 */
export class SeededDatabases {
  private readonly dir = mkdtempSync(join(tmpdir(), 'escalator-bench-'));
  private readonly seeded = new Map<string, string>();
  private copies = 0;

  /** The file seeded under `name`, seeding it on first use. */
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
    this.seeded.set(name, path);
    return path;
  }

  /** A fresh copy of a seeded file, for a run that writes to it. */
  copy(path: string): string {
    this.copies += 1;
    const target = join(this.dir, `run-${this.copies}.db`);
    copyFileSync(path, target);
    return target;
  }

  /** Removes one run's copy and its WAL files. */
  discard(path: string): void {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
