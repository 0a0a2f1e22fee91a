import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, sqlitePathOf } from '../../../src/db/sqlite/open-sqlite-store.js';
import { onPostgres, SQLITE_ONLY } from '../../support/core/database-project.js';
import { makeEscalation, makeIssue } from '../../support/core/domain-builders.js';
import {
  createTempSqliteStore,
  createTempStore,
  type TempSqliteStore,
  type TempStore,
} from '../../support/core/temp-store.js';

/** One row in __drizzle_migrations per SQL file in migrations/. */
const MIGRATION_FILES = readdirSync(new URL('../../../migrations/', import.meta.url)).filter((f) =>
  f.endsWith('.sql'),
).length;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function tempStore(): TempSqliteStore {
  const temp = createTempSqliteStore();
  cleanups.push(temp.cleanup);
  return temp;
}

/** A store on the database the project tests on (SQLite, or PostgreSQL in the postgres project). */
async function projectStore(): Promise<TempStore> {
  const temp = await createTempStore();
  cleanups.push(temp.cleanup);
  return temp;
}

/** Reads the file through its own connection, as an operator with the sqlite3 shell would. */
function inspect<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const tableNames = (db: Database.Database) =>
  (
    db.prepare("select name from sqlite_master where type = 'table' order by name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
const migrationCount = (db: Database.Database) =>
  (db.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;

describe.skipIf(onPostgres)(`opening a SQLite file store ${SQLITE_ONLY}`, () => {
  it('creates every table on a fresh file and reports ready', async () => {
    const { store, path } = tempStore();
    expect(await store.isReady()).toBe(true);
    expect(inspect(path, tableNames)).toEqual(
      expect.arrayContaining([
        '__drizzle_migrations',
        'escalation_events',
        'escalations',
        'issues',
        'messages',
        'outbox',
        'processed_events',
        'people',
        'conversation_refs',
        'digests',
        'knowledge_entries',
        'deflections',
      ]),
    );
    expect(inspect(path, migrationCount)).toBe(MIGRATION_FILES);
  });

  it('creates missing parent folders for the database file', async () => {
    const { dir } = tempStore();
    const nested = `${dir}/nested/deeper/escalator.db`;
    const store = openSqliteStore(`file:${nested}`);
    try {
      expect(await store.isReady()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('reopening the same file keeps the data and does not apply migrations again', async () => {
    const temp = tempStore();
    await temp.store.transaction((tx) => tx.issues.create(makeIssue({ id: 'iss_keep', number: 1 })));
    await temp.store.close();

    const reopened = openSqliteStore(`file:${temp.path}`);
    try {
      expect(await reopened.isReady()).toBe(true);
      expect(await reopened.issues.get('iss_keep')).toMatchObject({ id: 'iss_keep', number: 1 });
      expect(await reopened.issues.nextNumber()).toBe(2);
    } finally {
      await reopened.close();
    }
    expect(inspect(temp.path, migrationCount)).toBe(MIGRATION_FILES);
  });

  it('uses WAL journaling for files', () => {
    const { path } = tempStore();
    expect(inspect(path, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('an in-memory store works too (no WAL there)', async () => {
    const store = openSqliteStore('file::memory:');
    try {
      expect(await store.isReady()).toBe(true);
      await store.transaction((tx) => tx.issues.create(makeIssue()));
      expect(await store.issues.get('iss_test1')).toBeDefined();
    } finally {
      await store.close();
    }
  });

  it('is no longer ready once closed', async () => {
    const temp = tempStore();
    await temp.store.close();
    expect(await temp.store.isReady()).toBe(false);
  });
});

describe('the database enforces at most one active escalation per issue', () => {
  async function withIssue() {
    const { store, url } = await projectStore();
    await store.transaction((tx) => tx.issues.create(makeIssue({ id: 'iss_1', number: 1 })));
    return { store, url };
  }
  const esc = (n: number, status: 'open' | 'claimed' | 'resolved' | 'bounced' | 'superseded') =>
    makeEscalation({ id: `esc_${n}`, number: n, issueId: 'iss_1', status });

  it.each([
    ['open', 'open'],
    ['open', 'claimed'],
    ['claimed', 'open'],
  ] as const)('a second active escalation (%s, then %s) is rejected', async (first, second) => {
    const { store } = await withIssue();
    await store.transaction((tx) => tx.escalations.create(esc(1, first)));
    await expect(store.transaction((tx) => tx.escalations.create(esc(2, second)))).rejects.toThrow(/unique/i);
    expect((await store.escalations.listForIssue('iss_1')).map((e) => e.id)).toEqual(['esc_1']);
  });

  it.skipIf(onPostgres)(
    `the index is enforced by SQLite itself, not only by the repository ${SQLITE_ONLY}`,
    async () => {
      const { store, url } = await withIssue();
      await store.transaction((tx) => tx.escalations.create(esc(1, 'open')));
      await store.close();
      const db = new Database(sqlitePathOf(url));
      try {
        const copy = db.prepare(
          "insert into escalations select 'esc_raw', 99, issue_id, 'claimed', version, type, path, level, path_snapshot, priority, trigger, evidence, reason, reason_category, parent_id, created_by, created_at, ack_due_at, resolve_due_at, claimed_by, claimed_at, resolved_by, resolved_at, resolution_note, root_cause, bounced_by, bounced_at, bounce_reason, superseded_by, card_channel, card_message_id, updated_at, status_note, ai_summary, reescalation_of, ping_pong, text_purged_at, similar_past from escalations where id = 'esc_1'",
        );
        expect(() => copy.run()).toThrow(/UNIQUE constraint failed: escalations.issue_id/);
      } finally {
        db.close();
      }
    },
  );

  it('finished escalations do not count: a new one may open beside them', async () => {
    const { store } = await withIssue();
    await store.transaction(async (tx) => {
      await tx.escalations.create(esc(1, 'resolved'));
      await tx.escalations.create(esc(2, 'bounced'));
      await tx.escalations.create(esc(3, 'superseded'));
      await tx.escalations.create(esc(4, 'open'));
    });
    expect((await store.escalations.findActiveForIssue('iss_1'))?.id).toBe('esc_4');
  });

  it('moving an escalation back to active beside another active one is rejected', async () => {
    const { store } = await withIssue();
    await store.transaction(async (tx) => {
      await tx.escalations.create(esc(1, 'resolved'));
      await tx.escalations.create(esc(2, 'open'));
    });
    await expect(
      store.transaction((tx) => tx.escalations.update({ ...esc(1, 'open'), version: 2 }, 1)),
    ).rejects.toThrow(/unique/i);
  });
});
