import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEscalation, makeIssue, makeMessage } from '../../support/core/domain-builders.js';
import { createTempStore, type TempStore } from '../../support/core/temp-store.js';

let temp: TempStore;
beforeEach(async () => {
  temp = await createTempStore();
});
afterEach(() => temp.cleanup());

const AT = new Date('2026-03-02T00:00:00.000Z');

describe('the store', () => {
  it('a transaction that fails leaves nothing behind', async () => {
    await expect(
      temp.store.transaction(async (tx) => {
        await tx.issues.create(makeIssue({ id: 'iss_gone' }));
        await tx.outbox.add(
          'iss_gone',
          { kind: 'thread_note', thread: { channel: 'slack:C1', threadId: '1.1' }, text: 'x' },
          AT,
        );
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await temp.store.issues.get('iss_gone')).toBeUndefined();
    expect(await temp.store.outbox.countPending()).toBe(0);
    // And the store is usable afterwards.
    await temp.store.transaction((tx) => tx.issues.create(makeIssue({ id: 'iss_next' })));
    expect(await temp.store.issues.get('iss_next')).toBeDefined();
  });

  it('keeps an escalation exactly as written: dates, JSON path snapshot and evidence', async () => {
    const escalation = makeEscalation({
      evidence: { summary: 'Phrase matched', details: ['"speak to your manager"'] },
      claimedAt: new Date('2026-03-02T00:05:00.123Z'),
      claimedBy: 'slack:U0SPEC',
      status: 'claimed',
    });
    await temp.store.transaction(async (tx) => {
      await tx.issues.create(makeIssue());
      await tx.escalations.create(escalation);
    });
    expect(await temp.store.escalations.get(escalation.id)).toEqual(escalation);
  });

  it('refuses an update made against an old version', async () => {
    const escalation = makeEscalation();
    await temp.store.transaction(async (tx) => {
      await tx.issues.create(makeIssue());
      await tx.escalations.create(escalation);
    });
    const claimed = { ...escalation, status: 'claimed' as const, version: 2, claimedBy: 'slack:U1' };
    expect(await temp.store.escalations.update(claimed, 1)).toBe(true);
    expect(await temp.store.escalations.update({ ...claimed, claimedBy: 'slack:U2', version: 2 }, 1)).toBe(
      false,
    );
    expect((await temp.store.escalations.get(escalation.id))?.claimedBy).toBe('slack:U1');
  });

  it('remembers an inbound event key once', async () => {
    expect(await temp.store.processedEvents.remember('Ev1', AT)).toBe(true);
    expect(await temp.store.processedEvents.remember('Ev1', AT)).toBe(false);
    expect(await temp.store.processedEvents.remember('Ev2', AT)).toBe(true);
  });

  it('lists messages of an issue oldest first, deleted ones included', async () => {
    await temp.store.transaction(async (tx) => {
      await tx.issues.create(makeIssue());
      const late = makeMessage({ text: 'late', sentAt: new Date(AT.getTime() + 2000) });
      const early = makeMessage({ text: 'early', sentAt: new Date(AT.getTime() + 1000), deletedAt: AT });
      await tx.messages.create({ ...late, channel: 'slack:C0SUPPORT' });
      await tx.messages.create({ ...early, channel: 'slack:C0SUPPORT' });
    });
    expect((await temp.store.messages.listForIssue('iss_test1')).map((m) => m.text)).toEqual([
      'early',
      'late',
    ]);
  });
});

describe('outbox queue', () => {
  const note = (text: string, channel = 'slack:C0SUPPORT') =>
    ({ kind: 'thread_note', thread: { channel, threadId: '1.1' }, text }) as const;

  it('offers only the first pending entry of each order key, oldest first', async () => {
    const ids = await temp.store.transaction(async (tx) => [
      await tx.outbox.add('issue-a', note('a1'), AT),
      await tx.outbox.add('issue-b', note('b1'), AT),
      await tx.outbox.add('issue-a', note('a2'), AT),
    ]);
    const due = await temp.store.outbox.listDue(AT, 10);
    expect(due.map((e) => e.id)).toEqual([ids[0], ids[1]]);
    expect(due[0]?.effect).toEqual(note('a1'));

    await temp.store.outbox.markDelivered(ids[0]!, AT);
    expect((await temp.store.outbox.listDue(AT, 10)).map((e) => e.id)).toEqual([ids[1], ids[2]]);
  });

  it('holds back a retry until its time and everything behind it', async () => {
    const [first, second] = await temp.store.transaction(async (tx) => [
      await tx.outbox.add('issue-a', note('a1'), AT),
      await tx.outbox.add('issue-a', note('a2'), AT),
    ]);
    const later = new Date(AT.getTime() + 5000);
    await temp.store.outbox.markRetry(first!, 'timeout', later);
    expect(await temp.store.outbox.listDue(AT, 10)).toEqual([]);
    expect(await temp.store.outbox.listDue(later, 10)).toMatchObject([
      { id: first, attempts: 1, lastError: 'timeout' },
    ]);
    await temp.store.outbox.markDead(first!, 'gone');
    expect((await temp.store.outbox.listDue(later, 10)).map((e) => e.id)).toEqual([second]);
    expect(await temp.store.outbox.countPending()).toBe(1);
  });
});
