import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { runCheckerTick } from '../../../src/app/run-checker-tick.js';
import type { Issue } from '../../../src/domain/issue.js';
import type { Repositories, Store } from '../../../src/ports/store.js';
import { MINUTE, sydney } from '../../support/checker/local-time.js';
import { openIssue, people, reply } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

/**
 * Content trigger hits, from the customer's message to the card: found in the message's own
 * transaction, escalated by the next tick, once per issue and kind, re-armed after resolution.
 */
let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ start: sydney('2026-03-10 10:00') });
});
afterEach(() => t.cleanup());

const ASK = 'I want to speak to your manager about this invoice.';
const escalationsOf = (issue: Issue) => t.store.escalations.listForIssue(issue.id);
const postedCards = async () => (await readOutbox(t.dbUrl)).filter((r) => r.effect.kind === 'post_card');

describe('hits and the tick', () => {
  it('the message records a pending hit; nothing is escalated until the tick', async () => {
    const issue = await openIssue(t.ctx, ASK);
    const [pending] = await t.store.triggers.listPendingHits(10);
    expect(pending).toMatchObject({ issueId: issue.id, kind: 'manager_request' });
    expect(pending!.matched).toEqual([expect.stringContaining('speak to your manager')]);
    expect(await escalationsOf(issue)).toEqual([]);

    const summary = await runCheckerTick(t.ctx);
    expect(summary.triggerHits).toEqual({ escalated: 1 });
    expect(await t.store.triggers.listPendingHits(10)).toEqual([]);
    const [escalation] = await escalationsOf(issue);
    expect(escalation).toMatchObject({
      trigger: 'manager_request',
      path: 'management',
      createdBy: 'system:escalator',
    });
    expect(escalation!.evidence.matched).toEqual(pending!.matched);
    expect(t.outboxChanges()).toBeGreaterThan(0);
  });

  it('a second ask in the same thread is already fired; so is one after a later tick', async () => {
    const issue = await openIssue(t.ctx, ASK);
    await reply(t.ctx, issue, people.customer, 'Put me through to a supervisor please.');
    expect((await runCheckerTick(t.ctx)).triggerHits).toEqual({ escalated: 1, already_fired: 1 });
    t.clock.advance(MINUTE);
    await reply(t.ctx, issue, people.customer, 'Still waiting to speak to a manager.');
    expect((await runCheckerTick(t.ctx)).triggerHits).toEqual({ already_fired: 1 });
    expect(await postedCards()).toHaveLength(1);
  });

  it('after the escalation is resolved, the same trigger on the same thread fires again', async () => {
    const issue = await openIssue(t.ctx, ASK);
    await runCheckerTick(t.ctx);
    const [first] = await escalationsOf(issue);
    t.clock.advance(10 * MINUTE);
    await resolveEscalation(
      t.ctx,
      first!.id,
      { actor: people.lead.id, source: 'slack' },
      {
        note: 'Called the customer back.',
        rootCause: 'customer_request',
      },
    );
    expect((await runCheckerTick(t.ctx)).triggerHits).toEqual({}); // resolution alone re-fires nothing

    t.clock.advance(MINUTE);
    await reply(t.ctx, issue, people.customer, 'It happened again. I want to speak to your manager.');
    expect((await runCheckerTick(t.ctx)).triggerHits).toEqual({ escalated: 1 });
    expect((await escalationsOf(issue)).map((e) => [e.number, e.status])).toEqual([
      [1, 'resolved'],
      [2, 'open'],
    ]);
  });

  it('another kind on an escalated thread joins its card: evidence appended with "Also:", one update, no new card', async () => {
    const issue = await openIssue(t.ctx, ASK);
    await runCheckerTick(t.ctx);
    const before = (await readOutbox(t.dbUrl)).length;
    await reply(t.ctx, issue, people.customer, 'Our solicitor will be in touch about legal action.');
    expect((await runCheckerTick(t.ctx)).triggerHits).toEqual({ added_to_escalation: 1 });

    const [escalation] = await escalationsOf(issue);
    expect(escalation!.trigger).toBe('manager_request');
    expect(escalation!.priority).toBe('P1'); // legal's priority
    expect(escalation!.evidence.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Also: Legal, compliance or safety terms: .*solicitor/),
      ]),
    );
    expect(escalation!.evidence.matched).toEqual(
      expect.arrayContaining([
        expect.stringContaining('speak to your manager'),
        expect.stringContaining('solicitor'),
        'legal action',
      ]),
    );
    const added = (await readOutbox(t.dbUrl)).slice(before);
    expect(added.map((r) => r.effect.kind)).toEqual(['update_card']);
    const audit = await t.store.events.listForEscalation(escalation!.id);
    expect(audit.at(-1)?.action).toBe('evidence:legal:raise_priority');
  });

  // BUG (src/app/checker/fire-trigger.ts, `addEvidence`): a trigger with a priority raises the open
  // escalation's priority, but the issue keeps its old priority and SLA deadlines, and the
  // escalation keeps ack/resolve deadlines computed for the old priority's clock. The issue asks:
  // "a trigger can set a priority; deadlines are recomputed". Remove `.fails` once fixed.
  it('a priority raised by added evidence reaches the issue and its SLA deadlines', async () => {
    const issue = await openIssue(t.ctx, ASK);
    await runCheckerTick(t.ctx);
    await reply(t.ctx, issue, people.customer, 'Our solicitor will be in touch about legal action.');
    await runCheckerTick(t.ctx);
    const updated = (await t.store.issues.get(issue.id))!;
    expect(updated.priority).toBe('P1');
    expect(updated.firstResponseDueAt).toEqual(sydney('2026-03-10 10:15')); // P1: 15m round the clock
  });
});

describe('a tick that fails halfway', () => {
  /** A store whose next transaction that posts a card for `issueId` fails at the outbox, once. */
  function failingOnce(store: Store, issueId: string): Store {
    let armed = true;
    const transaction: Store['transaction'] = (work) =>
      store.transaction((tx) => {
        const outbox: Repositories['outbox'] = {
          ...tx.outbox,
          add: async (orderKey, effect, at) => {
            if (armed && orderKey === issueId && effect.kind === 'post_card') {
              armed = false;
              throw new Error('disk full');
            }
            return tx.outbox.add(orderKey, effect, at);
          },
        };
        return work({ ...tx, outbox });
      });
    return new Proxy(store, {
      get: (target, prop, receiver) =>
        prop === 'transaction' ? transaction : Reflect.get(target, prop, receiver),
    });
  }

  it('leaves the failed item untouched (no escalation, hit still pending), keeps the others, and retries next tick', async () => {
    const first = await openIssue(t.ctx, ASK);
    const second = await openIssue(t.ctx, 'Invoice 88 is wrong too. I want to speak to your manager.');
    const realStore = t.ctx.store;
    t.ctx.store = failingOnce(realStore, second.id);

    await expect(runCheckerTick(t.ctx)).rejects.toThrow('disk full');
    expect(await escalationsOf(first)).toHaveLength(1);
    expect(await escalationsOf(second)).toEqual([]); // rolled back: no row, no event, no outbox
    expect((await t.store.triggers.listPendingHits(10)).map((h) => h.issueId)).toEqual([second.id]);
    expect((await t.store.issues.get(second.id))?.status).toBe('open');
    expect(await postedCards()).toHaveLength(1);

    expect((await runCheckerTick(t.ctx)).triggerHits).toEqual({ escalated: 1 });
    expect(await escalationsOf(second)).toHaveLength(1);
    expect(await postedCards()).toHaveLength(2);
    t.ctx.store = realStore;
  });
});

describe('ticks run directly at the same time (no CheckerJob guard)', () => {
  it('still post one card per item: every step re-checks inside its transaction', async () => {
    for (let i = 0; i < 5; i++)
      await openIssue(t.ctx, `Invoice ${i} is wrong. I want to speak to your manager.`);
    await Promise.all([runCheckerTick(t.ctx), runCheckerTick(t.ctx)]);
    expect(await postedCards()).toHaveLength(5);
    const firings = await t.store.triggers.precision(new Date(0));
    expect(firings).toEqual([expect.objectContaining({ kind: 'manager_request', fired: 5 })]);
  });
});
