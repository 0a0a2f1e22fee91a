import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeIssue } from '../../support/core/domain-builders.js';
import { runStatement } from '../../support/core/raw-database.js';
import { createTempStore, type TempStore } from '../../support/core/temp-store.js';

// The store writes only the columns of an issue that changed since it last read or wrote it
// (src/db/sqlite/prepared-writes.ts). What it guessed from must never decide what is stored.

let temp: TempStore;
beforeEach(async () => {
  temp = await createTempStore();
});
afterEach(() => temp.cleanup());

const AT = new Date('2026-03-02T00:00:00.000Z');
const LATER = new Date('2026-03-02T00:10:00.000Z');

/** Changes the stored issue behind the store's back, as another process or a raw script would. */
function writeBehindTheStore(statement: string, ...params: unknown[]): Promise<void> {
  return runStatement(temp.url, statement, ...params);
}

describe('updating an issue', () => {
  it('stores the issue exactly as given, dates and nulls included', async () => {
    const issue = makeIssue({ id: 'iss_a', customerId: null, firstResponseAt: null });
    await temp.store.transaction((tx) => tx.issues.create(issue));
    const read = (await temp.store.issues.get('iss_a'))!;
    const updated = { ...read, messageCount: 3, customerId: 'slack:UC1', lastCustomerMessageAt: LATER };
    await temp.store.issues.update(updated);
    expect(await temp.store.issues.get('iss_a')).toEqual(updated);
    const cleared = {
      ...updated,
      customerId: null,
      lastCustomerMessageAt: null,
      status: 'resolved' as const,
    };
    await temp.store.issues.update(cleared);
    expect(await temp.store.issues.get('iss_a')).toEqual(cleared);
  });

  it('a column changed by someone else since the store read the issue is still written back as given', async () => {
    const issue = makeIssue({ id: 'iss_b', status: 'open', openedAt: AT });
    await temp.store.transaction((tx) => tx.issues.create(issue));
    const read = (await temp.store.issues.get('iss_b'))!;
    await writeBehindTheStore(
      `update issues set status = 'resolved', customer_id = null where id = ?`,
      'iss_b',
    );
    // The caller did not change status or customer: the update must still put them back.
    const updated = { ...read, messageCount: read.messageCount + 1, updatedAt: LATER };
    await temp.store.issues.update(updated);
    expect(await temp.store.issues.get('iss_b')).toEqual(updated);
  });

  it('an issue the caller changed in place after reading it is stored as changed', async () => {
    const issue = makeIssue({ id: 'iss_c', status: 'open' });
    await temp.store.transaction((tx) => tx.issues.create(issue));
    const read = (await temp.store.issues.get('iss_c'))!;
    read.status = 'escalated';
    read.updatedAt.setTime(LATER.getTime());
    await temp.store.issues.update(read);
    expect(await temp.store.issues.get('iss_c')).toEqual(read);
  });

  it('after a rolled-back update, the next update still stores the issue as given', async () => {
    const issue = makeIssue({ id: 'iss_d', status: 'open', messageCount: 1 });
    await temp.store.transaction((tx) => tx.issues.create(issue));
    await expect(
      temp.store.transaction(async (tx) => {
        await tx.issues.update({ ...issue, status: 'resolved', messageCount: 2 });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // The store last wrote "resolved, 2", but the file still holds "open, 1".
    const updated = { ...issue, status: 'resolved' as const, messageCount: 3 };
    await temp.store.issues.update(updated);
    expect(await temp.store.issues.get('iss_d')).toEqual(updated);
  });
});
