import { afterEach, describe, expect, it } from 'vitest';
import { countStoreWrites } from '../../../adapters/metrics/count-store-writes.js';
import { EscalatorMetrics } from '../../../adapters/metrics/escalator-metrics.js';
import { silentLogger } from '../../../src/ports/logger.js';
import type { Repositories } from '../../../src/ports/store.js';
import { makeEscalation, makeIssue } from '../../support/core/domain-builders.js';
import { createTempStore, type TempStore } from '../../support/core/temp-store.js';

let temp: TempStore | undefined;
afterEach(() => temp?.cleanup());

async function countingStore() {
  temp = await createTempStore();
  const metrics = new EscalatorMetrics(silentLogger);
  const store = countStoreWrites(temp.store, metrics);
  const values = async (name: string) =>
    (await metrics.registry.getSingleMetric(name)!.get()).values.map((v) => [v.labels, v.value]);
  return { store, values };
}

const at = new Date('2026-11-02T10:00:00Z');

describe('counting duplicates and escalations at the store', () => {
  it('a key remembered twice is one duplicate, by platform and kind; backfilled history is not', async () => {
    const { store, values } = await countingStore();
    for (const key of ['slack:event:Ev1', 'slack:event:Ev1', 'teams:submit:a1', 'teams:submit:a1']) {
      await store.transaction((tx) => tx.processedEvents.remember(key, at));
    }
    // Escalator reading a thread it already has is not the platform sending something twice.
    await store.transaction((tx) => tx.processedEvents.remember('slack:backfill:C1:1.0', at));
    await store.transaction((tx) => tx.processedEvents.remember('slack:backfill:C1:1.0', at));
    expect(await store.processedEvents.remember('slack:event:Ev1', at)).toBe(false); // outside a transaction
    expect(await values('escalator_inbound_duplicates_total')).toEqual([
      [{ platform: 'slack', kind: 'event' }, 2],
      [{ platform: 'teams', kind: 'submit' }, 1],
    ]);
  });

  it('counts an escalation by path and trigger once its transaction commits, and not at all when it rolls back', async () => {
    const { store, values } = await countingStore();
    await store.transaction((tx) => tx.issues.create(makeIssue({ id: 'iss_1', number: 1 })));
    let insideBeforeCommit: unknown[] = ['not read'];
    await store.transaction(async (tx) => {
      await tx.escalations.create(
        makeEscalation({ id: 'esc_1', issueId: 'iss_1', path: 'billing', trigger: 'legal' }),
      );
      insideBeforeCommit = await values('escalator_escalations_created_total');
    });
    expect(insideBeforeCommit).toEqual([]);
    await expect(
      store.transaction(async (tx) => {
        await tx.escalations.create(
          makeEscalation({ id: 'esc_2', number: 2, issueId: 'iss_1', status: 'resolved' }),
        );
        throw new Error('the use case failed after the insert');
      }),
    ).rejects.toThrow('the use case failed');
    expect(await store.escalations.get('esc_2')).toBeUndefined();
    expect(await values('escalator_escalations_created_total')).toEqual([
      [{ path: 'billing', trigger: 'legal' }, 1],
    ]);
  });

  it('counts an outbox entry parked as dead when its transaction commits', async () => {
    const { store, values } = await countingStore();
    const note = {
      kind: 'thread_note' as const,
      thread: { channel: 'slack:C1', threadId: '1.0' },
      text: 'hi',
    };
    const [first, second] = await store.transaction(async (tx) =>
      Promise.all([tx.outbox.add('iss_1', note, at), tx.outbox.add('iss_2', note, at)]),
    );
    await store.transaction((tx) => tx.outbox.markDead(first!, 'channel_not_found'));
    await expect(
      store.transaction(async (tx) => {
        await tx.outbox.markDead(second!, 'not_in_channel');
        throw new Error('reporting the undelivered card failed');
      }),
    ).rejects.toThrow('reporting');
    expect(await values('escalator_outbox_dead_total')).toEqual([[{}, 1]]);
  });

  it('counts what the last attempt did when the database runs a transaction again (PostgreSQL retries)', async () => {
    temp = await createTempStore();
    const metrics = new EscalatorMetrics(silentLogger);
    // A store that, like PostgreSQL after a serialization failure, rolls the first attempt back
    // and runs the same work again.
    const inner = temp.store;
    const retrying = {
      ...inner,
      transaction: async <T>(work: (tx: Repositories) => Promise<T>) => {
        await inner
          .transaction(async (tx) => {
            await work(tx);
            throw new Error('could not serialize access due to read/write dependencies');
          })
          .catch(() => undefined);
        return inner.transaction(work);
      },
    };
    const store = countStoreWrites(retrying, metrics);
    await store.transaction(async (tx) => {
      await tx.issues.create(makeIssue({ id: 'iss_1', number: 1 }));
      await tx.escalations.create(
        makeEscalation({ id: 'esc_1', issueId: 'iss_1', path: 'billing', trigger: 'legal' }),
      );
    });
    const created = await metrics.registry.getSingleMetric('escalator_escalations_created_total')!.get();
    expect(created.values.map((v) => v.value)).toEqual([1]);
  });

  it('leaves everything else of the store as it was', async () => {
    const { store } = await countingStore();
    expect(await store.readiness()).toMatchObject({ ready: true });
    expect(await store.transaction(async () => 42)).toBe(42);
    await store.transaction((tx) => tx.issues.create(makeIssue({ id: 'iss_9', number: 9 })));
    expect((await store.issues.get('iss_9'))?.number).toBe(9);
  });
});
