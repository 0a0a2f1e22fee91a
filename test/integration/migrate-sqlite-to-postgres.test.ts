/**
 * `npm run migrate:sqlite-to-postgres` end to end: an installation's story written through the
 * Store into a real SQLite file, the real script run as its own process, and the PostgreSQL
 * database it filled opened with the real store: the core must read the same installation there.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/db/postgres/open-postgres-store.js';
import type { Store } from '../../src/ports/store.js';
import { onPostgres } from '../support/core/database-project.js';
import { runStatement } from '../support/core/raw-database.js';
import { tableCounts } from '../support/core/table-counts.js';
import { createTempSqliteStore, type TempSqliteStore } from '../support/core/temp-store.js';
import {
  createPostgresTestDatabase,
  describePostgres,
  type PostgresTestDatabase,
} from '../support/core/test-database.js';
import {
  AGENT,
  at,
  installationAnswers,
  tellInstallationStory,
} from '../support/migration/installation-story.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'migrate-sqlite-to-postgres.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const USAGE_LINE = 'usage: npm run migrate:sqlite-to-postgres -- --from file:';

/** Runs the script as its own process with only PATH in its environment. */
function migrate(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The counts table the script prints: `table  SQLite  PostgreSQL` rows up to `total`. */
function printedCounts(stdout: string): Record<string, { sqlite: number; postgres: number }> {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => /^table\s+SQLite\s+PostgreSQL$/.test(line));
  const rows: Record<string, { sqlite: number; postgres: number }> = {};
  for (const line of lines.slice(header + 1)) {
    const match = /^(\w+)\s+([\d,]+)\s+([\d,]+)$/.exec(line);
    if (!match || match[1] === 'total') break;
    const n = (text: string) => Number(text.replaceAll(',', ''));
    rows[match[1]!] = { sqlite: n(match[2]!), postgres: n(match[3]!) };
  }
  return rows;
}

describe.skipIf(onPostgres)('npm run migrate:sqlite-to-postgres', () => {
  describePostgres('copying an installation', () => {
    let source: TempSqliteStore;
    let target: PostgresTestDatabase;
    let copied: Store | undefined;
    let sqliteAnswers: Awaited<ReturnType<typeof installationAnswers>>;
    let hashBefore: string;
    let first: ReturnType<typeof migrate>;

    beforeAll(async () => {
      source = createTempSqliteStore();
      await tellInstallationStory(source.store);
      sqliteAnswers = await installationAnswers(source.store);
      // Escalator is stopped before the copy: closing folds the write-ahead log into the file.
      await source.store.close();
      hashBefore = sha256(source.path);
      target = await createPostgresTestDatabase();
      first = migrate(['--from', source.url, '--to', target.url]);
    });

    afterAll(async () => {
      await copied?.close();
      await target?.drop();
      await source?.cleanup();
    });

    async function copiedStore(): Promise<Store> {
      copied ??= await openPostgresStore(target.url);
      return copied;
    }

    it('copies every table and prints the same count for SQLite and PostgreSQL', async () => {
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      const sqliteCounts = await tableCounts(source.url);
      const postgresCounts = await tableCounts(target.url);
      expect(postgresCounts).toEqual(sqliteCounts);
      const printed = printedCounts(first.stdout);
      expect(Object.keys(printed).sort()).toEqual(Object.keys(sqliteCounts).sort());
      for (const [table, rows] of Object.entries(sqliteCounts)) {
        expect(printed[table], table).toEqual({ sqlite: rows, postgres: rows });
        expect(first.stdout).toMatch(new RegExp(`^  ${table} +[\\d,]+ rows? copied`, 'm'));
      }
      expect(sqliteCounts).toMatchObject({
        issues: 4,
        escalations: 3,
        escalation_events: 6,
        outbox: 5,
        local_messages: 6,
        knowledge_entries: 1,
        deflections: 1,
      });
      const total = Object.values(sqliteCounts).reduce((sum, n) => sum + n, 0);
      expect(first.stdout).toContain(
        `Copied ${total} rows in ${Object.keys(sqliteCounts).length} tables in `,
      );
    });

    it('lets the core read the same installation from PostgreSQL', async () => {
      const answers = await installationAnswers(await copiedStore());
      expect(answers).toEqual(sqliteAnswers);
      // The story itself, so equal answers are not equally empty ones.
      expect(answers.issues[1]).toMatchObject({
        id: 'iss_2',
        number: 2,
        status: 'escalated',
        openedAt: at(0),
      });
      expect(answers.escalations).toMatchObject([
        { id: 'esc_2', version: 3, level: 1, status: 'open', cardMessageId: '1772530000.000200' },
      ]);
      expect(answers.events.map((e) => e.id)).toEqual(['evt_2a', 'evt_2b', 'evt_2z', 'evt_2c']);
      expect(answers.resolved).toMatchObject({
        pingPong: true,
        pathSnapshot: { levels: [{ name: 'L2 Tech' }, { name: 'L3 Engineering' }] },
      });
      expect(answers.facts.map((f) => f.number)).toEqual([2, 4]);
      expect(answers.outboxPending).toBe(2);
      expect(answers.csat?.score).toBe(4);
      expect(answers.localThread.map((m) => m.id)).toEqual(['lm_9', 'lm_5', 'lm_1', 'lm_3']);
      expect(answers.pendingHits.map((h) => h.id)).toEqual(['hit_3']);
      // Knowledge: the entry, its answer, the deflection it earned and the card's similar past escalation.
      expect(answers.knowledge.map((e) => e.id)).toEqual(['kno_1']);
      expect(answers.knowledgeEntry).toMatchObject({ escalationId: 'esc_1', resolvedAt: at(-7 * 1440 + 90) });
      expect(answers.answers.map((e) => e.answer)).toEqual([expect.stringContaining('Reissue invoice')]);
      expect(answers.deflections).toMatchObject([{ id: 'dfl_3', issueId: 'iss_3', entryId: 'kno_1' }]);
      expect(answers.escalations[0]?.similarPast).toEqual([
        expect.objectContaining({ entryId: 'kno_1', resolvedAt: at(-7 * 1440 + 90), score: 0.41 }),
      ]);
    });

    it('numbers new rows after the copied ones, and remembers the events already handled', async () => {
      const store = await copiedStore();
      await store.events.append({
        id: 'evt_0',
        escalationId: 'esc_2',
        action: 'note',
        fromStatus: 'open',
        toStatus: 'open',
        actor: AGENT,
        source: 'slack',
        detail: 'Written after the move, in the same millisecond',
        at: at(50),
      });
      const events = await store.events.listForEscalation('esc_2');
      expect(events.map((e) => e.id)).toEqual(['evt_2a', 'evt_2b', 'evt_2z', 'evt_2c', 'evt_0']);
      expect(await store.processedEvents.remember('slack:Ev0002', at(60))).toBe(false);
      expect(await store.issues.nextNumber()).toBe(5);
    });

    it('leaves the SQLite file exactly as it was', () => {
      expect(sha256(source.path)).toBe(hashBefore);
    });

    it('refuses to copy into a database that already holds data, naming the tables', async () => {
      const before = await tableCounts(target.url);
      const again = migrate(['--from', source.url, '--to', target.url]);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/already holds data in .*issues \(4 rows\)/);
      expect(again.stderr).toContain('only into an empty database');
      expect(again.stderr).not.toContain('usage:');
      expect(await tableCounts(target.url)).toEqual(before);
    });

    it('leaves PostgreSQL empty when a value cannot be copied, and names it', async () => {
      const broken = join(source.dir, 'broken.db');
      copyFileSync(source.path, broken);
      await runStatement(
        `file:${broken}`,
        "update trigger_hits set created_at = 'yesterday' where id = 'hit_3'",
      );
      const empty = await createPostgresTestDatabase();
      try {
        const failed = migrate(['--from', `file:${broken}`, '--to', empty.url]);
        expect(failed.status).toBe(1);
        expect(failed.stderr).toContain('trigger_hits.created_at of the row with id hit_3');
        expect(failed.stderr).toContain('the PostgreSQL database is still empty');
        const counts = await tableCounts(empty.url);
        expect(counts.issues).toBe(0);
        expect(Object.values(counts).every((n) => n === 0)).toBe(true);
      } finally {
        await empty.drop();
      }
    });
  });

  describe('bad arguments', () => {
    it('exits 2 with the usage when --to is missing', () => {
      const result = migrate(['--from', 'file:./data/escalator.db']);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Missing --to');
      expect(result.stderr).toContain(USAGE_LINE);
    });

    it('exits 2 with the usage for a URL that is not PostgreSQL, without quoting its password', () => {
      const result = migrate([
        '--from',
        'file:./data/escalator.db',
        '--to',
        'mysql://root:hunter2@db:3306/escalator',
      ]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('--to must be a PostgreSQL URL');
      expect(result.stderr).toContain(USAGE_LINE);
      expect(result.stderr).not.toContain('hunter2');
    });

    it('exits 1 without creating anything when the SQLite file does not exist', () => {
      const result = migrate([
        '--from',
        'file:/nonexistent/escalator.db',
        '--to',
        'postgres://nobody@127.0.0.1:1/none',
      ]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('There is no SQLite database at /nonexistent/escalator.db');
      expect(result.stderr).not.toContain('usage:');
    });
  });
});
