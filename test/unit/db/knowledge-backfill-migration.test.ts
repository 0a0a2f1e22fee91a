/**
 * Upgrading an installation to the release with knowledge (migration 0008 on SQLite, its PostgreSQL
 * twin): escalations resolved before the upgrade become knowledge entries, so "before you escalate"
 * suggests the fixes of the installation's history from the first day. The database is built with
 * the migrations before it, filled, and then opened as the new release opens it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore, PG_MIGRATIONS_FOLDER } from '../../../src/db/postgres/open-postgres-store.js';
import { MIGRATIONS_FOLDER, openSqliteStore } from '../../../src/db/sqlite/open-sqlite-store.js';
import type { KnowledgeEntry } from '../../../src/domain/knowledge.js';
import type { Store } from '../../../src/ports/store.js';
import { onPostgres } from '../../support/core/database-project.js';
import { makeIssue, makeMessage, TECH_PATH } from '../../support/core/domain-builders.js';
import { runStatement } from '../../support/core/raw-database.js';
import { createPostgresTestDatabase, describePostgres } from '../../support/core/test-database.js';

const KNOWLEDGE_MIGRATION = 'knowledge_and_deflections';
const AT = new Date('2026-01-12T09:00:00.000Z');
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);
const SPECIALIST = 'slack:U0SPEC';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A copy of `folder` whose journal stops before the knowledge migration: the release before it. */
function migrationsBeforeKnowledge(folder: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-migrations-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const copy = join(dir, 'migrations');
  cpSync(folder, copy, { recursive: true });
  const journalPath = join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
  const at = journal.entries.findIndex((entry: { tag: string }) => entry.tag.endsWith(KNOWLEDGE_MIGRATION));
  if (at < 0) throw new Error(`no ${KNOWLEDGE_MIGRATION} migration in ${folder}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return copy;
}

interface Installation {
  kind: 'sqlite' | 'postgres';
  url: string;
  /** Opens the database with the migrations of the release before knowledge. */
  openBefore(): Promise<Store>;
  /** Opens it as the new release does: every migration. */
  openNow(): Promise<Store>;
}

/**
 * Writes the old release's history: issues and messages through its store (their tables did not
 * change), escalations as rows of its schema (the new store would write the new column).
 */
async function tellHistory(installation: Installation): Promise<void> {
  const old = await installation.openBefore();
  try {
    await old.transaction(async (tx) => {
      for (const n of [1, 2, 3, 4]) {
        await tx.issues.create(
          makeIssue({ id: `iss_${n}`, number: n, threadId: `1768208400.00010${n}`, status: 'resolved' }),
        );
      }
      const say = (issueId: string, text: string, at: number, extra = {}) =>
        tx.messages.create({
          ...makeMessage({ issueId, text, sentAt: minutes(at), ...extra }),
          channel: 'slack:C0SUPPORT',
        });
      // iss_1: a deleted first message and a staff reply come before the customer's first words.
      await say('iss_1', 'sorry, wrong channel', 0, { deletedAt: minutes(1) });
      await say('iss_1', 'Hi, how can we help?', 1, { authorRole: 'staff', authorId: 'slack:U0AGENT' });
      await say('iss_1', 'Export fails with E42 since the update', 2);
      await say('iss_1', 'Still failing', 3);
      await say('iss_3', 'Checkout is down', 4);
      await say('iss_4', 'The invoice shows the wrong VAT number', 5);
    });
  } finally {
    await old.close();
  }
  const time = (d: Date | null) =>
    d === null ? null : installation.kind === 'sqlite' ? d.getTime() : d.toISOString();
  const escalation = async (
    n: number,
    fields: { status: string; reason: string; resolvedAt?: Date; note?: string; rootCause?: string },
  ) => {
    const resolved = fields.resolvedAt !== undefined;
    await runStatement(
      installation.url,
      `insert into escalations (id, number, issue_id, status, version, type, path, level, path_snapshot,
         priority, trigger, evidence, reason, created_by, created_at, resolved_by, resolved_at,
         resolution_note, root_cause, updated_at)
       values (?, ?, ?, ?, 3, 'functional', 'tech', 0, ?, 'P2', 'manual', ?, ?, 'slack:U0AGENT', ?, ?, ?, ?, ?, ?)`,
      `esc_01HX${n}`,
      n,
      `iss_${n}`,
      fields.status,
      JSON.stringify(TECH_PATH),
      JSON.stringify({ summary: 'Escalated by hand by <@slack:U0AGENT>.' }),
      fields.reason,
      time(minutes(10 * n)),
      resolved ? SPECIALIST : null,
      time(fields.resolvedAt ?? null),
      fields.note ?? null,
      fields.rootCause ?? null,
      time(fields.resolvedAt ?? minutes(10 * n)),
    );
  };
  await escalation(1, {
    status: 'resolved',
    reason: 'Export bug, needs engineering',
    resolvedAt: new Date('2026-01-12T11:30:00.123Z'),
    note: 'Cleared the export cache',
    rootCause: 'knowledge_gap',
  });
  // Resolved without a note, on a thread without customer words.
  await escalation(2, {
    status: 'resolved',
    reason: 'Customer called about a refund',
    resolvedAt: minutes(200),
    rootCause: 'authority_gap',
  });
  // Still being worked on, and closed as not an escalation: neither solved anything.
  await escalation(3, { status: 'claimed', reason: 'Checkout outage' });
  await escalation(4, { status: 'dismissed', reason: 'Just a question' });
}

function describeBackfill(name: string, installation: () => Promise<Installation>) {
  it(`${name}: escalations resolved before the upgrade become knowledge entries, the others do not`, async () => {
    const db = await installation();
    await tellHistory(db);

    const store = await db.openNow();
    cleanups.push(() => store.close());

    const expected: KnowledgeEntry = {
      id: 'kno_01HX1',
      escalationId: 'esc_01HX1',
      escalationNumber: 1,
      issueId: 'iss_1',
      issueNumber: 1,
      channel: 'slack:C0SUPPORT',
      threadId: '1768208400.000101',
      path: 'tech',
      problem: 'Export fails with E42 since the update\nExport bug, needs engineering',
      resolutionNote: 'Cleared the export cache',
      rootCause: 'knowledge_gap',
      answer: null,
      resolvedBy: SPECIALIST,
      resolvedAt: new Date('2026-01-12T11:30:00.123Z'),
    };
    expect(await store.knowledge.get('kno_01HX1')).toEqual(expected);
    const entries = await store.knowledge.listResolvedSince(new Date(0), 10);
    expect(entries.map((e) => e.escalationId)).toEqual(['esc_01HX2', 'esc_01HX1']);
    expect(entries[0]).toMatchObject({
      id: 'kno_01HX2',
      problem: 'Customer called about a refund',
      resolutionNote: '',
      rootCause: 'authority_gap',
      answer: null,
    });
    // Knowledge, not answers: nobody wrote one before the feature existed.
    expect(await store.knowledge.listAnswers()).toEqual([]);
    // The history's escalations read as before, without similar past escalations.
    expect(await store.escalations.get('esc_01HX1')).not.toHaveProperty('similarPast');
    expect(await store.escalations.get('esc_01HX3')).toMatchObject({ status: 'claimed' });
  });
}

describe.skipIf(onPostgres)('upgrading a SQLite installation to knowledge', () => {
  describeBackfill('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'escalator-upgrade-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const url = `file:${join(dir, 'escalator.db')}`;
    const before = migrationsBeforeKnowledge(MIGRATIONS_FOLDER);
    return {
      kind: 'sqlite',
      url,
      openBefore: async () => openSqliteStore(url, { migrationsFolder: before }),
      openNow: async () => openSqliteStore(url),
    };
  });
});

describePostgres('upgrading a PostgreSQL installation to knowledge', () => {
  describeBackfill('PostgreSQL', async () => {
    const database = await createPostgresTestDatabase();
    cleanups.push(() => database.drop());
    const before = migrationsBeforeKnowledge(PG_MIGRATIONS_FOLDER);
    return {
      kind: 'postgres',
      url: database.url,
      openBefore: () => openPostgresStore(database.url, { migrationsFolder: before }),
      openNow: () => openPostgresStore(database.url),
    };
  });
});
