import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation, resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import { trackMessage } from '../../../src/app/track-message.js';
import { incoming, openIssue, people, reply, SUPPORT } from '../../support/core/fixtures.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' });
});
afterEach(() => t.cleanup());

describe('trackMessage', () => {
  it('opens a numbered issue for each top-level message in a support channel', async () => {
    const first = await trackMessage(
      t.ctx,
      incoming(t.ctx, { author: people.customer, text: 'Export fails' }),
    );
    const second = await trackMessage(
      t.ctx,
      incoming(t.ctx, { author: people.otherCustomer, text: 'Login broken' }),
    );
    expect(first).toMatchObject({ outcome: 'tracked', openedIssue: true, issue: { number: 1 } });
    expect(second).toMatchObject({ outcome: 'tracked', openedIssue: true, issue: { number: 2 } });

    const issue = first.outcome === 'tracked' ? first.issue : undefined;
    const stored = await t.store.issues.get(issue!.id);
    expect(stored).toMatchObject({
      channel: SUPPORT,
      path: 'tech',
      priority: 'P3',
      status: 'open',
      customerId: people.customer.id,
      openedBy: people.customer.id,
      messageCount: 1,
    });
  });

  it('adds replies to the thread’s issue', async () => {
    const issue = await openIssue(t.ctx);
    t.clock.advance(60_000);
    const result = await reply(t.ctx, issue, people.customer, 'Also on Firefox');
    expect(result).toMatchObject({ outcome: 'tracked', openedIssue: false, issue: { id: issue.id } });

    const stored = await t.store.issues.get(issue.id);
    expect(stored?.messageCount).toBe(2);
    expect(stored?.lastCustomerMessageAt).toEqual(t.clock.now());
    const texts = (await t.store.messages.listForIssue(issue.id)).map((m) => [m.text, m.authorRole]);
    expect(texts).toEqual([
      ['My invoice export fails with error E42', 'customer'],
      ['Also on Firefox', 'customer'],
    ]);
  });

  it('ignores a redelivered event (same eventKey) and stores nothing twice', async () => {
    const message = incoming(t.ctx, { author: people.customer, text: 'Export fails' });
    await trackMessage(t.ctx, message);
    const again = await trackMessage(t.ctx, { ...message, messageId: '1770009999.000001' });
    expect(again).toEqual({ outcome: 'ignored', reason: 'duplicate' });

    const issue = await t.store.issues.findByThread(SUPPORT, message.threadId);
    expect(issue?.messageCount).toBe(1);
    expect(await t.store.issues.findByThread(SUPPORT, '1770009999.000001')).toBeUndefined();
  });

  it('ignores the same message delivered under a different event key', async () => {
    const message = incoming(t.ctx, { author: people.customer, text: 'Export fails' });
    await trackMessage(t.ctx, message);
    expect(await trackMessage(t.ctx, { ...message, eventKey: 'EvOther' })).toEqual({
      outcome: 'ignored',
      reason: 'duplicate',
    });
    expect((await t.store.issues.findByThread(SUPPORT, message.threadId))?.messageCount).toBe(1);
  });

  it('sets the first response time at the first staff reply, not at customer messages', async () => {
    const issue = await openIssue(t.ctx);
    t.clock.advance(5 * 60_000);
    await reply(t.ctx, issue, people.customer, 'Hello? Anyone?');
    expect((await t.store.issues.get(issue.id))?.firstResponseAt).toBeNull();

    const answeredAt = t.clock.advance(10 * 60_000);
    await reply(t.ctx, issue, people.agent, 'Looking into it now');
    expect((await t.store.issues.get(issue.id))?.firstResponseAt).toEqual(answeredAt);

    t.clock.advance(30 * 60_000);
    await reply(t.ctx, issue, people.lead, 'Second staff reply');
    expect((await t.store.issues.get(issue.id))?.firstResponseAt).toEqual(answeredAt);
  });

  it('counts a listed staff member from another workspace as staff', async () => {
    const issue = await openIssue(t.ctx);
    const at = t.clock.advance(60_000);
    await reply(t.ctx, issue, people.lead, 'On it');
    const stored = await t.store.issues.get(issue.id);
    expect(stored?.firstResponseAt).toEqual(at);
    expect(stored?.customerId).toBe(people.customer.id);
  });

  it('ignores messages outside support channels', async () => {
    const message = incoming(t.ctx, { channel: 'slack:C0RANDOM', author: people.customer, text: 'hi' });
    expect(await trackMessage(t.ctx, message)).toEqual({
      outcome: 'ignored',
      reason: 'not_a_support_channel',
    });
    expect(await t.store.issues.findByThread('slack:C0RANDOM', message.threadId)).toBeUndefined();
    expect(await t.store.issues.nextNumber()).toBe(1);
  });

  it('opens the issue from a reply in a thread it never saw', async () => {
    const root = '1770000500.000001';
    const result = await trackMessage(
      t.ctx,
      incoming(t.ctx, { author: people.customer, text: 'Still broken', threadId: root }),
    );
    expect(result).toMatchObject({ outcome: 'tracked', openedIssue: true, issue: { threadId: root } });
  });

  it('reopens a resolved issue when the customer writes again, but not when staff do', async () => {
    const issue = await openIssue(t.ctx);
    const escalation = await escalateIssue(t.ctx, {
      issueId: issue.id,
      reason: 'Export bug',
      actor: people.agent.id,
      source: 'slack',
    });
    await claimEscalation(t.ctx, escalation.id, { actor: people.specialist.id, source: 'slack' });
    await resolveEscalation(
      t.ctx,
      escalation.id,
      { actor: people.specialist.id, source: 'slack' },
      { note: 'Patched the exporter', rootCause: 'system_issue' },
    );
    expect((await t.store.issues.get(issue.id))?.status).toBe('resolved');

    await reply(t.ctx, issue, people.agent, 'Fixed, please try again');
    expect((await t.store.issues.get(issue.id))?.status).toBe('resolved');

    await reply(t.ctx, issue, people.customer, 'It fails again today');
    expect((await t.store.issues.get(issue.id))?.status).toBe('open');
  });
});
