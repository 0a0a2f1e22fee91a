/**
 * Opening a PostgreSQL store: migrations applied once even when replicas start together, readiness
 * that follows the database, and the pool settings read from DATABASE_URL.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPostgresStore, PG_MIGRATIONS_FOLDER } from '../../../src/db/postgres/open-postgres-store.js';
import { sqlStateOf } from '../../../src/db/postgres/serializable-transaction.js';
import type { Store } from '../../../src/ports/store.js';
import { makeEscalation, makeIssue } from '../../support/core/domain-builders.js';
import {
  createPostgresTestDatabase,
  describePostgres,
  type PostgresTestDatabase,
} from '../../support/core/test-database.js';

const JOURNAL_TAGS: string[] = JSON.parse(
  readFileSync(`${PG_MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8'),
).entries.map((entry: { tag: string }) => entry.tag);

/** SQLSTATE of a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';

let database: PostgresTestDatabase;
const opened: Store[] = [];
const clients: pg.Client[] = [];

async function open(query = ''): Promise<Store> {
  const store = await openPostgresStore(`${database.url}${query}`);
  opened.push(store);
  return store;
}

/** A connection of the test's own, as an operator with psql would have. */
async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.url });
  // Dropping the database ends this connection too; that is expected, not a crash.
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

/** Holds a lock on the escalation's row until `release`, so the store's writes to it wait. */
async function lockEscalationRow(id: string): Promise<{ release(): Promise<void> }> {
  const client = await connect();
  await client.query('begin');
  await client.query('select id from escalations where id = $1 for update', [id]);
  return { release: async () => void (await client.query('rollback')) };
}

async function seedEscalation(store: Store): Promise<string> {
  const escalation = makeEscalation();
  await store.transaction(async (tx) => {
    await tx.issues.create(makeIssue());
    await tx.escalations.create(escalation);
  });
  return escalation.id;
}

describePostgres('opening a PostgreSQL store', () => {
  beforeEach(async () => {
    database = await createPostgresTestDatabase();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end().catch(() => undefined);
    for (const store of opened.splice(0)) await store.close();
    await database.drop();
  });

  it('two replicas starting together both open it, and each migration is applied once', async () => {
    const [first, second] = await Promise.all([open(), open()]);
    expect(await first.isReady()).toBe(true);
    expect(await second.readiness()).toEqual({
      ready: true,
      checks: { database: { ok: true }, migrations: { ok: true } },
    });
    const client = await connect();
    const { rows } = await client.query<{ hash: string; n: number }>(
      'select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash',
    );
    expect(rows).toHaveLength(JOURNAL_TAGS.length);
    expect(rows.every((row) => row.n === 1)).toBe(true);
    // And both work on the same tables.
    const id = await seedEscalation(first);
    expect((await second.escalations.get(id))?.id).toBe(id);
  });

  it('reopening applies nothing again and keeps the data', async () => {
    const id = await seedEscalation(await open());
    const reopened = await open();
    expect((await reopened.escalations.get(id))?.id).toBe(id);
    const { rows } = await (await connect()).query('select 1 from drizzle.__drizzle_migrations');
    expect(rows).toHaveLength(JOURNAL_TAGS.length);
  });

  it('readiness names missing migrations, then a database that went away', async () => {
    const store = await open();
    await (await connect()).query('delete from drizzle.__drizzle_migrations');
    const missing = await store.readiness();
    expect(missing.ready).toBe(false);
    expect(missing.checks.database).toEqual({ ok: true });
    expect(missing.checks.migrations.detail).toContain(`migrations not applied: ${JOURNAL_TAGS[0]}`);

    await database.drop();
    const gone = await store.readiness();
    expect(gone.ready).toBe(false);
    expect(gone.checks.database.ok).toBe(false);
    expect(gone.checks.database.detail).toMatch(/^the database query failed: /);
    expect(await store.isReady()).toBe(false);
  });

  it('statement_timeout in the URL cuts a statement that waits longer', async () => {
    const store = await open('?statement_timeout=100');
    const id = await seedEscalation(store);
    const lock = await lockEscalationRow(id);
    const started = Date.now();
    const error = await store.escalations.setCardRef(id, 'slack:C0L2', '1.2').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(sqlStateOf(error)).toBe(QUERY_CANCELED);
    expect(Date.now() - started).toBeLessThan(5_000);
    await lock.release();
    await store.escalations.setCardRef(id, 'slack:C0L2', '1.2');
    expect((await store.escalations.get(id))?.cardMessageId).toBe('1.2');
  });

  it('pool in the URL caps the connections the store opens', async () => {
    const store = await open('?pool=2');
    const id = await seedEscalation(store);
    const lock = await lockEscalationRow(id);
    const writes = ['1', '2', '3', '4'].map((n) => store.escalations.setCardRef(id, 'slack:C0L2', n));
    const observer = await connect();
    const connections = async () =>
      (
        await observer.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'escalator'",
        )
      ).rows[0]!.n;
    await expect.poll(connections, { timeout: 5_000 }).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await connections()).toBe(2);
    await lock.release();
    await Promise.all(writes);
  });
});
