import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackMessage } from '../../../src/app/track-message.js';
import { readTranscript } from '../../../src/app/transcript.js';
import { updateMessage } from '../../../src/app/update-message.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import { expectRefused } from '../../support/core/errors.js';
import { incoming, openEscalated, people, reply } from '../../support/core/fixtures.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
let escalation: Escalation;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T09:00:00.000Z' });
  await t.store.people.save(people.customer.id, 'Casey Customer', t.clock.now());
  await t.store.people.save(people.agent.id, 'Alex Agent', t.clock.now());
  const opened = await openEscalated(t.ctx);
  escalation = opened.escalation;
  for (let i = 1; i <= 8; i++) {
    t.clock.advance(60_000);
    await reply(t.ctx, opened.issue, i % 2 ? people.agent : people.customer, `message ${i}`);
  }
});
afterEach(() => t.cleanup());

describe('readTranscript ("View conversation")', () => {
  it('reads the whole thread oldest first, with names, roles and times, page by page', async () => {
    const first = await readTranscript(t.ctx, { escalationId: escalation.id, pageSize: 4 });
    expect(first).toMatchObject({ escalationNumber: 1, issueNumber: 1, total: 9, page: 0, pages: 3 });
    expect(first.lines.map((l) => l.text)).toEqual([
      'My invoice export fails with error E42',
      'message 1',
      'message 2',
      'message 3',
    ]);
    expect(first.lines[0]).toMatchObject({
      authorId: people.customer.id,
      authorName: 'Casey Customer',
      role: 'customer',
    });
    expect(first.lines[1]).toMatchObject({ authorName: 'Alex Agent', role: 'staff' });
    expect(first.lines[1]!.at.getTime()).toBeGreaterThan(first.lines[0]!.at.getTime());

    const last = await readTranscript(t.ctx, { escalationId: escalation.id, page: 2, pageSize: 4 });
    expect(last.lines.map((l) => l.text)).toEqual(['message 8']);
  });

  it('shows the last page for a page past the end and the first for a negative one', async () => {
    expect((await readTranscript(t.ctx, { escalationId: escalation.id, page: 99, pageSize: 4 })).page).toBe(
      2,
    );
    expect((await readTranscript(t.ctx, { escalationId: escalation.id, page: -3, pageSize: 4 })).page).toBe(
      0,
    );
  });

  it('leaves deleted messages out and marks edited ones', async () => {
    const issue = (await t.store.issues.get(escalation.issueId))!;
    const messages = await t.store.messages.listForIssue(issue.id);
    await updateMessage(t.ctx, {
      eventKey: 'del',
      channel: issue.channel,
      messageId: messages[1]!.messageId,
      at: t.clock.now(),
    });
    await updateMessage(t.ctx, {
      eventKey: 'edit',
      channel: issue.channel,
      messageId: messages[2]!.messageId,
      text: 'message 2, corrected',
      at: t.clock.now(),
    });
    const page = await readTranscript(t.ctx, { escalationId: escalation.id });
    expect(page.total).toBe(8);
    expect(page.lines.map((l) => l.text)).not.toContain('message 1');
    expect(page.lines.find((l) => l.text === 'message 2, corrected')?.edited).toBe(true);
  });

  it('an unknown escalation is answered clearly', async () => {
    const error = await expectRefused(
      readTranscript(t.ctx, { escalationId: 'esc_gone' }),
      'escalation_not_found',
    );
    expect(error.message).toContain('no longer exists');
  });

  it('another thread is not mixed in', async () => {
    await trackMessage(t.ctx, incoming(t.ctx, { author: people.otherCustomer, text: 'another thread' }));
    const page = await readTranscript(t.ctx, { escalationId: escalation.id });
    expect(page.lines.map((l) => l.text)).not.toContain('another thread');
  });
});
