import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as schema from '../../../src/db/sqlite/schema.js';
import { readStoreStats } from '../../../src/db/sqlite/store-stats.js';
import { onPostgres, SQLITE_ONLY } from '../../support/core/database-project.js';
import { makeEscalation, makeIssue } from '../../support/core/domain-builders.js';
import { createTempSqliteStore, createTempStore, type TempStore } from '../../support/core/temp-store.js';

let temp: TempStore | undefined;
afterEach(() => temp?.cleanup());

const at = new Date('2026-11-02T10:00:00Z');
const note = (text: string) => ({
  kind: 'thread_note' as const,
  thread: { channel: 'slack:C1', threadId: '1.0' },
  text,
});

describe('the store figures /metrics reads at scrape time', () => {
  it('counts escalations by status (zeros included) and the outbox entries still to deliver', async () => {
    temp = await createTempStore();
    const { store } = temp;
    await store.transaction(async (tx) => {
      for (const n of [1, 2, 3])
        await tx.issues.create(makeIssue({ id: `iss_${n}`, number: n, threadId: `${n}.0` }));
      await tx.escalations.create(
        makeEscalation({ id: 'esc_1', number: 1, issueId: 'iss_1', status: 'open' }),
      );
      await tx.escalations.create(
        makeEscalation({ id: 'esc_2', number: 2, issueId: 'iss_2', status: 'claimed' }),
      );
      await tx.escalations.create(
        makeEscalation({ id: 'esc_3', number: 3, issueId: 'iss_3', status: 'resolved' }),
      );
      await tx.escalations.create(
        makeEscalation({ id: 'esc_4', number: 4, issueId: 'iss_3', status: 'resolved' }),
      );
    });
    const ids = await store.transaction(async (tx) =>
      Promise.all(['a', 'b', 'c', 'd'].map((text) => tx.outbox.add(`iss_${text}`, note(text), at))),
    );
    await store.outbox.markDelivered(ids[0]!, at);
    await store.outbox.markDead(ids[1]!, 'channel_not_found');
    await store.outbox.markRetry(ids[2]!, '503', new Date(at.getTime() + 60_000)); // still pending

    const stats = await store.stats();
    expect(stats).toEqual({
      escalationsByStatus: expect.objectContaining({
        open: 1,
        claimed: 1,
        resolved: 2,
        bounced: 0,
        superseded: 0,
        dismissed: 0,
      }),
      outboxPending: 2, // the retry waiting for its time, and the untouched one; not the dead one
    });
    expect(Object.values(stats.escalationsByStatus).reduce((a, b) => a + b)).toBe(4);
  });

  it.skipIf(onPostgres)(
    `reads only indexes, never table rows; the outbox backlog is a seek that costs what is pending ${SQLITE_ONLY}`,
    async () => {
      const sqlite = createTempSqliteStore();
      temp = sqlite;
      await sqlite.store.close();
      const connection = new Database(sqlite.path);
      try {
        const statements: { query: string; params: unknown[] }[] = [];
        const db = drizzle(connection, {
          schema,
          logger: { logQuery: (query, params) => statements.push({ query, params }) },
        });
        readStoreStats(db);
        // With the values drizzle bound: SQLite picks partial indexes by the bound value.
        const plans = statements.map(({ query, params }) =>
          (connection.prepare(`explain query plan ${query}`).all(...params) as { detail: string }[])
            .map((row) => row.detail)
            .join('; '),
        );
        expect(plans).toHaveLength(2);
        expect(plans[0]).toMatch(/^SCAN escalations USING COVERING INDEX \w+$/);
        expect(plans[1]).toBe('SEARCH outbox USING COVERING INDEX outbox_pending_idx (status=?)');
      } finally {
        connection.close();
      }
    },
  );
});
