import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyticsRepository } from '../../../src/db/sqlite/analytics-repository.js';
import * as schema from '../../../src/db/sqlite/schema.js';
import { onPostgres, SQLITE_ONLY } from '../../support/core/database-project.js';
import { createTempSqliteStore, type TempSqliteStore } from '../../support/core/temp-store.js';

let temp: TempSqliteStore | undefined;
afterEach(() => temp?.cleanup());

/**
 * Runs each analytics query over a raw connection to a migrated file, records the SQL exactly as
 * drizzle sends it and returns SQLite's plan for it: the statements are read from the repository
 * itself, so a change there that loses the index shows up here.
 */
async function plans(): Promise<{ facts: string[]; issues: string[] }> {
  temp = createTempSqliteStore();
  await temp.store.close(); // the migrations are applied; read the file through our own handle
  const connection = new Database(temp.path);
  try {
    let last = '';
    const db = drizzle(connection, { schema, logger: { logQuery: (query) => (last = query) } });
    const repo = createAnalyticsRepository(db);
    const from = new Date('2026-10-26T04:00:00Z');
    const to = new Date('2026-11-02T05:00:00Z');
    const planOf = () => {
      const params = Array.from(last.matchAll(/\?/g), () => 0);
      const rows = connection.prepare(`explain query plan ${last}`).all(...params) as { detail: string }[];
      return rows.map((r) => r.detail);
    };
    await repo.listEscalationFacts(from, to);
    const facts = planOf();
    await repo.countIssues(from, to);
    return { facts, issues: planOf() };
  } finally {
    connection.close();
  }
}

const scans = (plan: string[]) => plan.filter((step) => /^SCAN /.test(step));

describe.skipIf(onPostgres)(`the analytics queries read a period through an index ${SQLITE_ONLY}`, () => {
  it('escalation facts: a range search on created_at, then one lookup per row for the issue, CSAT and systemic members', async () => {
    const { facts } = await plans();
    expect(facts).toContain(
      'SEARCH escalations USING INDEX escalations_created_idx (created_at>? AND created_at<?)',
    );
    expect(facts.some((s) => /^SEARCH issues USING .*INDEX .*\(id=\?\)/.test(s))).toBe(true);
    expect(facts.some((s) => /^SEARCH csat_responses USING INDEX csat_responses_escalation_uq/.test(s))).toBe(
      true,
    );
    expect(facts.some((s) => /^SEARCH sm USING COVERING INDEX systemic_members_uq/.test(s))).toBe(true);
    expect(scans(facts)).toEqual([]);
  });

  it('issue counts: a range search on opened_at, and the "ever escalated" check probes an index', async () => {
    const { issues } = await plans();
    expect(issues).toContain('SEARCH issues USING INDEX issues_opened_idx (opened_at>? AND opened_at<?)');
    expect(issues.some((s) => /^SEARCH e USING .*INDEX escalations_issue_idx \(issue_id=\?\)/.test(s))).toBe(
      true,
    );
    expect(scans(issues)).toEqual([]);
  });
});
