/**
 * The knowledge repository's contract (past resolutions, "This solved it" deflections) and the
 * escalations' similar past escalations, as the core sees them through `Store`, on SQLite and on
 * PostgreSQL (when TEST_DATABASE_URL names a server): both must answer the same thing.
 */
import { expect, it } from 'vitest';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { KnowledgeEntry } from '../../../src/domain/knowledge.js';
import type { Store } from '../../../src/ports/store.js';
import {
  makeDeflection,
  makeEscalation,
  makeIssue,
  makeKnowledgeEntry,
  makeSimilarPast,
} from '../../support/core/domain-builders.js';
import { describeEachDatabase } from '../../support/core/test-database.js';

const AT = new Date('2026-03-02T00:00:00.000Z');
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);

/** Issue `n` with its resolved escalation `n`, as a knowledge entry needs them. */
async function seedResolved(store: Store, numbers: number[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const n of numbers) {
      await tx.issues.create(makeIssue({ id: `iss_${n}`, number: n, threadId: `1770000000.${n}` }));
      await tx.escalations.create(
        makeEscalation({
          id: `esc_${n}`,
          number: n,
          issueId: `iss_${n}`,
          status: 'resolved',
          resolvedBy: 'slack:U0SPEC',
          resolvedAt: minutes(n),
          rootCause: 'knowledge_gap',
        }),
      );
    }
  });
}

/** The entry of escalation `n`, resolved at minute `at`. */
const entryNo = (n: number, at: number, overrides: Partial<KnowledgeEntry> = {}): KnowledgeEntry =>
  makeKnowledgeEntry({
    id: `kno_${n}`,
    escalationId: `esc_${n}`,
    escalationNumber: n,
    issueId: `iss_${n}`,
    issueNumber: n,
    threadId: `1770000000.${n}`,
    resolvedAt: minutes(at),
    ...overrides,
  });

const ids = (entries: { id: string }[]) => entries.map((e) => e.id);

describeEachDatabase('knowledge repository contract', (db) => {
  const store = () => db.store();

  it('keeps an entry exactly as written (dates, null answer, multi-line problem); unknown ids are absent', async () => {
    await seedResolved(store(), [1, 2]);
    const plain = entryNo(1, 10, { resolvedAt: new Date('2026-03-02T00:10:00.123Z') });
    const answered = entryNo(2, 20, {
      problem: 'Der Export schlägt fehl — E42\nneeds ünïcödé',
      answer: 'Clear the cache under Settings → Export, then export again.',
    });
    await store().transaction((tx) => tx.knowledge.save(plain));
    await store().knowledge.save(answered);

    expect(await store().knowledge.get('kno_1')).toEqual(plain);
    expect(await store().knowledge.get('kno_2')).toEqual(answered);
    expect((await store().knowledge.get('kno_1'))?.resolvedAt).toBeInstanceOf(Date);
    expect(await store().knowledge.get('kno_missing')).toBeUndefined();
  });

  it('a second entry for the same escalation replaces the first, keeping the id deflections point to', async () => {
    await seedResolved(store(), [1]);
    await store().knowledge.save(entryNo(1, 10));
    await store().knowledge.recordDeflection(
      makeDeflection({ issueId: 'iss_1', entryId: 'kno_1', at: minutes(11) }),
    );
    const again = entryNo(1, 30, {
      id: 'kno_1b',
      resolutionNote: 'Reopened and fixed for good',
      rootCause: 'system_issue',
      answer: 'Upgrade to 4.2',
      resolvedBy: 'slack:U0ENG',
    });

    await store().transaction((tx) => tx.knowledge.save(again));

    expect(await store().knowledge.get('kno_1')).toEqual({ ...again, id: 'kno_1' });
    expect(await store().knowledge.get('kno_1b')).toBeUndefined();
    expect(ids(await store().knowledge.listResolvedSince(minutes(0), 10))).toEqual(['kno_1']);
    expect((await store().knowledge.listDeflections(minutes(0), minutes(60)))[0]?.entryId).toBe('kno_1');
  });

  it('lists entries resolved at or after `since`, newest first, at most `limit`', async () => {
    await seedResolved(store(), [1, 2, 3, 4]);
    // Written in an order that is neither the time order nor its reverse.
    for (const [n, at] of [
      [2, 20],
      [4, 5],
      [1, 30],
      [3, 10],
    ] as const) {
      await store().knowledge.save(entryNo(n, at));
    }

    expect(ids(await store().knowledge.listResolvedSince(minutes(0), 10))).toEqual([
      'kno_1',
      'kno_2',
      'kno_3',
      'kno_4',
    ]);
    expect(ids(await store().knowledge.listResolvedSince(minutes(0), 2))).toEqual(['kno_1', 'kno_2']);
    // `since` itself is in, a millisecond later is not.
    expect(ids(await store().knowledge.listResolvedSince(minutes(10), 10))).toEqual([
      'kno_1',
      'kno_2',
      'kno_3',
    ]);
    expect(ids(await store().knowledge.listResolvedSince(new Date(minutes(10).getTime() + 1), 10))).toEqual([
      'kno_1',
      'kno_2',
    ]);
    expect(await store().knowledge.listResolvedSince(minutes(31), 10)).toEqual([]);
  });

  it('lists the reusable answers oldest first: all of them without a period, those resolved in [from, to) with one', async () => {
    await seedResolved(store(), [1, 2, 3, 4, 5]);
    const answer = (n: number) => `Answer ${n}: do this first`;
    await store().knowledge.save(entryNo(1, 40, { answer: answer(1) }));
    await store().knowledge.save(entryNo(2, 10, { answer: answer(2) }));
    await store().knowledge.save(entryNo(3, 20)); // no answer: never listed
    await store().knowledge.save(entryNo(4, 30, { answer: answer(4) }));
    await store().knowledge.save(entryNo(5, 50, { answer: answer(5) }));

    const all = await store().knowledge.listAnswers();
    expect(ids(all)).toEqual(['kno_2', 'kno_4', 'kno_1', 'kno_5']);
    expect(all[1]).toEqual(entryNo(4, 30, { answer: answer(4) }));
    // [10, 40): from is in, to is out.
    expect(ids(await store().knowledge.listAnswers({ from: minutes(10), to: minutes(40) }))).toEqual([
      'kno_2',
      'kno_4',
    ]);
    expect(ids(await store().knowledge.listAnswers({ from: minutes(11), to: minutes(41) }))).toEqual([
      'kno_4',
      'kno_1',
    ]);
    expect(await store().knowledge.listAnswers({ from: minutes(15), to: minutes(30) })).toEqual([]);
  });

  it('records deflections and lists those in [from, to), oldest first, as written', async () => {
    await seedResolved(store(), [1, 2, 3, 4]);
    await store().knowledge.save(entryNo(1, 1));
    const deflection = (n: number, at: number, overrides = {}) =>
      makeDeflection({
        id: `dfl_${n}`,
        issueId: `iss_${n}`,
        entryId: 'kno_1',
        at: minutes(at),
        ...overrides,
      });
    const teams = deflection(3, 30, { actor: 'teams:00000000-0000-4000-8000-0000000000a1', source: 'teams' });
    await store().transaction(async (tx) => {
      await tx.knowledge.recordDeflection(teams);
      await tx.knowledge.recordDeflection(deflection(2, 20));
    });
    await store().knowledge.recordDeflection(deflection(4, 40, { path: 'billing' }));

    expect(await store().knowledge.listDeflections(minutes(20), minutes(40))).toEqual([
      deflection(2, 20),
      teams,
    ]);
    expect((await store().knowledge.listDeflections(minutes(0), minutes(60))).map((d) => d.id)).toEqual([
      'dfl_2',
      'dfl_3',
      'dfl_4',
    ]);
    expect(await store().knowledge.listDeflections(minutes(21), minutes(30))).toEqual([]);
  });

  it('a deflection must credit an entry that exists', async () => {
    await seedResolved(store(), [1]);
    const refused = await store()
      .knowledge.recordDeflection(makeDeflection({ issueId: 'iss_1', entryId: 'kno_missing' }))
      .then(
        () => undefined,
        (error: Error) => error,
      );
    // drizzle reports PostgreSQL's refusal as the cause of a "Failed query" error.
    expect(`${refused?.message} ${(refused?.cause as Error | undefined)?.message}`).toMatch(/foreign key/i);
    expect(await store().knowledge.listDeflections(minutes(-1e6), minutes(1e6))).toEqual([]);
  });

  it("an escalation's similar past escalations come back as written, dates as Dates, through create and update", async () => {
    await seedResolved(store(), [1, 2]);
    await store().transaction((tx) =>
      tx.issues.create(makeIssue({ id: 'iss_9', number: 9, threadId: '9.9' })),
    );
    const first = makeSimilarPast(entryNo(1, 10, { answer: 'Clear the cache' }), { score: 0.81 });
    const second = makeSimilarPast(entryNo(2, 20, { resolvedAt: new Date('2026-02-01T08:00:00.456Z') }), {
      score: 0.4,
    });
    const escalation: Escalation = makeEscalation({
      id: 'esc_9',
      number: 9,
      issueId: 'iss_9',
      similarPast: [first, second],
    });

    await store().transaction((tx) => tx.escalations.create(escalation));

    const read = await store().escalations.get('esc_9');
    expect(read).toEqual(escalation);
    expect(read?.similarPast?.[1]?.resolvedAt).toBeInstanceOf(Date);
    expect(read?.similarPast?.[1]?.resolvedAt.toISOString()).toBe('2026-02-01T08:00:00.456Z');
    expect(await store().escalations.findActiveForIssue('iss_9')).toEqual(escalation);

    const fewer = { ...escalation, version: 2, similarPast: [second] };
    expect(await store().transaction((tx) => tx.escalations.update(fewer, 1))).toBe(true);
    expect(await store().escalations.get('esc_9')).toEqual(fewer);
  });

  it('an escalation opened without similar past escalations has none: the field is absent, not empty', async () => {
    await seedResolved(store(), [1]);
    const read = await store().escalations.get('esc_1');
    expect(read).toBeDefined();
    expect(read).not.toHaveProperty('similarPast');
    expect(read).toEqual(
      makeEscalation({
        id: 'esc_1',
        number: 1,
        issueId: 'iss_1',
        status: 'resolved',
        resolvedBy: 'slack:U0SPEC',
        resolvedAt: minutes(1),
        rootCause: 'knowledge_gap',
      }),
    );
  });
});
