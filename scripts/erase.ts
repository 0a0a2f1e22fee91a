import { erasePerson } from '../src/app/erase-person.js';
import { describeErasure } from '../src/app/erasure-report.js';
import { ERASE_USAGE, EraseUsageError, parseEraseArgs } from '../src/app/parse-erase-args.js';
import { loadConfig } from '../src/config/index.js';
import { isPostgresUrl, openStore } from '../src/db/open-store.js';
import { compactDatabase } from '../src/db/sqlite/compact-database.js';
import { requireExistingDatabase, runScript, ScriptError } from './script-runner.js';

async function main(argv: string[]): Promise<number> {
  const command = parseEraseArgs(argv);
  if (command.help) {
    console.log(ERASE_USAGE);
    return 0;
  }
  const { env } = loadConfig();
  requireExistingDatabase(env.databaseUrl);
  const store = await openStore(env.databaseUrl);
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
  if (isPostgresUrl(env.databaseUrl)) {
    // Compacting is SQLite's; PostgreSQL's autovacuum reclaims the old row versions by itself.
    console.log(
      'PostgreSQL keeps the old versions of the changed rows until autovacuum reclaims them; `VACUUM FULL` rewrites the tables now.',
    );
    return 0;
  }
  // Deleted text can linger in free pages and the write-ahead log until SQLite reuses them.
  const again = `run \`npm run erase -- --user ${command.personId}\` again when Escalator is idle (or stopped)`;
  let clean: boolean;
  try {
    clean = compactDatabase(env.databaseUrl);
  } catch (error) {
    throw new ScriptError(
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

await runScript(main, { error: EraseUsageError, text: ERASE_USAGE });
