import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation, resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { OutboxDispatcher, SUMMARY_ATTEMPTS } from '../../../src/app/deliver-outbox.js';
import { cleanSummary, maskEmails, writeAiSummary } from '../../../src/app/write-ai-summary.js';
import type { Card } from '../../../src/domain/card.js';
import type { ChatPort } from '../../../src/ports/chat-port.js';
import type { Effect } from '../../../src/ports/outbox.js';
import type { SummaryInput, SummaryPort } from '../../../src/ports/summary-port.js';
import { openEscalated, people, reply } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';
import { RecordingLogger } from '../../support/teams/recording-logger.js';

/** A summary endpoint stand-in: answers with `text`, or does what `behave` says. */
class StubSummary implements SummaryPort {
  readonly inputs: SummaryInput[] = [];
  behave: (signal: AbortSignal) => Promise<string> = async () => 'Customer cannot export invoices (E42).';

  summarize(input: SummaryInput, signal: AbortSignal): Promise<string> {
    this.inputs.push(input);
    return this.behave(signal);
  }
}

/** Just enough of a chat platform for cards (the core only posts and updates them here). */
function recordingChat() {
  const calls: Array<{ method: string; card?: Card }> = [];
  let ts = 0;
  const chat = {
    async postCard(_channel: string, card: Card) {
      calls.push({ method: 'postCard', card });
      ts += 1;
      return { messageId: `1770100000.00000${ts}` };
    },
    async updateCard(_channel: string, _messageId: string, card: Card) {
      calls.push({ method: 'updateCard', card });
    },
    async postThreadNote() {
      calls.push({ method: 'postThreadNote' });
      ts += 1;
      return { messageId: `1770100000.00000${ts}` };
    },
    async postEphemeral() {
      calls.push({ method: 'postEphemeral' });
    },
  };
  return { chat: chat as unknown as ChatPort, calls };
}

const sectionsOf = (card: Card | undefined) => (card?.sections ?? []).map((s) => s.heading);
/** The AI summary sits in a "Summary" section above the extracted facts ("Why it fired" onwards). */
function expectAiSummaryOn(card: Card | undefined, text: string) {
  const headings = sectionsOf(card);
  const at = headings.indexOf('Summary');
  expect(card?.sections[at]?.text).toBe(text);
  expect(at).toBeLessThan(headings.indexOf('Why it fired'));
}
const mentions = (card: Card | undefined, text: string) => JSON.stringify(card ?? {}).includes(text);

let t: TestContext;
let port: StubSummary;
beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T09:00:00.000Z' });
  port = new StubSummary();
});
afterEach(async () => {
  await t.cleanup();
});

describe('maskEmails', () => {
  it.each([
    ['write to jane.doe@example.com please', 'write to j***@example.com please'],
    ['<mailto:bob@acme.co.uk|bob@acme.co.uk>', '<mailto:b***@acme.co.uk|b***@acme.co.uk>'],
    ['a+tag@x.io, B_2@sub.y.org', 'a***@x.io, B***@sub.y.org'],
    ['already j***@example.com', 'already j***@example.com'],
    ['no address @here or user@localhost', 'no address @here or user@localhost'],
  ])('%s → %s', (text, masked) => {
    expect(maskEmails(text)).toBe(masked);
  });
});

describe('cleanSummary', () => {
  it('trims, keeps at most one blank line, and defuses mentions and links', () => {
    expect(cleanSummary('\n  One.\n\n\n\nTwo <!channel> <@U0BOSS> <https://x|y>  ')).toBe(
      'One.\n\nTwo ‹!channel› ‹@U0BOSS› ‹https://x|y›',
    );
  });

  it('caps a rambling answer', () => {
    const text = cleanSummary('x'.repeat(5000));
    expect(text.length).toBe(2000);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('writeAiSummary', () => {
  it('sends the thread (masked) and stores the summary with a card update in one go', async () => {
    const { issue, escalation } = await openEscalated(t.ctx, { reason: 'Ask ops@acme.com about it' });
    await reply(t.ctx, issue, people.agent, 'Please send the file to support@vendor.example');
    await reply(t.ctx, issue, people.customer, 'Sent from jane@customer.example');
    const before = (await readOutbox(t.dbUrl)).length;

    expect(await writeAiSummary(t.ctx, { port, timeoutMs: 1000 }, escalation.id)).toBe('written');

    const [sent] = port.inputs;
    expect(sent?.issueNumber).toBe(issue.number);
    expect(sent?.reason).toBe('Ask o***@acme.com about it');
    expect(sent?.thread.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'My invoice export fails with error E42'],
      ['staff', 'Please send the file to s***@vendor.example'],
      ['customer', 'Sent from j***@customer.example'],
    ]);
    expect(sent?.thread[0]?.at).toMatch(/^2026-03-02T09:00:00/);

    const stored = (await t.store.escalations.get(escalation.id))!;
    expect(stored.aiSummary).toBe('Customer cannot export invoices (E42).');
    expect(stored.version).toBe(escalation.version + 1);
    expect(stored.updatedAt).toEqual(escalation.updatedAt);

    const added = (await readOutbox(t.dbUrl)).slice(before);
    expect(added.map((r) => [r.orderKey, r.effect.kind])).toEqual([[issue.id, 'update_card']]);
    const effect = added[0]!.effect as Extract<Effect, { kind: 'update_card' }>;
    expect(effect.channel).toBe('slack:C0L2');
    expectAiSummaryOn(effect.card, 'Customer cannot export invoices (E42).');
    expect(t.outboxChanges()).toBeGreaterThan(0);
  });

  it('skips escalations that are finished or already summarised, without calling the endpoint', async () => {
    const { escalation } = await openEscalated(t.ctx);
    const actor = { actor: people.specialist.id, source: 'slack' } as const;
    await claimEscalation(t.ctx, escalation.id, actor);
    await resolveEscalation(t.ctx, escalation.id, actor, { note: 'Fixed', rootCause: 'system_issue' });
    expect(await writeAiSummary(t.ctx, { port, timeoutMs: 1000 }, escalation.id)).toBe('skipped');
    expect(await writeAiSummary(t.ctx, { port, timeoutMs: 1000 }, 'esc_missing')).toBe('skipped');
    expect(port.inputs).toEqual([]);

    const other = await openEscalated(t.ctx);
    await writeAiSummary(t.ctx, { port, timeoutMs: 1000 }, other.escalation.id);
    expect(await writeAiSummary(t.ctx, { port, timeoutMs: 1000 }, other.escalation.id)).toBe('skipped');
    expect(port.inputs).toHaveLength(1);
  });

  it('does not store an answer that came after the escalation was resolved', async () => {
    const { escalation } = await openEscalated(t.ctx);
    const actor = { actor: people.specialist.id, source: 'slack' } as const;
    port.behave = async () => {
      await claimEscalation(t.ctx, escalation.id, actor);
      await resolveEscalation(t.ctx, escalation.id, actor, { note: 'Fixed', rootCause: 'system_issue' });
      return 'Too late.';
    };
    expect(await writeAiSummary(t.ctx, { port, timeoutMs: 1000 }, escalation.id)).toBe('skipped');
    expect((await t.store.escalations.get(escalation.id))?.aiSummary).toBeNull();
  });

  it('gives up at the timeout even when the endpoint ignores the abort signal', async () => {
    const { escalation } = await openEscalated(t.ctx);
    let aborted = false;
    port.behave = (signal) => {
      signal.addEventListener('abort', () => {
        aborted = true;
      });
      return new Promise<string>(() => {}); // never settles
    };
    const started = Date.now();
    await expect(writeAiSummary(t.ctx, { port, timeoutMs: 100 }, escalation.id)).rejects.toThrow(
      'the summary endpoint did not answer within 100 ms',
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(aborted).toBe(true);
    expect((await t.store.escalations.get(escalation.id))?.aiSummary).toBeNull();
  });

  it('an empty answer is a failure', async () => {
    const { escalation } = await openEscalated(t.ctx);
    port.behave = async () => ' \n ';
    await expect(writeAiSummary(t.ctx, { port, timeoutMs: 1000 }, escalation.id)).rejects.toThrow(/empty/);
  });
});

describe('the outbox and the AI summary', () => {
  const bucket = 'summary:ai.test';

  it('with an endpoint: post_card, then ai_summary (once the card is out), then the card update', async () => {
    const { chat, calls } = recordingChat();
    const dispatcher = new OutboxDispatcher(
      t.ctx,
      { chat: { slack: chat }, summary: { port, timeoutMs: 1000, bucket } },
      new RecordingLogger(),
    );
    const { issue, escalation } = await openEscalated(t.ctx);
    await dispatcher.kick();
    await dispatcher.idle();

    const rows = await readOutbox(t.dbUrl); // in the order they were written
    const kinds = rows.map((r) => r.effect.kind);
    expect(kinds.indexOf('post_card')).toBeLessThan(kinds.indexOf('ai_summary'));
    expect(kinds.indexOf('ai_summary')).toBeLessThan(kinds.indexOf('update_card'));
    expect(rows.find((r) => r.effect.kind === 'ai_summary')).toMatchObject({
      // Its own order key: a slow endpoint holds up none of the issue's notes and card updates.
      orderKey: `${issue.id}:summary`,
      effect: { kind: 'ai_summary', escalationId: escalation.id },
    });
    expect(rows.find((r) => r.effect.kind === 'update_card')?.orderKey).toBe(issue.id);
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);

    const cards = calls.filter((c) => c.method === 'postCard' || c.method === 'updateCard');
    expect(cards.map((c) => c.method)).toEqual(['postCard', 'updateCard']);
    expect(mentions(cards[0]?.card, 'Customer cannot export invoices')).toBe(false);
    expectAiSummaryOn(cards[1]?.card, 'Customer cannot export invoices (E42).');
  });

  it('without an endpoint nothing is queued', async () => {
    const { chat } = recordingChat();
    const dispatcher = new OutboxDispatcher(t.ctx, { chat: { slack: chat } }, new RecordingLogger());
    await openEscalated(t.ctx);
    await dispatcher.kick();
    await dispatcher.idle();
    expect((await readOutbox(t.dbUrl)).map((r) => r.effect.kind)).not.toContain('ai_summary');
  });

  it(`a failing endpoint is called ${SUMMARY_ATTEMPTS} times with backoff, then given up with a warning`, async () => {
    const { chat, calls } = recordingChat();
    const log = new RecordingLogger();
    port.behave = async () => {
      throw new Error('summary endpoint ai.test answered HTTP 500');
    };
    const dispatcher = new OutboxDispatcher(
      t.ctx,
      { chat: { slack: chat }, summary: { port, timeoutMs: 1000, bucket } },
      log,
    );
    await openEscalated(t.ctx);
    await dispatcher.kick();
    await dispatcher.idle();
    for (let i = 0; i < SUMMARY_ATTEMPTS + 2; i += 1) {
      t.clock.advance(10 * 60_000);
      await dispatcher.kick();
      await dispatcher.idle();
    }
    expect(port.inputs).toHaveLength(SUMMARY_ATTEMPTS);
    const row = (await readOutbox(t.dbUrl)).find((r) => r.effect.kind === 'ai_summary')!;
    expect(row.status).toBe('delivered');
    expect(log.at('warn').filter((r) => r.msg === 'outbox delivery failed; will retry')).toHaveLength(
      SUMMARY_ATTEMPTS - 1,
    );
    expect(log.at('warn').at(-1)).toMatchObject({
      msg: 'AI summary failed; the card keeps its extractive summary',
      obj: { attempts: SUMMARY_ATTEMPTS, error: 'summary endpoint ai.test answered HTTP 500' },
    });
    expect(log.at('error')).toEqual([]);
    expect(calls.filter((c) => c.method === 'updateCard')).toEqual([]);
  });

  it('an ai_summary left from a run with an endpoint is skipped quietly after a restart without one', async () => {
    const { chat } = recordingChat();
    const { issue, escalation } = await openEscalated(t.ctx);
    await t.store.outbox.add(issue.id, { kind: 'ai_summary', escalationId: escalation.id }, t.clock.now());
    const log = new RecordingLogger();
    const dispatcher = new OutboxDispatcher(t.ctx, { chat: { slack: chat } }, log);
    await dispatcher.kick();
    await dispatcher.idle();
    expect((await readOutbox(t.dbUrl)).find((r) => r.effect.kind === 'ai_summary')?.status).toBe('delivered');
    expect(log.at('warn').map((r) => r.msg)).toContain(
      'no AI summary endpoint configured any more; summary skipped',
    );
  });

  it('a hanging summary call does not hold up the delivery pass', async () => {
    const { chat, calls } = recordingChat();
    let release: (text: string) => void = () => {};
    port.behave = () => new Promise<string>((resolve) => (release = resolve));
    const dispatcher = new OutboxDispatcher(
      t.ctx,
      { chat: { slack: chat }, summary: { port, timeoutMs: 60_000, bucket } },
      new RecordingLogger(),
    );
    await openEscalated(t.ctx);
    await dispatcher.kick();
    await expect.poll(() => port.inputs.length).toBe(1);

    // While the first summary call hangs, another issue's card goes out on the next pass.
    await openEscalated(t.ctx);
    await dispatcher.kick();
    expect(calls.filter((c) => c.method === 'postCard')).toHaveLength(2);
    expect(port.inputs).toHaveLength(1); // the summary bucket works one call at a time

    port.behave = async () => 'Second issue summary.';
    release('Late but fine.');
    await dispatcher.idle();
    expect(port.inputs).toHaveLength(2);
    expect(calls.filter((c) => c.method === 'updateCard')).toHaveLength(2);
  });
});
