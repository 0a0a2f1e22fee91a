/**
 * Which database the running vitest project tests on: PostgreSQL in the `postgres` project
 * (vitest.config.ts sets ESCALATOR_TEST_DATABASE there), SQLite files otherwise.
 */
export const onPostgres = process.env.ESCALATOR_TEST_DATABASE === 'postgres';

/** Appended to the name of suites about SQLite itself, which the `postgres` project skips. */
export const SQLITE_ONLY = '(SQLite only: about the SQLite file itself, skipped on PostgreSQL)';
