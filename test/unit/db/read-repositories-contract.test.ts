/**
 * The read-side repositories (digest figures, dashboard, retention, erasure, local workspace,
 * `/metrics` counts, policy replay) answer the same on SQLite and on PostgreSQL. Every test runs on
 * both (describeEachDatabase), seeds through the `Store` interface only, checks absolute answers,
 * and the PostgreSQL run also checks that it got exactly what the SQLite run got.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { erasePerson } from '../../../src/app/erase-person.js';
import { openPostgresStore } from '../../../src/db/postgres/open-postgres-store.js';
import { openPgReplayReader } from '../../../src/db/postgres/replay-repository.js';
import type { ReplayReader } from '../../../src/db/shared/replay-rows.js';
import { openReplayReader } from '../../../src/db/sqlite/replay-repository.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue } from '../../../src/domain/issue.js';
import type { LocalMessage } from '../../../src/ports/local-workspace.js';
import type { Store } from '../../../src/ports/store.js';
import {
  makeDeflection,
  makeEscalation,
  makeIssue,
  makeKnowledgeEntry,
  makeMessage,
  makeSimilarPast,
  TECH_PATH,
} from '../../support/core/domain-builders.js';
import { createTempSqliteStore, type TempSqliteStore } from '../../support/core/temp-store.js';
import {
  createPostgresTestDatabase,
  describeEachDatabase,
  POSTGRES_SKIPPED,
  type PostgresTestDatabase,
  postgresTestUrl,
} from '../../support/core/test-database.js';

const FROM = new Date('2026-03-02T00:00:00.000Z');
const TO = new Date('2026-03-09T00:00:00.000Z');
const at = (minutes: number) => new Date(FROM.getTime() + minutes * 60_000);

const CUSTOMER = 'slack:UCUST1';
const OTHER_CUSTOMER = 'slack:UCUST2';
const AGENT = 'slack:U0AGENT';

/** What each test answered on SQLite, for its PostgreSQL run to match exactly. */
const sqliteAnswers = new Map<string, unknown>();

/** Records the SQLite answer; on PostgreSQL expects the same one (when the SQLite run happened). */
function expectSameAnswer(kind: 'sqlite' | 'postgres', key: string, answer: unknown): void {
  if (kind === 'sqlite') sqliteAnswers.set(key, answer);
  else if (sqliteAnswers.has(key))
    expect(answer, `${key} differs from SQLite`).toEqual(sqliteAnswers.get(key));
}

/**
 * Four issues and four escalations: iss_1..3 opened in [FROM, TO) on two channels whose byte order
 * differs from dictionary order (`C0B` < `C0a`), iss_4 before it. esc_1 open on L3, esc_2 claimed,
 * esc_3 a resolved systemic escalation standing for three threads, with a CSAT answer and a level
 * its snapshot lacks; esc_4 before the period.
 */
async function seedEscalations(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    const issue = (n: number, fields: Partial<Issue>) =>
      tx.issues.create(makeIssue({ id: `iss_${n}`, number: n, threadId: `t.${n}`, ...fields }));
    await issue(1, { channel: 'slack:C0a', path: 'tech', openedAt: at(1) });
    await issue(2, {
      channel: 'slack:C0B',
      path: 'billing',
      customerId: OTHER_CUSTOMER,
      openedBy: OTHER_CUSTOMER,
      openedAt: at(2),
    });
    await issue(3, { channel: 'slack:C0B', path: 'tech', status: 'resolved', openedAt: at(3) });
    await issue(4, { channel: 'slack:C0a', path: 'tech', openedAt: at(-60) });
    await issue(5, { channel: 'slack:C0a', path: 'tech', status: 'open', openedAt: at(4) });

    const escalation = (n: number, fields: Partial<Escalation>) =>
      tx.escalations.create(makeEscalation({ id: `esc_${n}`, number: n, issueId: `iss_${n}`, ...fields }));
    await escalation(1, {
      level: 1,
      trigger: 'dissatisfaction',
      evidence: { summary: 'Customer: "this is unacceptable"', matched: ['unacceptable'] },
      createdAt: at(10),
      ackDueAt: at(40),
      resolveDueAt: at(250),
      pingPong: true,
    });
    await escalation(2, {
      status: 'claimed',
      priority: 'P1',
      createdAt: at(11),
      ackDueAt: at(5),
      resolveDueAt: at(30),
      claimedBy: AGENT,
      claimedAt: at(12),
    });
    await escalation(3, {
      status: 'resolved',
      level: 5,
      trigger: 'systemic',
      evidence: { summary: '3 threads about checkout errors', cluster: ['iss_1', 'iss_2', 'iss_3'] },
      createdAt: at(13),
      ackDueAt: null,
      resolveDueAt: null,
      resolvedBy: AGENT,
      resolvedAt: at(100),
      rootCause: 'system_issue',
      reasonCategory: 'system_issue',
    });
    await escalation(4, { status: 'resolved', createdAt: at(-30), resolvedAt: at(-20) });
    for (const member of ['iss_1', 'iss_2', 'iss_3'])
      await tx.triggers.addSystemicMember('esc_3', member, at(13));
    await tx.csat.record({
      id: 'csat_1',
      escalationId: 'esc_3',
      issueId: 'iss_3',
      score: 4,
      respondent: CUSTOMER,
      at: at(120),
    });
  });
}

describeEachDatabase('digest figures and export rows', ({ kind, store }) => {
  it('lists the escalations created in [from, to), oldest first, with their thread, level name, CSAT and cluster size', async () => {
    await seedEscalations(store());

    const facts = await store().analytics.listEscalationFacts(FROM, TO);

    expect(facts.map((f) => f.id)).toEqual(['esc_1', 'esc_2', 'esc_3']);
    expect(facts[0]).toMatchObject({
      issueNumber: 1,
      channel: 'slack:C0a',
      threadId: 't.1',
      level: 1,
      levelName: TECH_PATH.levels[1]!.name,
      trigger: 'dissatisfaction',
      evidenceSummary: 'Customer: "this is unacceptable"',
      pingPong: true,
      csatScore: null,
      systemicThreads: 0,
      createdAt: at(10),
    });
    expect(facts[2]).toMatchObject({
      levelName: 'Level 6',
      status: 'resolved',
      rootCause: 'system_issue',
      resolvedAt: at(100),
      csatScore: 4,
      systemicThreads: 3,
      pingPong: false,
    });
    expectSameAnswer(kind, 'facts', facts);
  });

  it('counts issues per channel and path in byte order, escalated ones once', async () => {
    await seedEscalations(store());

    const counts = await store().analytics.countIssues(FROM, TO);

    expect(counts).toEqual([
      { channel: 'slack:C0B', path: 'billing', issues: 1, escalatedIssues: 1 },
      { channel: 'slack:C0B', path: 'tech', issues: 1, escalatedIssues: 1 },
      { channel: 'slack:C0a', path: 'tech', issues: 2, escalatedIssues: 1 },
    ]);
    expect(await store().analytics.firstIssueOpenedAt()).toEqual(at(-60));
    expectSameAnswer(kind, 'counts', counts);
  });

  it('an empty database has no figures and no first issue', async () => {
    expect(await store().analytics.listEscalationFacts(FROM, TO)).toEqual([]);
    expect(await store().analytics.countIssues(FROM, TO)).toEqual([]);
    expect(await store().analytics.firstIssueOpenedAt()).toBeUndefined();
  });

  it('claims a digest once per period and scope, and finds it as it was claimed', async () => {
    const record = {
      id: 'dig_1',
      period: '2026-W10',
      scope: 'all',
      channels: ['slack:C0LEADS'],
      sentAt: FROM,
    };

    expect(await store().digests.claim(record)).toBe(true);
    expect(await store().digests.claim({ ...record, id: 'dig_2', sentAt: TO })).toBe(false);
    expect(await store().digests.claim({ ...record, id: 'dig_3', scope: 'tech' })).toBe(true);
    expect(await store().digests.find('2026-W10', 'all')).toEqual(record);
    expect(await store().digests.find('2026-W10', 'billing')).toBeUndefined();
  });
});

describeEachDatabase("the dashboard's open escalations", ({ kind, store }) => {
  it('lists open and claimed ones, the running deadline soonest first and none last', async () => {
    await seedEscalations(store());
    await store().transaction(async (tx) => {
      await tx.issues.create(makeIssue({ id: 'iss_6', number: 6, threadId: 't.6' }));
      await tx.issues.create(makeIssue({ id: 'iss_7', number: 7, threadId: 't.7' }));
      // No claim deadline: the resolve deadline runs while open. Claimed without one: none runs.
      await tx.escalations.create(
        makeEscalation({ id: 'esc_6', number: 6, issueId: 'iss_6', ackDueAt: null, resolveDueAt: at(35) }),
      );
      await tx.escalations.create(
        makeEscalation({
          id: 'esc_7',
          number: 7,
          issueId: 'iss_7',
          status: 'claimed',
          ackDueAt: at(1),
          resolveDueAt: null,
          claimedBy: AGENT,
        }),
      );
    });

    const rows = await store().dashboard.listActive(10);

    // esc_2 resolve by 30, esc_6 resolve by 35, esc_1 claim by 40, esc_7 nothing running.
    expect(rows.map((r) => r.id)).toEqual(['esc_2', 'esc_6', 'esc_1', 'esc_7']);
    expect(rows[2]).toMatchObject({
      issueNumber: 1,
      channel: 'slack:C0a',
      threadId: 't.1',
      levelName: 'L3 Engineering',
      evidenceSummary: 'Customer: "this is unacceptable"',
      pingPong: true,
    });
    expect((await store().dashboard.listActive(2)).map((r) => r.id)).toEqual(['esc_2', 'esc_6']);
    expectSameAnswer(kind, 'dashboard', rows);
  });
});

describeEachDatabase('/metrics counts', ({ kind, store }) => {
  it('counts escalations per status, every status present, and the pending outbox', async () => {
    await seedEscalations(store());
    const delivered = await store().outbox.add('iss_1', { kind: 'ai_summary', escalationId: 'esc_1' }, at(1));
    await store().outbox.markDelivered(delivered, at(2));
    const retried = await store().outbox.add('iss_2', { kind: 'ai_summary', escalationId: 'esc_2' }, at(1));
    await store().outbox.markRetry(retried, 'timeout', at(5));
    await store().outbox.add('iss_3', { kind: 'ai_summary', escalationId: 'esc_3' }, at(1));

    const stats = await store().stats();

    expect(stats).toEqual({
      escalationsByStatus: {
        open: 1,
        claimed: 1,
        resolved: 2,
        bounced: 0,
        superseded: 0,
        dismissed: 0,
        withdrawn: 0,
      },
      outboxPending: 2,
    });
    expectSameAnswer(kind, 'stats', stats);
  });
});

describeEachDatabase('the retention purge', ({ kind, store }) => {
  it('empties message text oldest first, in batches of at most `limit`', async () => {
    await seedEscalations(store());
    const sent = [5, 1, 4, 2, 3].map((minute) =>
      makeMessage({ issueId: 'iss_1', text: `said at ${minute}`, sentAt: at(minute) }),
    );
    for (const message of sent) await store().messages.create({ ...message, channel: 'slack:C0a' });
    const recent = makeMessage({ issueId: 'iss_1', text: 'recent', sentAt: at(60) });
    await store().messages.create({ ...recent, channel: 'slack:C0a' });

    const batches: number[] = [];
    batches.push(await store().retention.purgeMessageText(at(30), at(1000), 2));
    const afterFirst = (await store().messages.listForIssue('iss_1')).map((m) => m.text);
    for (let i = 0; i < 3; i++) batches.push(await store().retention.purgeMessageText(at(30), at(1000), 2));

    expect(batches).toEqual([2, 2, 1, 0]);
    expect(afterFirst).toEqual(['', '', 'said at 3', 'said at 4', 'said at 5', 'recent']);
    expect((await store().messages.listForIssue('iss_1')).map((m) => m.text)).toEqual([
      '',
      '',
      '',
      '',
      '',
      'recent',
    ]);
    expectSameAnswer(kind, 'purged', { batches, afterFirst });
  });

  it("replaces the words of finished escalations only, and their events' details and verdicts' words", async () => {
    await seedEscalations(store());
    await store().events.append({
      id: 'ev_1',
      escalationId: 'esc_3',
      action: 'resolve',
      fromStatus: 'open',
      toStatus: 'resolved',
      actor: AGENT,
      source: 'slack',
      detail: 'Customer Alice said the checkout is broken',
      at: at(100),
    });
    await store().triggers.recordFeedback({
      id: 'fb_1',
      escalationId: 'esc_3',
      kind: 'systemic',
      verdict: 'false_positive',
      reason: 'Alice only asked a question',
      matched: ['checkout'],
      actor: AGENT,
      at: at(101),
    });

    // Every escalation was last changed at FROM (the builders' updatedAt); the active ones stay.
    const holding = await store().retention.listEscalationsHoldingWords(at(1), 10);
    expect(holding.map((e) => e.id).sort()).toEqual(['esc_3', 'esc_4']);
    expect(await store().retention.listEscalationsHoldingWords(at(1), 1)).toHaveLength(1);

    const words = {
      evidence: { summary: 'removed' },
      reason: '(removed)',
      resolutionNote: null,
      bounceReason: null,
      statusNote: null,
      aiSummary: null,
    };
    await store().retention.replaceEscalationWords('esc_3', words, ['ev_1'], at(2000));

    const purged = await store().escalations.get('esc_3');
    expect(purged).toMatchObject({
      evidence: { summary: 'removed' },
      reason: '(removed)',
      status: 'resolved',
    });
    expect((await store().events.listForEscalation('esc_3'))[0]!.detail).toBeNull();
    expect((await store().retention.listEscalationsHoldingWords(at(1), 10)).map((e) => e.id)).toEqual([
      'esc_4',
    ]);
    expectSameAnswer(kind, 'words', { holding: holding.map((e) => e.id).sort(), purged });
  });

  it("a finished escalation's knowledge entry loses the customer's words with it; the note, the answer and similar past escalations stay", async () => {
    await seedEscalations(store());
    const s = store();
    const entry3 = knowledgeOf(3, 'Checkout shows error 500 for alice@example.com\nCheckout outage');
    const entry4 = knowledgeOf(4, 'The invoice shows the wrong VAT number\nBilling bug');
    await s.knowledge.save(entry3);
    await s.knowledge.save(entry4);
    // esc_3 was opened with esc_4's fix shown as a similar past escalation (staff words only).
    const similarPast = [makeSimilarPast(entry4)];
    await s.transaction(async (tx) => {
      const esc3 = (await tx.escalations.get('esc_3'))!;
      await tx.escalations.update({ ...esc3, version: 2, similarPast }, 1);
    });

    await s.retention.replaceEscalationWords('esc_3', WORDS_REMOVED, [], at(2000));

    const kept = {
      purgedEntry: await s.knowledge.get('kno_3'),
      otherEntry: await s.knowledge.get('kno_4'),
      similarPast: (await s.escalations.get('esc_3'))?.similarPast,
    };
    expect(kept.purgedEntry).toEqual({ ...entry3, problem: '' });
    expect(kept.otherEntry).toEqual(entry4);
    expect(kept.similarPast).toEqual(similarPast);
    expect((await s.knowledge.listAnswers()).map((e) => e.answer)).toEqual([entry3.answer, entry4.answer]);
    expectSameAnswer(kind, 'knowledge words', kept);
  });

  it('deletes settled outbox entries, handled trigger hits and local messages oldest first, in batches', async () => {
    await seedEscalations(store());
    const s = store();
    for (const minute of [3, 1, 2]) {
      const id = await s.outbox.add(
        `iss_1:n${minute}`,
        { kind: 'ai_summary', escalationId: 'esc_1' },
        at(minute),
      );
      if (minute !== 2) await s.outbox.markDelivered(id, at(minute));
    }
    const dead = await s.outbox.add('iss_2', { kind: 'ai_summary', escalationId: 'esc_2' }, at(4));
    await s.outbox.markDead(dead, 'gone');
    for (const [n, minute] of [
      [1, 1],
      [2, 2],
      [3, 3],
    ] as const) {
      await s.triggers.addHit({
        id: `hit_${n}`,
        issueId: 'iss_1',
        kind: 'legal',
        evidence: { summary: 'lawyer', details: [] },
        matched: ['lawyer'],
        createdAt: at(minute),
      });
      if (n !== 2) await s.triggers.markHitProcessed(`hit_${n}`, 'escalated', at(minute));
    }
    for (const minute of [7, 5, 6])
      await s.localWorkspace.create(localMessage({ id: `loc_${minute}`, minute }));

    const outbox = [
      await s.retention.deleteSettledOutbox(at(10), 2),
      await s.retention.deleteSettledOutbox(at(10), 2),
      await s.retention.deleteSettledOutbox(at(10), 2),
    ];
    const hits = [
      await s.retention.deleteHandledTriggerHits(at(10), 1),
      await s.retention.deleteHandledTriggerHits(at(10), 5),
      await s.retention.deleteHandledTriggerHits(at(10), 5),
    ];
    const first = await s.retention.deleteLocalMessages(at(10), 1);
    const left = await Promise.all(['loc_5', 'loc_6', 'loc_7'].map((id) => s.localWorkspace.get(id)));
    const local = [
      first,
      await s.retention.deleteLocalMessages(at(6), 5),
      await s.retention.deleteLocalMessages(at(10), 5),
    ];

    expect(outbox).toEqual([2, 1, 0]);
    expect(await s.outbox.countPending()).toBe(1);
    expect(hits).toEqual([1, 1, 0]);
    expect((await s.triggers.listPendingHits(10)).map((h) => h.id)).toEqual(['hit_2']);
    expect(left.map((m) => m?.id)).toEqual([undefined, 'loc_6', 'loc_7']);
    // The cutoff at 6 leaves loc_6 (not before it) for the next run.
    expect(local).toEqual([1, 0, 2]);
    expectSameAnswer(kind, 'deleted', { outbox, hits, local });
  });
});

describeEachDatabase('erasing a person', ({ kind, store }) => {
  /** The customer of iss_1 and iss_3, who also claimed and resolved esc_1 in another role (a row with two of their ids). */
  async function seedPerson(s: Store) {
    await seedEscalations(s);
    await s.people.save(CUSTOMER, 'Alice Example', at(0), 'alice@example.com');
    await s.people.save(AGENT, 'Bob Agent', at(0), 'bob@example.com');
    await s.transaction(async (tx) => {
      const esc1 = (await tx.escalations.get('esc_1'))!;
      await tx.escalations.update(
        { ...esc1, version: 2, createdBy: CUSTOMER, claimedBy: CUSTOMER, reason: 'Alice Example is upset' },
        1,
      );
    });
    for (const [issueId, author, role, text] of [
      ['iss_1', CUSTOMER, 'customer', 'My export fails, mail alice@example.com'],
      ['iss_1', AGENT, 'staff', 'Looking into it, <@UCUST1>'],
      ['iss_2', CUSTOMER, 'customer', 'Same here'],
      ['iss_2', OTHER_CUSTOMER, 'customer', 'Mine too'],
    ] as const) {
      const message = makeMessage({ issueId, authorId: author, authorRole: role, text });
      await s.messages.create({ ...message, channel: 'slack:C0a' });
    }
    const card = await s.outbox.add('iss_1', { kind: 'ai_summary', escalationId: 'esc_1' }, at(20));
    await s.outbox.markDelivered(card, at(21));
    await s.outbox.add('iss_1:summary', { kind: 'ai_summary', escalationId: 'esc_1' }, at(22));
    await s.outbox.markDelivered(
      await s.outbox.add('iss_2', { kind: 'ai_summary', escalationId: 'esc_2' }, at(23)),
      at(24),
    );
    await s.triggers.addHit({
      id: 'hit_1',
      issueId: 'iss_1',
      kind: 'legal',
      evidence: { summary: 'alice@example.com mentions a lawyer', details: [] },
      matched: ['lawyer'],
      createdAt: at(5),
    });
    await s.localWorkspace.create(localMessage({ id: 'loc_1', minute: 1, authorId: CUSTOMER }));
    await s.localWorkspace.create(
      localMessage({ id: 'loc_2', minute: 2, kind: 'ephemeral', visibleTo: CUSTOMER }),
    );
    await s.localWorkspace.create(localMessage({ id: 'loc_3', minute: 3, authorId: AGENT }));
  }

  it('finds every stored text that holds one of the needles, ignoring case', async () => {
    await seedPerson(store());

    const found = await store().erasure.findTexts([CUSTOMER, 'ALICE@example.com']);

    const places = found.map((f) => `${f.table}.${f.column}`);
    expect(places).toEqual(
      expect.arrayContaining(['escalations.created_by', 'escalations.claimed_by', 'issues.customer_id']),
    );
    expect(places).toContain('messages.text');
    expect(found.every((f) => Number.isSafeInteger(f.row))).toBe(true);
    const comparable = found.map(({ table, column, text }) => ({ table, column, text })).sort(byJson);
    expect(await store().erasure.findTexts([])).toEqual([]);
    expectSameAnswer(kind, 'found', comparable);
  });

  it("deletes their messages, entry, hits and their threads' delivered cards, and pseudonymizes every id", async () => {
    await seedPerson(store());
    const s = store();

    expect((await s.erasure.issuesOf(CUSTOMER)).sort(byJson)).toEqual([
      { issueId: 'iss_1', asCustomer: true },
      { issueId: 'iss_2', asCustomer: true },
      { issueId: 'iss_3', asCustomer: true },
      { issueId: 'iss_4', asCustomer: true },
      { issueId: 'iss_5', asCustomer: true },
    ]);
    // esc_3 is not on iss_2, but its systemic cluster holds iss_2.
    expect((await s.erasure.listEscalationsOf(['iss_2'])).map((e) => e.id).sort()).toEqual([
      'esc_2',
      'esc_3',
    ]);
    expect(await s.erasure.listEscalationsOf([])).toEqual([]);

    const report = await erasePerson(s, {
      personId: CUSTOMER,
      now: at(5000),
      pseudonym: 'erased:0123456789ab',
    });

    expect(report.deleted).toEqual({ messages: 2, people: 1, outbox: 2, trigger_hits: 1 });
    expect(report.rewritten['escalations.created_by']).toBe(1);
    expect(report.rewritten['escalations.claimed_by']).toBe(1);
    const esc1 = await s.escalations.get('esc_1');
    expect(esc1).toMatchObject({ createdBy: 'erased:0123456789ab', claimedBy: 'erased:0123456789ab' });
    expect((await s.issues.get('iss_1'))!.customerId).toBe('erased:0123456789ab');
    expect((await s.csat.forEscalation('esc_3'))!.respondent).toBe('erased:0123456789ab');
    expect((await s.messages.listForIssue('iss_1')).map((m) => m.text)).toEqual([
      'Looking into it, <@erased:0123456789ab>',
    ]);
    expect((await s.messages.listForIssue('iss_2')).map((m) => m.authorId)).toEqual([OTHER_CUSTOMER]);
    expect(await s.people.names([CUSTOMER, AGENT])).toEqual(new Map([[AGENT, 'Bob Agent']]));
    // The pending summary of iss_1 still goes out; the delivered cards of iss_1 and iss_2 are gone.
    expect(await s.outbox.countPending()).toBe(1);
    expect(await s.triggers.listPendingHits(10)).toEqual([]);
    expect(await s.localWorkspace.get('loc_1')).toBeUndefined();
    expect(await s.localWorkspace.get('loc_2')).toBeUndefined();
    expect(await s.localWorkspace.get('loc_3')).toBeDefined();
    expect(await s.erasure.findTexts([CUSTOMER, 'alice@example.com', 'Alice Example'])).toEqual([]);
    expectSameAnswer(kind, 'erasure', {
      report,
      escalations: await Promise.all(['esc_1', 'esc_2', 'esc_3'].map((id) => s.escalations.get(id))),
    });
  });
  it("knowledge: staff ids go from entries, deflections and similar past escalations; the customer's words from the entries of their threads; answers stay", async () => {
    await seedPerson(store());
    const s = store();
    const entry = knowledgeOf(3, 'My export fails, mail alice@example.com\nAlice Example is upset');
    await s.knowledge.save(entry);
    await s.knowledge.recordDeflection(
      makeDeflection({ id: 'dfl_5', issueId: 'iss_5', entryId: 'kno_3', actor: AGENT, at: at(200) }),
    );
    await s.transaction(async (tx) => {
      const esc1 = (await tx.escalations.get('esc_1'))!;
      await tx.escalations.update({ ...esc1, version: 3, similarPast: [makeSimilarPast(entry)] }, 2);
    });

    // The staff member who resolved it and clicked "This solved it": their id is replaced everywhere.
    const staff = await erasePerson(s, { personId: AGENT, now: at(5000), pseudonym: 'erased:aaaaaaaaaaaa' });
    expect(staff.rewritten).toMatchObject({
      'knowledge_entries.resolved_by': 1,
      'deflections.actor': 1,
      'escalations.similar_past': 1,
    });
    const afterStaff = {
      entry: await s.knowledge.get('kno_3'),
      deflections: await s.knowledge.listDeflections(at(0), at(1000)),
      similarPast: (await s.escalations.get('esc_1'))?.similarPast,
    };
    expect(afterStaff.entry).toEqual({ ...entry, resolvedBy: 'erased:aaaaaaaaaaaa' });
    expect(afterStaff.deflections.map((d) => d.actor)).toEqual(['erased:aaaaaaaaaaaa']);
    expect(afterStaff.similarPast).toEqual([
      makeSimilarPast({ ...entry, resolvedBy: 'erased:aaaaaaaaaaaa' }),
    ]);

    // The customer of iss_3: the entry's problem quotes them; the staff-written note and answer stay.
    await erasePerson(s, { personId: CUSTOMER, now: at(6000), pseudonym: 'erased:bbbbbbbbbbbb' });
    const afterCustomer = await s.knowledge.get('kno_3');
    expect(afterCustomer).toEqual({ ...entry, problem: '', resolvedBy: 'erased:aaaaaaaaaaaa' });
    expect(await s.erasure.findTexts([CUSTOMER, AGENT, 'alice@example.com', 'Alice Example'])).toEqual([]);
    expectSameAnswer(kind, 'knowledge erasure', { staff, afterStaff, afterCustomer });
  });
});

describeEachDatabase('the local workspace', ({ kind, store }) => {
  it('lists roots and threads in the order written, even within one millisecond, ephemerals only for their person', async () => {
    const s = store();
    // Ids in reverse of the writing order, all at one instant: only the writing order tells them apart.
    for (const [id, fields] of [
      ['m9', {}],
      ['m8', { threadId: 'm9' }],
      ['m7', { kind: 'ephemeral', visibleTo: 'local:UALICE', threadId: 'm9' }],
      ['m6', { kind: 'card', card: card('first') }],
      ['m5', { threadId: 'm9', authorId: 'local:UBOB' }],
      ['m4', { kind: 'ephemeral', visibleTo: 'local:UALICE' }],
      ['m3', { kind: 'csat', csat: { escalationId: 'esc_9', number: 9 } }],
    ] as const) {
      expect(await s.localWorkspace.create(localMessage({ id, minute: 0, ...fields }))).toBe(true);
    }
    expect(await s.localWorkspace.create(localMessage({ id: 'm9', minute: 1, text: 'again' }))).toBe(false);
    expect(await s.localWorkspace.updateCard('m6', card('second'), at(2))).toBe(true);
    expect(await s.localWorkspace.updateCard('m9', card('not a card'), at(2))).toBe(false);

    const roots = await s.localWorkspace.listRoots('local:support');
    const alicesRoots = await s.localWorkspace.listRoots('local:support', 'local:UALICE');
    const thread = await s.localWorkspace.listThread('local:support', 'm9');
    const alicesThread = await s.localWorkspace.listThread('local:support', 'm9', 'local:UALICE');

    expect(roots.map((m) => [m.id, m.replyCount])).toEqual([
      ['m9', 2],
      ['m6', 0],
      ['m3', 0],
    ]);
    expect(alicesRoots.map((m) => [m.id, m.replyCount])).toEqual([
      ['m9', 3],
      ['m6', 0],
      ['m4', 0],
      ['m3', 0],
    ]);
    expect(thread.map((m) => m.id)).toEqual(['m9', 'm8', 'm5']);
    expect(alicesThread.map((m) => m.id)).toEqual(['m9', 'm8', 'm7', 'm5']);
    expect(await s.localWorkspace.listThread('local:other', 'm9')).toEqual([]);
    expect(await s.localWorkspace.get('m6')).toMatchObject({ card: card('second'), updatedAt: at(2) });
    expect(await s.localWorkspace.findCsatPrompt('esc_9')).toMatchObject({
      id: 'm3',
      csat: { escalationId: 'esc_9', number: 9 },
    });
    expect(await s.localWorkspace.findCsatPrompt('esc_1')).toBeUndefined();
    expect(Object.keys((await s.localWorkspace.get('m9'))!).sort()).toEqual(
      Object.keys(localMessage({ id: 'x', minute: 0 })).sort(),
    );
    expectSameAnswer(kind, 'local', { roots, alicesRoots, thread, alicesThread });
  });
});

describe('the policy replay reader', () => {
  /** A database opened by URL, as `npm run policy:replay` opens it. */
  interface ReplayDatabase {
    kind: 'sqlite' | 'postgres';
    url: string;
    store: Store;
    open(): Promise<ReplayReader>;
    cleanup(): Promise<void>;
  }
  const sqlite = async (): Promise<ReplayDatabase> => {
    const temp: TempSqliteStore = createTempSqliteStore();
    const url = `file:${temp.path}`;
    return {
      kind: 'sqlite',
      url,
      store: temp.store,
      open: async () => openReplayReader(url),
      cleanup: temp.cleanup,
    };
  };
  const postgres = async (): Promise<ReplayDatabase> => {
    const database: PostgresTestDatabase = await createPostgresTestDatabase();
    const store = await openPostgresStore(database.url);
    return {
      kind: 'postgres',
      url: database.url,
      store,
      open: () => openPgReplayReader(database.url),
      async cleanup() {
        await store.close();
        await database.drop();
      },
    };
  };
  if (!postgresTestUrl()) console.warn(`the policy replay reader: ${POSTGRES_SKIPPED}`);

  let current: ReplayDatabase | undefined;
  let reader: ReplayReader | undefined;
  afterEach(async () => {
    await reader?.close();
    await current?.cleanup();
    reader = current = undefined;
  });

  for (const [name, create] of [
    ['SQLite', sqlite],
    ['PostgreSQL', postgres],
  ] as const) {
    it.skipIf(name === 'PostgreSQL' && !postgresTestUrl())(
      `reads the period's threads, firings and manual escalations (${name})`,
      async () => {
        current = await create();
        const s = current.store;
        await seedEscalations(s);
        await s.people.save(CUSTOMER, 'Alice Example', at(0), 'alice@example.com');
        for (const [issueId, minute, text] of [
          ['iss_1', 2, 'first words'],
          ['iss_1', 1, 'earlier words'],
          ['iss_2', 3, 'other thread'],
          ['iss_4', 3, 'before the period'],
        ] as const) {
          const message = makeMessage({ issueId, text, sentAt: at(minute) });
          await s.messages.create({ ...message, channel: 'slack:C0a' });
        }
        await s.triggers.recordFiring({
          id: 'f_1',
          issueId: 'iss_1',
          kind: 'dissatisfaction',
          escalationId: 'esc_1',
          firedAt: at(10),
        });
        await s.triggers.recordFiring({
          id: 'f_2',
          issueId: 'iss_2',
          kind: 'sla_breach:first_response',
          escalationId: null,
          firedAt: at(8),
        });
        await s.triggers.recordFiring({
          id: 'f_3',
          issueId: 'iss_3',
          kind: 'systemic',
          escalationId: 'esc_3',
          firedAt: at(13),
        });
        await s.events.append({
          id: 'ev_join',
          escalationId: 'esc_3',
          action: 'systemic:join',
          fromStatus: 'open',
          toStatus: 'open',
          actor: 'checker',
          source: 'checker',
          detail: 'iss_2',
          at: at(14),
        });
        reader = await current.open();

        const issues = await reader.listIssuesOpened(FROM, TO);
        const firings = await reader.listStoredFirings(FROM, TO);
        const manual = await reader.listManualEscalations(FROM, TO);

        expect(issues.map((i) => i.id)).toEqual(['iss_1', 'iss_2', 'iss_3', 'iss_5']);
        expect(issues[0]!.messages).toEqual([
          expect.objectContaining({ text: 'earlier words', sentAt: at(1), authorEmail: 'alice@example.com' }),
          expect.objectContaining({ text: 'first words', sentAt: at(2), deleted: false, purged: false }),
        ]);
        expect(firings.map((f) => [f.issueId, f.firingKey, f.kind, f.escalation?.number ?? null])).toEqual([
          ['iss_2', 'sla_breach:first_response', 'sla_breach', null],
          ['iss_1', 'dissatisfaction', 'dissatisfaction', 1],
          ['iss_3', 'systemic', 'systemic', 3],
          ['iss_2', 'systemic', 'systemic', 3],
        ]);
        expect(firings[1]!.escalation).toMatchObject({ levelName: 'L3 Engineering', priority: 'P2' });
        expect(firings[2]!.escalation!.levelName).toBe('Level 6');
        expect(firings[3]!.joinedSystemic).toBe(true);
        expect(manual.map((e) => e.number)).toEqual([2]);
        expectSameAnswer(current.kind, 'replay', { issues, firings, manual });
      },
    );
  }

  it.skipIf(!postgresTestUrl())(
    'refuses a PostgreSQL database Escalator never migrated, saying what to do',
    async () => {
      const database = await createPostgresTestDatabase();
      try {
        await expect(openPgReplayReader(database.url)).rejects.toThrow(/cannot be replayed .*npm start/);
      } finally {
        await database.drop();
      }
    },
  );
});

/** What retention or erasure puts in place of an escalation's words. */
const WORDS_REMOVED = {
  evidence: { summary: 'removed' },
  reason: '(removed)',
  resolutionNote: null,
  bounceReason: null,
  statusNote: null,
  aiSummary: null,
};

/** The knowledge entry of the resolution of esc_`n` (on iss_`n`), with an answer. */
function knowledgeOf(n: number, problem: string) {
  return makeKnowledgeEntry({
    id: `kno_${n}`,
    escalationId: `esc_${n}`,
    escalationNumber: n,
    issueId: `iss_${n}`,
    issueNumber: n,
    threadId: `t.${n}`,
    problem,
    resolutionNote: `Fixed ${n}: restarted the worker`,
    answer: `Answer ${n}: ask them to retry after five minutes`,
    resolvedBy: AGENT,
    resolvedAt: at(100 + n),
  });
}

function localMessage(fields: Partial<LocalMessage> & { id: string; minute: number }): LocalMessage {
  const { minute, ...rest } = fields;
  return {
    channel: 'local:support',
    threadId: null,
    authorId: 'local:UALICE',
    kind: 'text',
    text: `message ${fields.id}`,
    card: null,
    csat: null,
    visibleTo: null,
    createdAt: at(minute),
    updatedAt: at(minute),
    ...rest,
  };
}

function card(title: string) {
  return {
    fallback: title,
    title,
    status: 'Open',
    fields: [],
    sections: [],
    actions: [],
    links: [],
    context: [],
  };
}

function byJson(a: unknown, b: unknown): number {
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
