/**
 * The command line of `npm run migrate:sqlite-to-postgres`. Every problem is a
 * `MigrateUsageError` whose message says what to type instead; the script prints it with the usage
 * and exits 2. URLs are never quoted back: a PostgreSQL one may hold a password.
 */
import { parseArgs } from 'node:util';
import { isPostgresUrl, postgresUrlProblem } from '../postgres/postgres-url.js';

export const MIGRATE_USAGE = `usage: npm run migrate:sqlite-to-postgres -- --from file:./data/escalator.db --to postgres://user:password@host:5432/escalator

Copies everything an Escalator installation stored in SQLite (issues, messages, escalations and
their history, the outbox, CSAT answers, people, triggers, digests, the local workspace) into a
PostgreSQL database, then compares the rows of every table. Stop Escalator first: what it writes
during the copy is not copied.

  --from URL   the SQLite database Escalator ran on (file:…); opened read-only, never changed
  --to URL     the PostgreSQL database to fill (postgres://… or postgresql://…, sslmode and the
               other connection parameters included); it is brought to the current schema first
               and must not hold any rows yet
  --help       show this text

Every table is copied in one transaction: if anything fails, the PostgreSQL database stays empty.
Afterwards, set DATABASE_URL to the PostgreSQL URL and start Escalator.`;

export class MigrateUsageError extends Error {}

export type MigrateCommand = { help: true } | { help: false; from: string; to: string };

/** Parses `process.argv.slice(2)`; throws `MigrateUsageError` saying what to fix. */
export function parseMigrateArgs(argv: readonly string[]): MigrateCommand {
  const { tokens } = parseArgs({
    args: [...argv],
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const given: { from?: string; to?: string } = {};
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new MigrateUsageError(
        'Unexpected argument: name both databases with --from and --to, e.g. --from file:./data/escalator.db --to postgres://….',
      );
    }
    if (token.name === 'help' || token.name === 'h') help = true;
    else if (token.name === 'from' || token.name === 'to') {
      // Without `=`, a following option is not a value: `--from --to …` lacks the database.
      const value = token.inlineValue || !token.value?.startsWith('-') ? token.value?.trim() : undefined;
      if (!value) throw new MigrateUsageError(`--${token.name} needs a database URL.`);
      if (given[token.name] !== undefined && given[token.name] !== value) {
        throw new MigrateUsageError(`--${token.name} is given twice: copy one database at a time.`);
      }
      given[token.name] = value;
    } else {
      throw new MigrateUsageError(
        `Unknown option ${token.rawName}: the options are --from, --to and --help.`,
      );
    }
  }
  if (help) return { help: true };
  return { help: false, from: sqliteSource(given.from), to: postgresTarget(given.to) };
}

function sqliteSource(from: string | undefined): string {
  if (from === undefined) {
    throw new MigrateUsageError(
      'Missing --from: name the SQLite database to copy, e.g. --from file:./data/escalator.db.',
    );
  }
  // Any other scheme (postgres://, mysql://…) is not a SQLite file; a bare path is one.
  if (!from.startsWith('file:') && /^[a-z][a-z\d+.-]*:\/\//i.test(from)) {
    throw new MigrateUsageError(
      '--from must be a SQLite database (file:./data/escalator.db): the copy goes from SQLite to PostgreSQL only.',
    );
  }
  if (from === 'file::memory:' || from === ':memory:') {
    throw new MigrateUsageError(
      '--from must be a database file: an in-memory database holds nothing to copy.',
    );
  }
  return from.startsWith('file:') ? from : `file:${from}`;
}

function postgresTarget(to: string | undefined): string {
  if (to === undefined) {
    throw new MigrateUsageError(
      'Missing --to: name the PostgreSQL database to copy into, e.g. --to postgres://escalator:secret@db.example.com:5432/escalator.',
    );
  }
  if (!isPostgresUrl(to)) {
    throw new MigrateUsageError(
      '--to must be a PostgreSQL URL (postgres://user:password@host:5432/database): the copy goes from SQLite to PostgreSQL only.',
    );
  }
  const problem = postgresUrlProblem(to);
  if (problem) throw new MigrateUsageError(`--to ${problem}.`);
  return to;
}
