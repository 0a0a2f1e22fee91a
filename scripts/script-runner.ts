/**
 * What the admin scripts (`npm run export`, `npm run erase`) share: they work on the database
 * Escalator runs on, never a new empty one, and they exit 0 when done, 2 for bad arguments (with
 * the usage) and 1 for a configuration or database problem (one line that says what to fix).
 */
import { existsSync } from 'node:fs';
import { isPostgresUrl } from '../src/db/open-store.js';
import { sqlitePathOf } from '../src/db/sqlite/open-sqlite-store.js';

/** A problem to report in one line and exit 1 for (not a usage error). */
export class ScriptError extends Error {}

/**
 * Opening a missing file would create an empty database and quietly do nothing. (A PostgreSQL
 * database is never created by connecting: a missing one fails to open with the server's reason.)
 */
export function requireExistingDatabase(databaseUrl: string): void {
  if (isPostgresUrl(databaseUrl)) return;
  const databasePath = sqlitePathOf(databaseUrl);
  if (databasePath !== ':memory:' && !existsSync(databasePath)) {
    throw new ScriptError(
      `There is no database at ${databasePath}: set DATABASE_URL to the one Escalator runs on (default file:./data/escalator.db).`,
    );
  }
}

export async function runScript(
  main: (argv: string[]) => Promise<number>,
  usage: { error: new (...args: never[]) => Error; text: string },
): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    if (error instanceof usage.error) {
      console.error(`${error.message}\n\n${usage.text}`);
      process.exitCode = 2;
    } else {
      // ConfigError and ScriptError say what to fix in their message; anything else is a bug,
      // still reported in one line rather than a stack trace an admin has to read.
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    }
  }
}
