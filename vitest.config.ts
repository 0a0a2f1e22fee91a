import { defineConfig } from 'vitest/config';

/**
 * The whole suite runs on SQLite (project `sqlite`) and, when `TEST_DATABASE_URL` names a
 * PostgreSQL server tests may create databases on, once more on PostgreSQL (project `postgres`):
 * there every test's store gets a database of its own on that server.
 */
const onBothDatabases = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    globalSetup: ['test/support/core/database-global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'sqlite' } },
      ...(onBothDatabases
        ? [
            {
              extends: true as const,
              test: { name: 'postgres', env: { ESCALATOR_TEST_DATABASE: 'postgres' } },
            },
          ]
        : []),
    ],
  },
});
