import type Database from 'better-sqlite3';
import { loadSqliteIntoPostgres } from './postgres-load.js';
import { type BenchDatabase, createDatabase } from './postgres-server.js';
import type { SeededDatabases, SeededSqliteFiles } from './seeded-database.js';

/**
 * Seeded databases on a PostgreSQL server (`--database`): each is seeded as a SQLite file by the
 * same seeders, loaded once into a database of its own (the template), and every run that writes
 * gets `CREATE DATABASE … TEMPLATE` of it, a file-level copy (seconds for a million rows). So a
 * figure on PostgreSQL reads exactly the rows its SQLite twin reads.
 */
export class SeededPostgresDatabases implements SeededDatabases {
  private readonly seeded = new Map<string, BenchDatabase>();
  private readonly byUrl = new Map<string, BenchDatabase>();

  constructor(
    private readonly serverUrl: string,
    /** Where the seeders write first. */
    private readonly files: SeededSqliteFiles,
  ) {}

  async get(name: string, seed: (db: Database.Database) => void): Promise<string> {
    const existing = this.seeded.get(name);
    if (existing) return existing.url;
    const file = await this.files.get(name, seed);
    const database = this.remember(await createDatabase(this.serverUrl, `seed_${name}`));
    try {
      await loadSqliteIntoPostgres(file, database.url);
    } catch (error) {
      await database.drop();
      throw error;
    }
    // Loaded: the file (456 MB for the 1M checker history) is not read again.
    await this.files.discard(file);
    this.seeded.set(name, database);
    return database.url;
  }

  async copy(url: string): Promise<string> {
    const template = this.byUrl.get(url);
    if (!template) throw new Error(`${url} is not a seeded database of this run`);
    return this.remember(await createDatabase(this.serverUrl, 'run', template)).url;
  }

  async discard(url: string): Promise<void> {
    await this.byUrl.get(url)?.drop();
    this.byUrl.delete(url);
  }

  async cleanup(): Promise<void> {
    for (const database of this.byUrl.values()) await database.drop();
    this.byUrl.clear();
    this.seeded.clear();
    await this.files.cleanup();
  }

  private remember(database: BenchDatabase): BenchDatabase {
    this.byUrl.set(database.url, database);
    return database;
  }
}
