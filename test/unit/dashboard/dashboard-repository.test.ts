import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { activeEscalationsQuery } from '../../../src/db/sqlite/dashboard-repository.js';
import * as schema from '../../../src/db/sqlite/schema.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import { onPostgres, SQLITE_ONLY } from '../../support/core/database-project.js';
import { makeEscalation, makeIssue } from '../../support/core/domain-builders.js';
import { createTempSqliteStore, createTempStore, type TempStore } from '../../support/core/temp-store.js';

let temp: TempStore | undefined;
afterEach(() => temp?.cleanup());

const T0 = new Date('2026-03-02T00:00:00.000Z').getTime();
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe("the dashboard's open escalations query", () => {
  it('lists open and claimed escalations, the running deadline soonest first and none last, with their thread and level', async () => {
    temp = await createTempStore();
    const { store } = temp;
    let n = 0;
    const add = async (overrides: Partial<Escalation>) => {
      n += 1;
      const issue = makeIssue({ id: `iss_${n}`, number: n, threadId: `17000000${n}.000100` });
      await store.issues.create(issue);
      await store.escalations.create(
        makeEscalation({ id: `esc_${n}`, number: n, issueId: issue.id, ...overrides }),
      );
    };
    await add({ status: 'open', ackDueAt: at(30), resolveDueAt: at(240) }); // claim by 30
    await add({ status: 'claimed', ackDueAt: at(5), resolveDueAt: at(20), claimedBy: 'slack:U0BOB' }); // resolve by 20
    await add({ status: 'open', ackDueAt: null, resolveDueAt: at(25) }); // no claim deadline: resolve by 25
    await add({ status: 'claimed', ackDueAt: at(1), resolveDueAt: null, claimedBy: 'slack:U0BOB' }); // none runs
    await add({ status: 'resolved', ackDueAt: at(0), resolveDueAt: at(0) });
    await add({ status: 'superseded', ackDueAt: at(0) });
    await add({ status: 'open', level: 1, ackDueAt: at(-10), resolveDueAt: at(300) }); // overdue

    const rows = await store.dashboard.listActive(10);
    expect(rows.map((r) => r.id)).toEqual(['esc_7', 'esc_2', 'esc_3', 'esc_1', 'esc_4']);
    expect(rows[0]).toMatchObject({
      issueNumber: 7,
      channel: 'slack:C0SUPPORT',
      threadId: '170000007.000100',
      levelName: 'L3 Engineering',
      evidenceSummary: 'Escalated by hand by <@slack:U0AGENT>.',
      ackDueAt: at(-10),
    });
    expect(await store.dashboard.listActive(2)).toHaveLength(2);
  });

  it.skipIf(onPostgres)(
    `reads only the active rows through an index, never the whole history ${SQLITE_ONLY}`,
    async () => {
      const sqlite = createTempSqliteStore();
      temp = sqlite;
      await sqlite.store.close();
      const connection = new Database(sqlite.path);
      try {
        const db = drizzle(connection, { schema });
        const query = activeEscalationsQuery(db, 50).toSQL();
        const plan = (
          connection.prepare(`explain query plan ${query.sql}`).all(...(query.params as unknown[])) as {
            detail: string;
          }[]
        ).map((r) => r.detail);
        const escalationsStep = plan.find((step) => / escalations /.test(` ${step} `));
        expect(escalationsStep).toMatch(
          /USING (COVERING )?INDEX escalations_(ack_due_idx|resolve_due_idx|one_active_uq)/,
        );
        expect(plan.filter((step) => /^SCAN escalations$/.test(step))).toEqual([]);
        expect(plan.some((s) => /^SEARCH issues USING .*INDEX .*\(id=\?\)/.test(s))).toBe(true);
      } finally {
        connection.close();
      }
    },
  );
});
