import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation, resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { OutboxDispatcher } from '../../../src/app/deliver-outbox.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import type { Card } from '../../../src/domain/card.js';
import type { ThreadRef } from '../../../src/domain/ids.js';
import { type ChatPort, DeliveryError } from '../../../src/ports/chat-port.js';
import type { Logger } from '../../../src/ports/logger.js';
import { openIssue, people } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../support/core/test-context.js';

type Call =
  | { method: 'postCard'; channel: string; title: string; idempotencyKey?: string }
  | { method: 'updateCard'; channel: string; messageId: string; status: string }
  | { method: 'postThreadNote'; channel: string; threadId: string; text: string }
  | { method: 'postEphemeral'; channel: string; userId: string; text: string }
  | { method: 'postCsatPrompt'; channel: string; threadId: string; escalationId: string; number: number };

/**
 * A chat platform that records every call. `failWith` decides per call whether it fails (return an
 * error to throw); failed calls are recorded too, with `failed: true`.
 */
class RecordingChat implements ChatPort {
  readonly calls: (Call & { failed?: boolean })[] = [];
  failWith: (call: Call) => Error | undefined = () => undefined;
  private nextTs = 0;

  private record(call: Call): void {
    const error = this.failWith(call);
    this.calls.push(error ? { ...call, failed: true } : call);
    if (error) throw error;
  }

  private ts(): string {
    this.nextTs += 1;
    return `1770100000.${String(this.nextTs).padStart(6, '0')}`;
  }

  async postCard(channel: string, card: Card, options?: { idempotencyKey?: string }) {
    this.record({ method: 'postCard', channel, title: card.title, idempotencyKey: options?.idempotencyKey });
    return { messageId: this.ts() };
  }
  async updateCard(channel: string, messageId: string, card: Card) {
    this.record({ method: 'updateCard', channel, messageId, status: card.status });
  }
  async postThreadNote(thread: ThreadRef, text: string) {
    this.record({ method: 'postThreadNote', channel: thread.channel, threadId: thread.threadId, text });
    return { messageId: this.ts() };
  }
  async postEphemeral(channel: string, userId: string, text: string) {
    this.record({ method: 'postEphemeral', channel, userId, text });
  }
  async postCsatPrompt(thread: ThreadRef, prompt: { escalationId: string; number: number }) {
    this.record({ method: 'postCsatPrompt', channel: thread.channel, threadId: thread.threadId, ...prompt });
    return { messageId: this.ts() };
  }

  /** Successful calls only, as short strings. */
  delivered(): string[] {
    return this.calls.filter((c) => !c.failed).map(describeCall);
  }
}

function describeCall(c: Call): string {
  switch (c.method) {
    case 'postCard':
      return `postCard ${c.channel} ${c.title}`;
    case 'updateCard':
      return `updateCard ${c.channel} ${c.messageId}`;
    case 'postThreadNote':
      return `note ${c.channel} ${Array.from(c.text)[0]}`;
    case 'postEphemeral':
      return `ephemeral ${c.channel} ${c.userId}`;
    case 'postCsatPrompt':
      return `csat ${c.channel} #${c.number}`;
  }
}

class RecordingLogger implements Logger {
  readonly lines: { level: string; obj: object; msg?: string }[] = [];
  debug(obj: object, msg?: string) {
    this.lines.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string) {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string) {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string) {
    this.lines.push({ level: 'error', obj, msg });
  }
}

const MIN = 60_000;
let t: TestContext;
let chat: RecordingChat;
let log: RecordingLogger;
let dispatcher: OutboxDispatcher;

beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T00:00:00.000Z' });
  chat = new RecordingChat();
  log = new RecordingLogger();
  dispatcher = new OutboxDispatcher(t.ctx, { chat: { slack: chat } }, log);
});
afterEach(async () => {
  await dispatcher.idle();
  await t.cleanup();
});

/** Opens an issue and escalates it on `path`; returns the escalation. */
async function escalate(path = 'tech', text = 'Export fails') {
  const issue = await openIssue(t.ctx, text);
  const escalation = await escalateIssue(t.ctx, {
    issueId: issue.id,
    reason: 'Needs a specialist',
    path,
    actor: people.agent.id,
    source: 'slack',
  });
  return { issue, escalation };
}

const rowsFor = async (escalationId: string) =>
  (await readOutbox(t.dbUrl)).filter(
    (r) => 'escalationId' in r.effect && r.effect.escalationId === escalationId,
  );
const postOf = async (escalationId: string) =>
  (await rowsFor(escalationId)).find((r) => r.effect.kind === 'post_card')!;

describe('OutboxDispatcher', () => {
  it('delivers each issue’s effects in the order they were written', async () => {
    const { escalation } = await escalate();
    const spec = { actor: people.specialist.id, source: 'slack' } as const;
    await claimEscalation(t.ctx, escalation.id, spec);
    await resolveEscalation(t.ctx, escalation.id, spec, { note: 'Patched', rootCause: 'system_issue' });

    await dispatcher.kick();

    const expected = (await readOutbox(t.dbUrl)).map((r) => r.effect.kind);
    expect(expected).toEqual([
      'post_card',
      'thread_note',
      'thread_note',
      'update_card',
      'thread_note',
      'csat_prompt',
      'update_card',
    ]);
    expect(chat.calls.map((c) => c.method)).toEqual([
      'postCard',
      'postThreadNote',
      'postThreadNote',
      'updateCard',
      'postThreadNote',
      'postCsatPrompt',
      'updateCard',
    ]);
    expect(chat.delivered().filter((d) => d.startsWith('note'))).toEqual([
      'note slack:C0SUPPORT 🔺',
      'note slack:C0SUPPORT 👋',
      'note slack:C0SUPPORT ✅',
    ]);
    expect((await readOutbox(t.dbUrl)).every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
    expect(await t.store.outbox.countPending()).toBe(0);
  });

  it('passes the outbox id as the idempotency key, so a retried post is not duplicated', async () => {
    const { escalation } = await escalate();
    await dispatcher.kick();
    const post = chat.calls.find((c) => c.method === 'postCard');
    expect(post?.method === 'postCard' && post.idempotencyKey).toBe((await postOf(escalation.id)).id);
  });

  it('stores the posted card’s message id and later edits that same message', async () => {
    const { escalation } = await escalate();
    await dispatcher.kick();
    const stored = await t.store.escalations.get(escalation.id);
    expect(stored).toMatchObject({ cardChannel: 'slack:C0L2', cardMessageId: '1770100000.000001' });

    await claimEscalation(t.ctx, escalation.id, { actor: people.specialist.id, source: 'slack' });
    await dispatcher.kick();
    const update = chat.calls.find((c) => c.method === 'updateCard');
    expect(update).toMatchObject({ channel: 'slack:C0L2', messageId: '1770100000.000001' });
    expect(update?.method === 'updateCard' && update.status).toContain('Claimed by');
  });

  it('a retryable failure keeps the entry pending for later and holds back the rest of that issue only', async () => {
    const a = await escalate('tech', 'A: export fails');
    const b = await escalate('management', 'B: I want a manager');
    chat.failWith = (call) =>
      call.method === 'postCard' && call.channel === 'slack:C0L2' ? new Error('socket hang up') : undefined;

    await dispatcher.kick();

    const failed = await postOf(a.escalation.id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'socket hang up' });
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
    // A's thread note waits behind its card; B (another issue) went out in full.
    expect(chat.delivered()).toEqual([
      'postCard slack:C0LEADS Escalation #2 · P3 · Manual',
      'note slack:C0SUPPORT 🔺',
    ]);
    expect(await postOf(b.escalation.id)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect((await readOutbox(t.dbUrl)).filter((r) => r.orderKey === a.issue.id).map((r) => r.status)).toEqual(
      ['pending', 'pending'],
    );
    expect(log.lines.some((l) => l.level === 'warn' && l.msg === 'outbox delivery failed; will retry')).toBe(
      true,
    );

    // Kicking again before the backoff ran out does not hammer the platform.
    chat.failWith = () => undefined;
    const attempts = chat.calls.length;
    await dispatcher.kick();
    expect(chat.calls.length).toBe(attempts);

    // Once the time comes, the card and then its note go out.
    t.clock.advance(5 * MIN);
    await dispatcher.kick();
    expect(chat.delivered().slice(2)).toEqual([
      'postCard slack:C0L2 Escalation #1 · P3 · Manual',
      'note slack:C0SUPPORT 🔺',
    ]);
    expect(await postOf(a.escalation.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await t.store.outbox.countPending()).toBe(0);
  });

  it('backs off further after each failed attempt', async () => {
    const { escalation } = await escalate();
    chat.failWith = (call) =>
      call.method === 'postCard' ? new DeliveryError('internal_error', true) : undefined;
    const waits: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      await dispatcher.kick();
      const row = await postOf(escalation.id);
      waits.push(row.nextAttemptAt.getTime() - t.clock.now().getTime());
      t.clock.set(row.nextAttemptAt);
    }
    expect((await postOf(escalation.id)).attempts).toBe(4);
    // 1s, 2s, 4s, 8s with ±20% jitter.
    expect(waits[0]).toBeGreaterThanOrEqual(800);
    expect(waits[0]).toBeLessThanOrEqual(1200);
    expect(waits[3]).toBeGreaterThanOrEqual(6400);
    expect(waits[3]).toBeLessThanOrEqual(9600);
  });

  it('a 429 with Retry-After pauses that channel only, for as long as Slack asked', async () => {
    const a = await escalate('tech', 'A');
    chat.failWith = (call) =>
      call.method === 'postCard' && call.channel === 'slack:C0L2'
        ? new DeliveryError('ratelimited', true, 30_000)
        : undefined;
    await dispatcher.kick();
    expect(await postOf(a.escalation.id)).toMatchObject({ status: 'pending', lastError: 'ratelimited' });
    expect((await postOf(a.escalation.id)).nextAttemptAt).toEqual(new Date(t.clock.now().getTime() + 30_000));

    // Slack would accept now, but we were told to wait: a new card for the same channel waits too,
    // while a card for another channel goes straight out.
    chat.failWith = () => undefined;
    t.clock.advance(10_000);
    const b = await escalate('tech', 'B');
    const c = await escalate('management', 'C');
    await dispatcher.kick();
    expect(chat.calls.filter((call) => call.channel === 'slack:C0L2').map((call) => call.failed)).toEqual([
      true,
    ]);
    expect((await postOf(c.escalation.id)).status).toBe('delivered');
    expect(await postOf(b.escalation.id)).toMatchObject({ status: 'pending', attempts: 0 });

    t.clock.advance(20_000);
    await dispatcher.kick();
    expect(chat.delivered().filter((d) => d.startsWith('postCard slack:C0L2'))).toEqual([
      'postCard slack:C0L2 Escalation #1 · P3 · Manual',
      'postCard slack:C0L2 Escalation #2 · P3 · Manual',
    ]);
    expect(await t.store.outbox.countPending()).toBe(0);
  });

  it('a permanent failure parks the entry as dead, logs it, and the issue’s next effect goes on', async () => {
    const { escalation } = await escalate();
    chat.failWith = (call) =>
      call.method === 'postCard' ? new DeliveryError('channel_not_found', false) : undefined;
    await dispatcher.kick();

    expect(await postOf(escalation.id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'channel_not_found',
    });
    // The thread hears about the escalation, and that its card could not be posted.
    expect(chat.delivered()).toEqual(['note slack:C0SUPPORT 🔺', 'note slack:C0SUPPORT ⚠']);
    const warning = chat.calls.at(-1);
    expect(warning?.method === 'postThreadNote' && warning.text).toContain(
      'The card for escalation #1 could not be posted to <#C0L2> (channel_not_found)',
    );
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'outbox entry cannot be delivered; parked as dead' }),
    );

    // The card never existed, so updating it cannot work either: parked too, not retried forever.
    await claimEscalation(t.ctx, escalation.id, { actor: people.specialist.id, source: 'slack' });
    await dispatcher.kick();
    const update = (await readOutbox(t.dbUrl)).find((r) => r.effect.kind === 'update_card');
    expect(update).toMatchObject({ status: 'dead' });
    expect(update?.lastError).toContain('was never posted');
    expect(chat.delivered().at(-1)).toBe('note slack:C0SUPPORT 👋');
    expect(await t.store.outbox.countPending()).toBe(0);
  });

  it('a platform whose adapter is not enabled is retried, and delivered once it is', async () => {
    const { escalation } = await escalate();
    const without = new OutboxDispatcher(t.ctx, { chat: {} }, log);
    await without.kick();
    const row = await postOf(escalation.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toContain('slack adapter is not enabled');
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(t.clock.now().getTime());

    // The operator restarts with the Slack credentials.
    t.clock.advance(MIN);
    await dispatcher.kick();
    expect(chat.delivered()).toEqual([
      'postCard slack:C0L2 Escalation #1 · P3 · Manual',
      'note slack:C0SUPPORT 🔺',
    ]);
  });
});
