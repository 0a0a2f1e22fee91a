import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimEscalation } from '../../../../src/app/act-on-escalation.js';
import { type DeliveryPorts, OutboxDispatcher } from '../../../../src/app/deliver-outbox.js';
import type { DeliverySettings } from '../../../../src/app/outbox/delivery-settings.js';
import type { Card } from '../../../../src/domain/card.js';
import type { ThreadRef } from '../../../../src/domain/ids.js';
import { type ChatPort, DeliveryError } from '../../../../src/ports/chat-port.js';
import { silentLogger } from '../../../../src/ports/logger.js';
import type { OutboxEntry } from '../../../../src/ports/outbox.js';
import { openEscalated, people } from '../../../support/core/fixtures.js';
import { readOutbox } from '../../../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../../../support/core/test-context.js';

interface Call {
  method: 'postCard' | 'updateCard' | 'postThreadNote' | 'postEphemeral' | 'postCsatPrompt';
  channel: string;
  /** The escalation (cards) or the note's first character (notes). */
  what: string;
  /** `Date.now()` when the call was made, and when it was answered (the pacer counts from there). */
  startedAt: number;
  finishedAt?: number;
  failed?: boolean;
}

/**
 * A chat platform whose every call is recorded and can be scripted: `behave` may throw, wait or
 * hang. Calls are answered after `behave` resolves.
 */
class ScriptedChat implements ChatPort {
  readonly calls: Call[] = [];
  behave: (call: Call) => Promise<void> | void = () => {};
  private ts = 0;

  private async record(fields: Omit<Call, 'startedAt'>): Promise<void> {
    const call: Call = { ...fields, startedAt: Date.now() };
    this.calls.push(call);
    try {
      await this.behave(call);
    } catch (error) {
      call.failed = true;
      throw error;
    } finally {
      call.finishedAt = Date.now();
    }
  }
  private nextTs() {
    this.ts += 1;
    return `1770100000.${String(this.ts).padStart(6, '0')}`;
  }
  async postCard(channel: string, card: Card) {
    await this.record({ method: 'postCard', channel, what: escalationOf(card) });
    return { messageId: this.nextTs() };
  }
  async updateCard(channel: string, _messageId: string, card: Card) {
    await this.record({ method: 'updateCard', channel, what: escalationOf(card) });
  }
  async postThreadNote(thread: ThreadRef, text: string) {
    await this.record({ method: 'postThreadNote', channel: thread.channel, what: Array.from(text)[0]! });
    return { messageId: this.nextTs() };
  }
  async postEphemeral(channel: string, userId: string) {
    await this.record({ method: 'postEphemeral', channel, what: userId });
  }
  async postCsatPrompt(thread: ThreadRef, prompt: { escalationId: string }) {
    await this.record({ method: 'postCsatPrompt', channel: thread.channel, what: prompt.escalationId });
    return { messageId: this.nextTs() };
  }

  /** Calls answered without an error. */
  ok(method: Call['method'], channel?: string): Call[] {
    return this.calls.filter(
      (c) =>
        c.finishedAt !== undefined && !c.failed && c.method === method && (!channel || c.channel === channel),
    );
  }
}

/** The card's escalation, from its buttons (as the adapters read it). */
function escalationOf(card: Card): string {
  return /"(esc_[a-z0-9]+)"/.exec(JSON.stringify(card))?.[1] ?? '?';
}

const L2 = 'slack:C0L2';
const LEADS = 'slack:C0LEADS';
let t: TestContext;
let chat: ScriptedChat;
let dispatcher: OutboxDispatcher;

function start(settings: DeliverySettings = {}, ports: Partial<DeliveryPorts> = {}) {
  dispatcher = new OutboxDispatcher(t.ctx, { chat: { slack: chat }, ...ports }, silentLogger, settings);
}

beforeEach(async () => {
  t = await createTestContext({ start: '2026-03-02T09:00:00.000Z' });
  chat = new ScriptedChat();
  start();
});
afterEach(async () => {
  await dispatcher.idle();
  await t.cleanup();
});

const tech = () => openEscalated(t.ctx, { path: 'tech' });
const management = () => openEscalated(t.ctx, { path: 'management' });
const claim = (escalationId: string) =>
  claimEscalation(t.ctx, escalationId, { actor: people.specialist.id, source: 'slack' });
const rateLimited = (seconds: number) =>
  new DeliveryError('Slack rate limited the call (429)', true, seconds * 1000);

describe('a 429 pauses the rate-limit bucket it was counted against, and only that', () => {
  it('chat.update: every card update waits (Slack counts that method across the workspace), posts do not', async () => {
    const a = await tech();
    const b = await management();
    await dispatcher.kick();
    await claim(a.escalation.id);
    await claim(b.escalation.id);
    chat.behave = (call) => {
      if (call.method === 'updateCard' && call.what === a.escalation.id) throw rateLimited(30);
    };
    await dispatcher.kick();

    // A's update was refused; B's update, on another channel, was not even tried.
    expect(chat.calls.filter((c) => c.method === 'updateCard').map((c) => [c.what, !!c.failed])).toEqual([
      [a.escalation.id, true],
    ]);
    // Posts are another method: both claim notes went out, and a new card in A's channel goes too.
    expect(chat.ok('postThreadNote').map((c) => c.what)).toEqual(['🔺', '🔺', '👋', '👋']);
    const c = await tech();
    await dispatcher.kick();
    expect(chat.ok('postCard', L2).map((call) => call.what)).toEqual([a.escalation.id, c.escalation.id]);

    // Not one update call until Retry-After has passed, then both in order.
    chat.behave = () => {};
    t.clock.advance(29_000);
    await dispatcher.kick();
    expect(chat.calls.filter((call) => call.method === 'updateCard')).toHaveLength(1);
    t.clock.advance(1_000);
    await dispatcher.kick();
    expect(chat.ok('updateCard').map((call) => [call.channel, call.what])).toEqual([
      [L2, a.escalation.id],
      [LEADS, b.escalation.id],
    ]);
    expect(await t.store.outbox.countPending()).toBe(0);
  });

  it('chat.postMessage: only that channel’s posts wait; its card updates and other channels go on', async () => {
    const a = await tech();
    await dispatcher.kick();
    await claim(a.escalation.id); // its card update is pending
    chat.behave = (call) => {
      if (call.method === 'postCard' && call.channel === L2) throw rateLimited(30);
    };
    const b = await tech();
    const c = await management();
    await dispatcher.kick();

    expect(chat.ok('updateCard').map((call) => call.what)).toEqual([a.escalation.id]);
    expect(chat.ok('postCard', LEADS).map((call) => call.what)).toEqual([c.escalation.id]);
    expect(chat.calls.filter((call) => call.channel === L2 && call.method === 'postCard')).toHaveLength(2);

    chat.behave = () => {};
    const d = await tech(); // a new card for the paused channel waits its turn too
    t.clock.advance(29_999);
    await dispatcher.kick();
    expect(chat.calls.filter((call) => call.channel === L2 && call.method === 'postCard')).toHaveLength(2);
    t.clock.advance(1);
    await dispatcher.kick();
    expect(chat.ok('postCard', L2).map((call) => call.what)).toEqual([
      a.escalation.id,
      b.escalation.id,
      d.escalation.id,
    ]);
  });
});

describe('pacing', () => {
  it('spaces the posts to one channel by the interval, measured from the end of the previous call, without holding up another channel', async () => {
    const interval = 40;
    start({ pacing: { slack: [{ calls: 1, perMs: interval }] } });
    chat.behave = () => new Promise((resolve) => setTimeout(resolve, 5)); // each call takes a while
    const l2 = [await tech(), await tech(), await tech(), await tech()];
    const leads = await management();
    await dispatcher.kick();

    const posts = chat.ok('postCard', L2);
    expect(posts.map((p) => p.what)).toEqual(l2.map((e) => e.escalation.id));
    // Each post started at least `interval` after the previous one to the channel had been answered.
    for (let i = 1; i < posts.length; i += 1) {
      expect(posts[i]!.startedAt - posts[i - 1]!.finishedAt!).toBeGreaterThanOrEqual(interval);
    }
    // The other channel's card did not queue behind them: it went before the second post to L2.
    expect(chat.calls.indexOf(chat.ok('postCard', LEADS)[0]!)).toBeLessThan(chat.calls.indexOf(posts[1]!));
    expect(leads.escalation.id).toBe(chat.ok('postCard', LEADS)[0]!.what);
  });
});

describe('a call that never returns', () => {
  it('is cut off at the call timeout and retried later, while other channels keep going', async () => {
    start({ callTimeoutMs: 50 });
    let hung = 0;
    chat.behave = (call) => {
      if (call.method === 'postCard' && call.channel === L2 && hung === 0) {
        hung += 1;
        return new Promise(() => {}); // never answers
      }
    };
    const a = await tech();
    const b = await management();
    await dispatcher.kick();

    const row = (await readOutbox(t.dbUrl)).find(
      (r) => r.effect.kind === 'post_card' && r.orderKey === a.issue.id,
    );
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.lastError).toContain('did not answer within 50 ms');
    expect(chat.ok('postCard', LEADS).map((c) => c.what)).toEqual([b.escalation.id]);

    t.clock.advance(60_000);
    await dispatcher.kick();
    expect(chat.ok('postCard', L2).map((c) => c.what)).toEqual([a.escalation.id]);
    expect(await t.store.outbox.countPending()).toBe(0);
  });
});

describe('a refill that lists an entry while it is being delivered', () => {
  it('does not queue it again once its delivery has finished (no second post)', async () => {
    // B's post is held until a refill has listed it as pending; that listing is then held until
    // B's delivery has been recorded, so the listing is stale by the time it is read.
    let release: () => void = () => {};
    const heldPost = new Promise<void>((resolve) => (release = resolve));
    const a = await tech();
    const b = await management();
    chat.behave = (call) => {
      if (call.what !== b.escalation.id) return undefined;
      // A refill while B's post is held. A's deliveries usually cause one, but not when B's claim
      // is slower than all of A's chain (on PostgreSQL it may need a new pooled connection).
      void dispatcher.kick();
      return heldPost;
    };

    const listDue = t.ctx.store.outbox.listDue.bind(t.ctx.store.outbox);
    let stale = false;
    const listsB = (rows: OutboxEntry[]) =>
      rows.some((r) => r.effect.kind === 'post_card' && r.orderKey === b.issue.id);
    t.ctx.store.outbox.listDue = async (now, limit) => {
      const rows = await listDue(now, limit);
      const posting = chat.calls.some((c) => c.what === b.escalation.id);
      if (!stale && posting && listsB(rows)) {
        stale = true;
        release(); // B's post is answered now, and recorded, before this list is read
        // Generous: under a loaded machine a PostgreSQL commit may take well over the default second.
        await expect.poll(async () => listsB(await listDue(now, limit)), { timeout: 15_000 }).toBe(false);
      }
      return rows;
    };

    await dispatcher.kick();
    await dispatcher.idle();
    expect(stale).toBe(true);
    expect(chat.calls.filter((c) => c.method === 'postCard').map((c) => c.what)).toEqual([
      a.escalation.id,
      b.escalation.id,
    ]);
    expect(await t.store.outbox.countPending()).toBe(0);
  });
});

describe('drain', () => {
  it('finishes the call in progress, starts nothing else, and leaves the rest pending for the next start', async () => {
    start({ pacing: { slack: [{ calls: 1, perMs: 60_000 }] } }); // the second post would wait a minute
    await tech();
    await tech();
    const kicked = dispatcher.kick();
    await expect.poll(() => chat.ok('postCard').length).toBe(1);
    await dispatcher.drain();
    await kicked;
    expect(chat.ok('postCard')).toHaveLength(1);
    // The first card's note, and the second card, stay for the next run.
    expect(
      (await readOutbox(t.dbUrl)).filter((r) => r.status === 'pending').map((r) => r.effect.kind),
    ).toEqual(expect.arrayContaining(['post_card', 'thread_note']));
  });
});
