import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bounceEscalation, claimEscalation, resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { type EscalateRequest, escalateIssue } from '../../../src/app/escalate-issue.js';
import type { Issue } from '../../../src/domain/issue.js';
import { expectRefused } from '../../support/core/errors.js';
import { openIssue, people, SUPPORT } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

const START = '2026-03-02T00:00:00.000Z';
const MIN = 60_000;
const HOUR = 60 * MIN;

let t: TestContext;
let issue: Issue;
beforeEach(async () => {
  t = await createTestContext({ start: START });
  issue = await openIssue(t.ctx, 'Export fails with E42');
  t.clock.advance(10 * MIN);
});
afterEach(() => t.cleanup());

const request = (overrides: Partial<EscalateRequest> = {}): EscalateRequest => ({
  issueId: issue.id,
  reason: 'Export bug, needs engineering',
  actor: people.agent.id,
  source: 'slack',
  ...overrides,
});

describe('escalateIssue', () => {
  it('opens an escalation at the first level of the channel’s path with deadlines from now', async () => {
    const now = t.clock.now();
    const escalation = await escalateIssue(t.ctx, request());

    const stored = await t.store.escalations.get(escalation.id);
    expect(stored).toMatchObject({
      number: 1,
      issueId: issue.id,
      status: 'open',
      version: 1,
      path: 'tech',
      type: 'functional',
      level: 0,
      trigger: 'manual',
      reason: 'Export bug, needs engineering',
      createdBy: people.agent.id,
      createdAt: now,
      parentId: null,
    });
    // L2 Tech: ackWithin 30m, resolveWithin 4h.
    expect(stored?.ackDueAt).toEqual(new Date(now.getTime() + 30 * MIN));
    expect(stored?.resolveDueAt).toEqual(new Date(now.getTime() + 4 * HOUR));
    expect(stored?.pathSnapshot.levels.map((l) => l.name)).toEqual(['L2 Tech', 'L3 Engineering']);
    expect((await t.store.issues.get(issue.id))?.status).toBe('escalated');
  });

  it('a level without resolveWithin has no resolve deadline', async () => {
    const escalation = await escalateIssue(t.ctx, request({ path: 'management' }));
    expect(escalation.ackDueAt).toEqual(new Date(t.clock.now().getTime() + HOUR));
    expect(escalation.resolveDueAt).toBeNull();
  });

  it('posts the card to the level’s channel, then a note in the original thread, in that order', async () => {
    const escalation = await escalateIssue(t.ctx, request());
    const rows = await readOutbox(t.dbUrl);
    expect(rows.map((r) => r.effect.kind)).toEqual(['post_card', 'thread_note']);
    expect(rows.every((r) => r.orderKey === issue.id && r.status === 'pending')).toBe(true);

    const [post, note] = rows.map((r) => r.effect);
    expect(post).toMatchObject({ kind: 'post_card', channel: 'slack:C0L2', escalationId: escalation.id });
    expect(post?.kind === 'post_card' && post.card.title).toBe('Escalation #1 · P3 · Manual');
    expect(note).toEqual({
      kind: 'thread_note',
      thread: { channel: SUPPORT, threadId: issue.threadId },
      text: `🔺 Escalated to *L2 Tech* as #1 (P3) by <@${people.agent.id}>: Export bug, needs engineering`,
    });
    expect(t.outboxChanges()).toBe(1);
  });

  it('escalating to an external path calls its webhook instead of posting a card', async () => {
    await escalateIssue(t.ctx, request({ path: 'vendors' }));
    const effects = (await readOutbox(t.dbUrl)).map((r) => r.effect);
    expect(effects.map((e) => e.kind)).toEqual(['webhook', 'thread_note']);
    expect(effects[0]).toMatchObject({
      kind: 'webhook',
      url: 'https://vendor.example.com/escalations',
      secretEnv: 'VENDOR_HOOK_SECRET',
      body: { type: 'escalation.opened', reason: 'Export bug, needs engineering' },
    });
  });

  it('records an audit event with the actor and the source', async () => {
    const escalation = await escalateIssue(t.ctx, request({ source: 'teams' }));
    expect(await t.store.events.listForEscalation(escalation.id)).toMatchObject([
      {
        action: 'open',
        fromStatus: null,
        toStatus: 'open',
        actor: people.agent.id,
        source: 'teams',
        detail: 'Export bug, needs engineering',
        at: t.clock.now(),
      },
    ]);
  });

  it('takes the priority from the request', async () => {
    const escalation = await escalateIssue(t.ctx, request({ priority: 'P1' }));
    expect(escalation.priority).toBe('P1');
    expect((await t.store.issues.get(issue.id))?.priority).toBe('P1');
  });

  it('refuses a second escalation while the first is active, and changes nothing', async () => {
    const first = await escalateIssue(t.ctx, request());
    await claimEscalation(t.ctx, first.id, { actor: people.specialist.id, source: 'slack' });
    const before = (await readOutbox(t.dbUrl)).length;

    const error = await expectRefused(
      escalateIssue(t.ctx, request({ reason: 'again' })),
      'already_escalated',
    );
    expect(error.message).toContain('#1');
    expect(error.message).toContain(`claimed by <@${people.specialist.id}>`);
    expect(await readOutbox(t.dbUrl)).toHaveLength(before);
    expect(await t.store.escalations.listForIssue(issue.id)).toHaveLength(1);
  });

  it('escalates again (a re-escalation) once the earlier one was resolved', async () => {
    const first = await escalateIssue(t.ctx, request());
    await resolveEscalation(
      t.ctx,
      first.id,
      { actor: people.specialist.id, source: 'slack' },
      { note: 'Patched', rootCause: 'system_issue' },
    );
    const second = await escalateIssue(t.ctx, request({ reason: 'Broken again' }));
    expect(second).toMatchObject({ number: 2, status: 'open', level: 0 });
    const lastPost = (await readOutbox(t.dbUrl)).filter((r) => r.effect.kind === 'post_card').at(-1)?.effect;
    const history = lastPost?.kind === 'post_card' ? lastPost.card.sections : [];
    expect(history.find((s) => s.heading === 'Earlier escalations')?.text).toBe('#1 L2 Tech: resolved');
  });

  it('escalates again once the earlier one was bounced back to the frontline', async () => {
    const first = await escalateIssue(t.ctx, request());
    await bounceEscalation(
      t.ctx,
      first.id,
      { actor: people.specialist.id, source: 'slack' },
      { reason: 'Ask for logs' },
    );
    await expect(escalateIssue(t.ctx, request({ reason: 'Logs attached' }))).resolves.toMatchObject({
      number: 2,
    });
  });

  it.each(['', '   ', '\n\t'])('refuses an empty reason (%j)', async (reason) => {
    await expectRefused(escalateIssue(t.ctx, request({ reason })), 'invalid_input');
    expect(await t.store.escalations.listForIssue(issue.id)).toEqual([]);
    expect(await readOutbox(t.dbUrl)).toEqual([]);
  });

  it('refuses an unknown path and lists the known ones', async () => {
    const error = await expectRefused(escalateIssue(t.ctx, request({ path: 'nope' })), 'unknown_path');
    expect(error.message).toContain('"nope"');
    expect(error.message).toContain('tech, management, vendors');
    expect(await t.store.escalations.listForIssue(issue.id)).toEqual([]);
  });

  it('refuses an untracked issue', async () => {
    await expectRefused(escalateIssue(t.ctx, request({ issueId: 'iss_missing' })), 'issue_not_found');
  });

  it('does a repeated submit (same eventKey) only once', async () => {
    await escalateIssue(t.ctx, request({ eventKey: 'V123' }));
    await expectRefused(escalateIssue(t.ctx, request({ eventKey: 'V123' })), 'duplicate');
    expect(await t.store.escalations.listForIssue(issue.id)).toHaveLength(1);
    expect(await readOutbox(t.dbUrl)).toHaveLength(2);
  });

  it('a refused submit can be corrected and sent again with the same eventKey', async () => {
    await expectRefused(escalateIssue(t.ctx, request({ eventKey: 'V124', path: 'nope' })), 'unknown_path');
    await expect(escalateIssue(t.ctx, request({ eventKey: 'V124' }))).resolves.toMatchObject({ number: 1 });
  });

  it('does not write anything for a refused request nor wake the outbox', async () => {
    await expectRefused(escalateIssue(t.ctx, request({ path: 'nope' })), 'unknown_path');
    expect(t.outboxChanges()).toBe(0);
  });
});
