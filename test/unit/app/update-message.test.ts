import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation } from '../../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import { renderCard } from '../../../src/app/render-card.js';
import { updateMessage } from '../../../src/app/update-message.js';
import type { Card } from '../../../src/domain/card.js';
import { openIssue, people, reply, SUPPORT } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' });
});
afterEach(() => t.cleanup());

const section = (card: Card, heading: string) => card.sections.find((s) => s.heading === heading)?.text;

describe('updateMessage', () => {
  it('applies an edit: new text and when it was edited', async () => {
    const issue = await openIssue(t.ctx, 'Export fails with E42');
    const editedAt = t.clock.advance(60_000);
    const result = await updateMessage(t.ctx, {
      eventKey: 'EvEdit1',
      channel: SUPPORT,
      messageId: issue.threadId,
      text: 'Export fails with E43 (typo)',
      at: editedAt,
    });
    expect(result).toBe('applied');
    const stored = await t.store.messages.findByMessageId(SUPPORT, issue.threadId);
    expect(stored).toMatchObject({ text: 'Export fails with E43 (typo)', editedAt, deletedAt: null });
  });

  it('applies a deletion: the text is gone but the row stays', async () => {
    const issue = await openIssue(t.ctx, 'My card number is 4111…');
    const deletedAt = t.clock.advance(60_000);
    expect(
      await updateMessage(t.ctx, {
        eventKey: 'EvDel1',
        channel: SUPPORT,
        messageId: issue.threadId,
        at: deletedAt,
      }),
    ).toBe('applied');
    const stored = await t.store.messages.findByMessageId(SUPPORT, issue.threadId);
    expect(stored).toMatchObject({ text: '', deletedAt });
    expect((await t.store.issues.get(issue.id))?.messageCount).toBe(1);
  });

  it('ignores a redelivered change event', async () => {
    const issue = await openIssue(t.ctx, 'original');
    const change = { eventKey: 'EvEdit2', channel: SUPPORT, messageId: issue.threadId, at: t.clock.now() };
    await updateMessage(t.ctx, { ...change, text: 'first edit' });
    expect(await updateMessage(t.ctx, { ...change, text: 'replayed edit' })).toBe('ignored');
    expect((await t.store.messages.findByMessageId(SUPPORT, issue.threadId))?.text).toBe('first edit');
  });

  it('ignores changes to messages it never tracked', async () => {
    expect(
      await updateMessage(t.ctx, {
        eventKey: 'EvEdit3',
        channel: SUPPORT,
        messageId: '1770000000.999999',
        text: 'x',
        at: t.clock.now(),
      }),
    ).toBe('ignored');
  });
});

describe('deleted messages never reach the card', () => {
  it('a deleted latest customer message is replaced on the card by the one before it', async () => {
    const issue = await openIssue(t.ctx, 'Export fails with E42');
    await reply(t.ctx, issue, people.customer, 'Still failing on Chrome');
    const secret = await reply(t.ctx, issue, people.customer, 'Here is my password: hunter2');
    const escalation = await escalateIssue(t.ctx, {
      issueId: issue.id,
      reason: 'Export bug',
      actor: people.agent.id,
      source: 'slack',
    });
    const posted = (await readOutbox(t.dbUrl)).find((r) => r.effect.kind === 'post_card');
    expect(
      posted?.effect.kind === 'post_card' && section(posted.effect.card, 'Latest from the customer'),
    ).toBe('Here is my password: hunter2');

    const secretId = (await t.store.messages.listForIssue(issue.id)).at(-1)!.messageId;
    expect(secret.outcome).toBe('tracked');
    await updateMessage(t.ctx, {
      eventKey: 'EvDel2',
      channel: SUPPORT,
      messageId: secretId,
      at: t.clock.now(),
    });
    await claimEscalation(t.ctx, escalation.id, { actor: people.specialist.id, source: 'slack' });

    const update = (await readOutbox(t.dbUrl)).find((r) => r.effect.kind === 'update_card');
    const card = update?.effect.kind === 'update_card' ? update.effect.card : undefined;
    expect(section(card!, 'Problem')).toBe('Export fails with E42');
    expect(section(card!, 'Latest from the customer')).toBe('Still failing on Chrome');
    expect(JSON.stringify(card)).not.toContain('hunter2');
  });

  it('a thread whose only customer message was deleted shows no customer quote', async () => {
    const issue = await openIssue(t.ctx, 'delete me');
    await updateMessage(t.ctx, {
      eventKey: 'EvDel3',
      channel: SUPPORT,
      messageId: issue.threadId,
      at: t.clock.now(),
    });
    const escalation = await escalateIssue(t.ctx, {
      issueId: issue.id,
      reason: 'Export bug',
      actor: people.agent.id,
      source: 'slack',
    });
    const card = await t.store.transaction(async (tx) =>
      renderCard(tx, escalation, (await tx.issues.get(issue.id))!, 'UTC'),
    );
    expect(section(card, 'Problem')).toBeUndefined();
  });
});
