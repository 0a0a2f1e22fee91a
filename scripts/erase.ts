/**
 * Erases one person from Escalator's database, for a data-protection request:
 *
 *   npm run erase -- --user slack:U0123ABCD --dry-run    # what would go
 *   npm run erase -- --user slack:U0123ABCD
 *   npm run erase -- --user teams:00000000-0000-0000-0000-000000000000
 *
 * The database comes from DATABASE_URL (or `.env`) exactly as for `npm start`. What was removed is
 * printed per table on standard output. Messages already posted in Slack or Teams (cards, notes)
 * are the platform's to delete; this script cannot reach them.
 *
 * Exit codes: 0 erased (or dry run, or --help), 1 configuration or database problem, 2 bad arguments.
 */
import { existsSync } from 'node:fs';
import { erasePerson } from '../src/app/erase-person.js';
import { describeErasure } from '../src/app/erasure-report.js';
import { ERASE_USAGE, EraseUsageError, parseEraseArgs } from '../src/app/parse-erase-args.js';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { compactDatabase } from '../src/db/sqlite/compact-database.js';
import { openSqliteStore, sqlitePathOf } from '../src/db/sqlite/open-sqlite-store.js';

/** A problem to report in one line and exit 1 for (not a usage error). */
class EraseError extends Error {}

async function main(argv: string[]): Promise<number> {
  const command = parseEraseArgs(argv);
  if (command.help) {
    console.log(ERASE_USAGE);
    return 0;
  }
  const { env } = loadConfig();
  // Opening a missing file would create an empty database and erase nothing without a word.
  const databasePath = sqlitePathOf(env.databaseUrl);
  if (databasePath !== ':memory:' && !existsSync(databasePath)) {
    throw new EraseError(
      `There is no database at ${databasePath}: set DATABASE_URL to the one Escalator runs on (default file:./data/escalator.db).`,
    );
  }
  const store = openSqliteStore(env.databaseUrl);
  let report: Awaited<ReturnType<typeof erasePerson>>;
  try {
    report = await erasePerson(store, {
      personId: command.personId,
      dryRun: command.dryRun,
      now: new Date(),
    });
  } finally {
    await store.close();
  }
  console.log(describeErasure(report));
  if (report.dryRun) return 0;
  // Deleted text can linger in free pages and the write-ahead log until SQLite reuses them.
  const again = `run \`npm run erase -- --user ${command.personId}\` again when Escalator is idle (or stopped)`;
  let clean: boolean;
  try {
    clean = compactDatabase(env.databaseUrl);
  } catch (error) {
    throw new EraseError(
      `The erasure is saved, but the database file could not be rewritten (${(error as Error).message}), so removed text may remain in its free space: ${again}.`,
    );
  }
  console.log(
    clean
      ? 'The database file was rewritten, so no removed text is left in its free space.'
      : `Escalator was reading the database, so its write-ahead log still holds old pages until it writes again: ${again} to rewrite it now.`,
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof EraseUsageError) {
    console.error(`${error.message}\n\n${ERASE_USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError || error instanceof EraseError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
