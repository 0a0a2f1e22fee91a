/**
 * Moves an installation from SQLite to PostgreSQL:
 *
 *   npm run migrate:sqlite-to-postgres -- --from file:./data/escalator.db --to postgres://…
 *
 * The SQLite file is only read; the PostgreSQL database is migrated to the current schema and must
 * be empty. Every table is copied in one transaction and the row counts are compared before it
 * commits, so the target ends up with all of the data or none of it. Prints each table as it is
 * copied, then the counts side by side.
 *
 * Exit codes: 0 copied (or --help), 1 the copy was refused or failed (nothing copied), 2 bad arguments.
 */
import {
  copySqliteToPostgres,
  type TableCount,
  type TableProgress,
} from '../src/db/sqlite-to-postgres/copy-sqlite-to-postgres.js';
import {
  MIGRATE_USAGE,
  MigrateUsageError,
  parseMigrateArgs,
} from '../src/db/sqlite-to-postgres/parse-migrate-args.js';
import { runScript } from './script-runner.js';

/** A large table also reports every this many rows, so a long copy visibly moves. */
const PROGRESS_EVERY = 50_000;

const count = (n: number) => n.toLocaleString('en-US');
const rowsOf = (n: number) => `${count(n)} row${n === 1 ? '' : 's'}`;

async function main(argv: string[]): Promise<number> {
  const command = parseMigrateArgs(argv);
  if (command.help) {
    console.log(MIGRATE_USAGE);
    return 0;
  }
  const started = performance.now();
  const target = new URL(command.to);
  console.log(`Copying ${command.from} into PostgreSQL at ${target.host}${target.pathname}.`);
  const result = await copySqliteToPostgres({
    from: command.from,
    to: command.to,
    onProgress: progressPrinter(),
  });
  console.log(`\n${countsTable(result.counts)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!result.committed) {
    console.error(
      `The row counts differ (marked above), so the copy was rolled back after ${seconds} s: the PostgreSQL database is still empty.`,
    );
    return 1;
  }
  const rows = result.counts.reduce((sum, c) => sum + c.postgres, 0);
  console.log(
    `Copied ${rowsOf(rows)} in ${result.counts.length} tables in ${seconds} s. Set DATABASE_URL to the --to URL and start Escalator.`,
  );
  return 0;
}

/** One line per table when it is done, and one per PROGRESS_EVERY rows of a large one before that. */
function progressPrinter(): (progress: TableProgress) => void {
  let tableStarted = 0;
  let reported = 0;
  return ({ table, copied, total, done }) => {
    if (copied === 0 && !done) {
      tableStarted = performance.now();
      reported = 0;
    } else if (done) {
      const seconds = ((performance.now() - tableStarted) / 1000).toFixed(1);
      console.log(
        `  ${table.padEnd(20)} ${count(copied).padStart(11)} ${copied === 1 ? 'row' : 'rows'} copied (${seconds} s)`,
      );
    } else if (copied - reported >= PROGRESS_EVERY && copied < total) {
      console.log(`  ${table.padEnd(20)} ${count(copied).padStart(11)} of ${rowsOf(total)}…`);
      reported = copied;
    }
  };
}

function countsTable(counts: TableCount[]): string {
  const total = (side: 'sqlite' | 'postgres') => counts.reduce((sum, c) => sum + c[side], 0);
  const line = (name: string, sqlite: string, postgres: string, note = '') =>
    `${name.padEnd(20)} ${sqlite.padStart(11)} ${postgres.padStart(11)}${note}`.trimEnd();
  return [
    line('table', 'SQLite', 'PostgreSQL'),
    ...counts.map((c) =>
      line(c.table, count(c.sqlite), count(c.postgres), c.sqlite === c.postgres ? '' : '  <- differs'),
    ),
    line('total', count(total('sqlite')), count(total('postgres'))),
  ].join('\n');
}

await runScript(main, { error: MigrateUsageError, text: MIGRATE_USAGE });
