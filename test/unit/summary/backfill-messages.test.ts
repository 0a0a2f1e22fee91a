import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backfillMessages, type HistoryMessage } from '../../../src/app/backfill-messages.js';
import { trackMessage } from '../../../src/app/track-message.js';
import type { Author } from '../../../src/domain/issue.js';
import { incoming, people, SUPPORT } from '../../support/core/fixtures.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T03:00:00.000Z' });
});
afterEach(() => t.cleanup());

const ROOT = '1772420400.000100'; // 2026-03-02T03:00:00Z, as a Slack ts
const at = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 3, minutes));
const ts = (minutes: number) =>
  `${Math.floor(at(minutes).getTime() / 1000)}.000${String(100 + minutes).padStart(3, '0')}`;

function history(minutes: number, author: Author, text: string): HistoryMessage {
  const id = minutes === 0 ? ROOT : ts(minutes);
  return { eventKey: `slack:backfill:C0SUPPORT:${id}`, messageId: id, author, text, at: at(minutes) };
}

const THREAD = [
  history(
    0,
    people.customer,
    'Our export is broken. We were charged $2,300. I want to speak to your manager.',
  ),
  history(5, people.agent, 'Restarted the export worker, can you try again?'),
  history(9, people.customer, 'Still failing, order 77120'),
];

describe('backfillMessages', () => {
  it('stores the messages Escalator missed, once, and leaves the ones it has alone', async () => {
    // Escalator joined late: it saw only the customer's third message, which opened the issue.
    t.clock.set(at(9));
    const seen = await trackMessage(
      t.ctx,
      incoming(t.ctx, {
        author: people.customer,
        text: 'Still failing, order 77120',
        messageId: ts(9),
        threadId: ROOT,
        at: at(9),
      }),
    );
    if (seen.outcome !== 'tracked') throw new Error('not tracked');
    t.clock.set(at(30));

    const first = await backfillMessages(t.ctx, { channel: SUPPORT, threadId: ROOT, messages: THREAD });
    expect(first).toMatchObject({ outcome: 'backfilled', added: 2, openedIssue: false });
    const stored = await t.store.messages.listForIssue(seen.issue.id);
    expect(stored.map((m) => [m.messageId, m.authorRole, m.sentAt])).toEqual([
      [ROOT, 'customer', at(0)],
      [ts(5), 'staff', at(5)],
      [ts(9), 'customer', at(9)],
    ]);

    const again = await backfillMessages(t.ctx, { channel: SUPPORT, threadId: ROOT, messages: THREAD });
    expect(again).toMatchObject({ outcome: 'backfilled', added: 0 });
    expect(await t.store.messages.listForIssue(seen.issue.id)).toHaveLength(3);
    expect((await t.store.issues.get(seen.issue.id))?.messageCount).toBe(3);
  });

  it('updates what the issue knows: the customer, the first staff answer; "last customer message" only moves forward', async () => {
    t.clock.set(at(9));
    const seen = await trackMessage(
      t.ctx,
      incoming(t.ctx, {
        author: people.customer,
        text: 'Still failing',
        messageId: ts(9),
        threadId: ROOT,
        at: at(9),
      }),
    );
    if (seen.outcome !== 'tracked') throw new Error('not tracked');
    await backfillMessages(t.ctx, { channel: SUPPORT, threadId: ROOT, messages: THREAD });
    expect(await t.store.issues.get(seen.issue.id)).toMatchObject({
      customerId: people.customer.id,
      firstResponseAt: at(5),
      lastCustomerMessageAt: at(9),
      messageCount: 3,
    });
  });

  it('records history, not news: no trigger fires on old messages and a resolved issue stays resolved', async () => {
    t.clock.set(at(9));
    const seen = await trackMessage(
      t.ctx,
      incoming(t.ctx, {
        author: people.agent,
        text: 'Following up on this',
        messageId: ts(9),
        threadId: ROOT,
        at: at(9),
      }),
    );
    if (seen.outcome !== 'tracked') throw new Error('not tracked');
    await t.store.issues.update({ ...seen.issue, status: 'resolved' });
    await backfillMessages(t.ctx, { channel: SUPPORT, threadId: ROOT, messages: THREAD });
    expect(await t.store.triggers.listPendingHits(10)).toEqual([]);
    expect((await t.store.issues.get(seen.issue.id))?.status).toBe('resolved');
  });

  it('a thread Escalator never saw becomes an issue, opened now, with the whole history', async () => {
    t.clock.set(at(30));
    const result = await backfillMessages(t.ctx, { channel: SUPPORT, threadId: ROOT, messages: THREAD });
    if (result.outcome !== 'backfilled') throw new Error(result.reason);
    expect(result).toMatchObject({ added: 3, openedIssue: true });
    expect(result.issue).toMatchObject({
      channel: SUPPORT,
      threadId: ROOT,
      status: 'open',
      openedBy: people.customer.id,
      openedAt: at(30),
      customerId: people.customer.id,
      messageCount: 3,
    });
    expect(await t.store.issues.findByThread(SUPPORT, ROOT)).toMatchObject({ id: result.issue.id });
  });

  it('ignores channels that are not support channels, and empty threads', async () => {
    expect(
      await backfillMessages(t.ctx, { channel: 'slack:C0RANDOM', threadId: ROOT, messages: THREAD }),
    ).toEqual({
      outcome: 'ignored',
      reason: 'not_a_support_channel',
    });
    expect(await backfillMessages(t.ctx, { channel: SUPPORT, threadId: ROOT, messages: [] })).toEqual({
      outcome: 'ignored',
      reason: 'empty',
    });
  });
});
