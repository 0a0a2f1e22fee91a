import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEscalation, makeIssue, TECH_PATH } from '../../support/core/domain-builders.js';
import { createTempStore, type TempStore } from '../../support/core/temp-store.js';

let temp: TempStore;
beforeEach(async () => {
  temp = await createTempStore();
});
afterEach(() => temp.cleanup());

const FROM = new Date('2026-03-02T00:00:00.000Z');
const TO = new Date('2026-03-09T00:00:00.000Z');
const ms = (date: Date, delta: number) => new Date(date.getTime() + delta);

describe('analytics: escalation facts', () => {
  it('returns the escalations created in [from, to), oldest first: `from` is in, `to` is out', async () => {
    const times = { before: ms(FROM, -1), first: FROM, last: ms(TO, -1), after: TO };
    await temp.store.transaction(async (tx) => {
      let n = 0;
      for (const [name, at] of Object.entries(times)) {
        n += 1;
        await tx.issues.create(makeIssue({ id: `iss_${name}`, number: n, threadId: `t.${n}`, openedAt: at }));
        await tx.escalations.create(
          makeEscalation({ id: `esc_${name}`, number: n, issueId: `iss_${name}`, createdAt: at }),
        );
      }
    });

    const facts = await temp.store.analytics.listEscalationFacts(FROM, TO);

    expect(facts.map((f) => f.id)).toEqual(['esc_first', 'esc_last']);
  });

  it('carries the issue, the level name of the snapshot, the CSAT answer and the systemic member count', async () => {
    await temp.store.transaction(async (tx) => {
      await tx.issues.create(
        makeIssue({ id: 'iss_a', number: 11, channel: 'slack:C0A', threadId: '1.1', customerId: 'slack:UC' }),
      );
      await tx.issues.create(makeIssue({ id: 'iss_b', number: 12, channel: 'slack:C0A', threadId: '1.2' }));
      await tx.issues.create(makeIssue({ id: 'iss_c', number: 13, channel: 'slack:C0A', threadId: '1.3' }));
      await tx.escalations.create(
        makeEscalation({
          id: 'esc_sys',
          number: 40,
          issueId: 'iss_a',
          level: 1,
          trigger: 'systemic',
          status: 'resolved',
          evidence: { summary: '3 threads about checkout errors', cluster: ['iss_a', 'iss_b', 'iss_c'] },
          resolvedAt: ms(FROM, 3_600_000),
          rootCause: 'system_issue',
          createdAt: ms(FROM, 60_000),
        }),
      );
      await tx.escalations.create(
        makeEscalation({ id: 'esc_plain', number: 41, issueId: 'iss_b', createdAt: ms(FROM, 120_000) }),
      );
      for (const member of ['iss_a', 'iss_b', 'iss_c']) {
        await tx.triggers.addSystemicMember('esc_sys', member, FROM);
      }
      await tx.csat.record({
        id: 'csat_1',
        escalationId: 'esc_sys',
        issueId: 'iss_a',
        score: 4,
        respondent: 'slack:UC',
        at: ms(FROM, 7_200_000),
      });
    });

    const [systemic, plain] = await temp.store.analytics.listEscalationFacts(FROM, TO);

    expect(systemic).toMatchObject({
      id: 'esc_sys',
      number: 40,
      issueId: 'iss_a',
      issueNumber: 11,
      channel: 'slack:C0A',
      threadId: '1.1',
      customerId: 'slack:UC',
      level: 1,
      levelName: TECH_PATH.levels[1]!.name,
      trigger: 'systemic',
      status: 'resolved',
      rootCause: 'system_issue',
      resolvedAt: ms(FROM, 3_600_000),
      csatScore: 4,
      evidenceSummary: '3 threads about checkout errors',
      systemicThreads: 3,
      pingPong: false,
    });
    expect(plain).toMatchObject({
      id: 'esc_plain',
      levelName: 'L2 Tech',
      csatScore: null,
      systemicThreads: 0,
    });
  });
});

describe('analytics: issue counts', () => {
  it('counts issues opened in [from, to) per channel and path, escalated ones whenever they escalated', async () => {
    await temp.store.transaction(async (tx) => {
      const issue = (n: number, channel: string, path: string, openedAt: Date) =>
        tx.issues.create(
          makeIssue({ id: `iss_${n}`, number: n, channel, path, threadId: `t.${n}`, openedAt }),
        );
      await issue(1, 'slack:C0A', 'tech', ms(FROM, -1)); // before the period
      await issue(2, 'slack:C0A', 'tech', FROM);
      await issue(3, 'slack:C0A', 'tech', ms(FROM, 1000));
      await issue(4, 'slack:C0A', 'billing', ms(FROM, 2000));
      await issue(5, 'teams:19:b', 'tech', ms(TO, -1));
      await issue(6, 'teams:19:b', 'tech', TO); // after the period
      // Issue 2 escalated twice (counts once), issue 5 only after the period ended.
      await tx.escalations.create(
        makeEscalation({ id: 'esc_1', number: 1, issueId: 'iss_2', status: 'resolved' }),
      );
      await tx.escalations.create(
        makeEscalation({ id: 'esc_2', number: 2, issueId: 'iss_2', status: 'open' }),
      );
      await tx.escalations.create(
        makeEscalation({ id: 'esc_3', number: 3, issueId: 'iss_5', createdAt: ms(TO, 5) }),
      );
      await tx.escalations.create(makeEscalation({ id: 'esc_4', number: 4, issueId: 'iss_1' }));
    });

    const counts = await temp.store.analytics.countIssues(FROM, TO);

    expect(counts).toEqual([
      { channel: 'slack:C0A', path: 'billing', issues: 1, escalatedIssues: 0 },
      { channel: 'slack:C0A', path: 'tech', issues: 2, escalatedIssues: 1 },
      { channel: 'teams:19:b', path: 'tech', issues: 1, escalatedIssues: 1 },
    ]);
  });

  it('an empty period has no rows', async () => {
    expect(await temp.store.analytics.countIssues(FROM, TO)).toEqual([]);
    expect(await temp.store.analytics.listEscalationFacts(FROM, TO)).toEqual([]);
  });
});

describe('digests', () => {
  const record = {
    id: 'dig_1',
    period: '2026-W10',
    scope: 'all',
    channels: ['slack:C0LEADS', 'teams:19:leads'],
    sentAt: FROM,
  };

  it('claims a period and scope once; a second claim (restart, replica) gets false', async () => {
    expect(await temp.store.digests.claim(record)).toBe(true);
    expect(await temp.store.digests.claim({ ...record, id: 'dig_2', sentAt: TO })).toBe(false);
    expect(await temp.store.digests.find('2026-W10', 'all')).toEqual(record);
  });

  it('another scope or period of the same week is its own digest', async () => {
    expect(await temp.store.digests.claim(record)).toBe(true);
    expect(await temp.store.digests.claim({ ...record, id: 'dig_2', scope: 'tech' })).toBe(true);
    expect(await temp.store.digests.claim({ ...record, id: 'dig_3', period: '2026-W11' })).toBe(true);
    expect(await temp.store.digests.find('2026-W10', 'billing')).toBeUndefined();
  });

  it('claims inside a transaction roll back with it', async () => {
    await expect(
      temp.store.transaction(async (tx) => {
        await tx.digests.claim(record);
        throw new Error('send failed');
      }),
    ).rejects.toThrow('send failed');
    expect(await temp.store.digests.find('2026-W10', 'all')).toBeUndefined();
    expect(await temp.store.digests.claim(record)).toBe(true);
  });
});
