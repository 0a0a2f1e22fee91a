import { DeliveryError } from '../ports/chat-port.js';
import type { Logger } from '../ports/logger.js';
import type { Effect, OutboxEntry } from '../ports/outbox.js';
import type { OutboxClaim } from '../ports/store.js';
import type { AppContext } from './context.js';
import { DEFAULT_CALL_TIMEOUT_MS, type DeliverySettings, type Pacing } from './outbox/delivery-settings.js';
import { LaneQueue } from './outbox/lane-queue.js';
import { laneOf } from './outbox/lanes.js';
import { Pacer, realTimer, type Timer } from './outbox/pacer.js';
import {
  type CardRef,
  type DeliveryPorts,
  EffectPerformer,
  SUMMARY_ATTEMPTS,
} from './outbox/perform-effect.js';
import { withinTimeout } from './outbox/within-timeout.js';
import { reportUndeliveredCard } from './report-undelivered-card.js';

export { type DeliveryPorts, SUMMARY_ATTEMPTS, type SummaryDelivery } from './outbox/perform-effect.js';

/** Entries listed per refill beyond those already queued. */
const BATCH = 200;
/**
 * A refill lists every queued entry again, so it costs more as the backlog grows: after one that
 * took t ms, the next waits until t × this has passed, keeping listing to a fifth of the time.
 */
const LISTING_SPACING = 5;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * How long a claim outlives the call's own timeout. A replica that dies mid-call leaves its entries
 * to another replica after this; one that is only slow has given up on the call well before.
 */
const CLAIM_MARGIN_MS = 30_000;

type Outcome = 'delivered' | 'parked' | 'retry' | 'paused' | 'taken elsewhere';

/**
 * Delivers outbox entries to the platforms. Entries of one issue go strictly in order (the outbox
 * only ever lists the oldest pending entry of an order key). Each entry goes to a lane, the
 * platform's rate-limit bucket (see `laneOf`): a lane delivers one entry at a time, paced in real
 * time where the platform sets a pace, and lanes work side by side, so a slow, throttled or
 * hanging channel holds up no other. Failures are retried with backoff; a 429's `Retry-After`
 * pauses only its lane; permanent failures are parked as `dead` with the reason and logged.
 */
export class OutboxDispatcher {
  private readonly lanes = new Map<string, LaneQueue>();
  /** Entries queued in a lane or being delivered, so a refill does not queue them twice. */
  private readonly taken = new Set<string>();
  /**
   * Entries finished while a refill was listing: its list may predate their new state (delivered,
   * or retrying later), so it must not queue them again.
   */
  private finishedWhileListing: Set<string> | null = null;
  private refilling: Promise<void> | null = null;
  private refillAgain = false;
  /** How long the last listing took, and when it ended (real time). */
  private lastListing = { tookMs: 0, endedAt: 0 };
  private draining = false;
  /** Resolves when `drain()` is called, to cut short the waits between paced calls. */
  private readonly drainStarted: Promise<void>;
  private startDraining: () => void = () => {};
  private readonly pacing: Pacing;
  private readonly callTimeoutMs: number;
  private readonly timer: Timer;
  private readonly performer: EffectPerformer;
  private readonly replica: string;

  constructor(
    private readonly ctx: AppContext,
    private readonly ports: DeliveryPorts,
    private readonly log: Logger,
    /** Without pacing, only 429s slow delivery down; `startEscalator` passes the platforms' paces. */
    settings: DeliverySettings = {},
  ) {
    this.pacing = settings.pacing ?? {};
    this.callTimeoutMs = settings.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.timer = settings.timer ?? realTimer;
    this.replica = settings.replica ?? 'this-process';
    this.performer = new EffectPerformer(ctx, ports, log);
    this.drainStarted = new Promise((resolve) => {
      this.startDraining = resolve;
    });
  }

  /**
   * Queues what is due now, and resolves once the deliveries have gone quiet: everything due was
   * tried, including what became due on the way (the next effect of an issue), except the lanes
   * working beside the passes (the AI summary) and paused ones. Rejects when the outbox cannot be
   * read (the database is gone).
   */
  async kick(): Promise<void> {
    await this.refill();
    await this.settled((queue) => !queue.lane.background);
  }

  /** Resolves when nothing is queued, delivered or listed any more, the AI summary included. */
  idle(): Promise<void> {
    return this.settled(() => true);
  }

  /**
   * For shutting down: starts nothing new and resolves once the calls in progress have finished.
   * Entries not started stay pending, for the next start (or another replica).
   */
  drain(): Promise<void> {
    this.draining = true;
    this.startDraining();
    return this.idle();
  }

  private async settled(counts: (queue: LaneQueue) => boolean): Promise<void> {
    for (;;) {
      const working = [...this.lanes.values()].filter((q) => q.worker && counts(q)).map((q) => q.worker);
      if (!this.refilling && working.length === 0) return;
      // A failed refill was already reported to whoever asked for it.
      await Promise.all([this.refilling?.catch(() => undefined), ...working]);
    }
  }

  /** Lists due entries into their lanes and starts their workers; one refill at a time. */
  private refill(): Promise<void> {
    if (this.refilling) {
      this.refillAgain = true;
      return this.refilling;
    }
    this.refilling = (async () => {
      try {
        do {
          this.refillAgain = false;
          await this.breather();
          await this.queueDue();
        } while (this.refillAgain && !this.draining);
      } finally {
        this.refilling = null;
      }
    })();
    return this.refilling;
  }

  /** Waits, after a costly listing, so that listing never takes most of the time. */
  private async breather(): Promise<void> {
    const { tookMs, endedAt } = this.lastListing;
    const rest = endedAt + tookMs * LISTING_SPACING - this.timer.now();
    if (rest > 0) await Promise.race([this.timer.sleep(rest), this.drainStarted]);
  }

  /** After a delivery: the next effect may be due now. */
  private refillSoon(): void {
    this.refill().catch((error: Error) => this.log.error({ error: error.message }, 'outbox pass failed'));
  }

  private async queueDue(): Promise<void> {
    if (this.draining) return;
    const now = this.ctx.clock.now();
    const finished = new Set<string>();
    this.finishedWhileListing = finished;
    let due: OutboxEntry[];
    const startedAt = this.timer.now();
    try {
      // Queued entries are still pending and come first in the list: look past them, so that
      // one long lane does not hide what is due in the others.
      due = await this.ctx.store.outbox.listDue(now, BATCH + this.taken.size);
    } finally {
      this.finishedWhileListing = null;
      this.lastListing = { tookMs: this.timer.now() - startedAt, endedAt: this.timer.now() };
    }
    for (const entry of due) {
      if (this.taken.has(entry.id) || finished.has(entry.id)) continue;
      const queue = this.queueFor(entry.effect);
      if (queue.isPaused(now.getTime())) continue; // it waits for the time the platform asked for
      queue.entries.push(entry);
      this.taken.add(entry.id);
    }
    for (const queue of this.lanes.values()) {
      if (queue.entries.length > 0 && !queue.worker) this.startWorker(queue);
    }
    this.forgetQuietLanes(now.getTime());
  }

  private queueFor(effect: Effect): LaneQueue {
    const lane = laneOf(effect, this.ports.summary?.bucket);
    let queue = this.lanes.get(lane.key);
    if (!queue) {
      const windows = lane.pacedAs ? this.pacing[lane.pacedAs] : undefined;
      queue = new LaneQueue(lane, windows?.length ? new Pacer(windows) : undefined);
      this.lanes.set(lane.key, queue);
    }
    return queue;
  }

  private startWorker(queue: LaneQueue): void {
    // Started on the next microtask, so `worker` is set before the work can clear it.
    queue.worker = Promise.resolve().then(() => this.work(queue));
  }

  /** Delivers a lane's queue one entry at a time, at the lane's pace, until it is empty or held. */
  private async work(queue: LaneQueue): Promise<void> {
    for (;;) {
      const entry = queue.entries[0];
      if (!entry || this.draining || queue.isPaused(this.ctx.clock.now().getTime())) {
        // Whatever is left waits in the outbox for a later refill. Cleared in the same step as
        // the check, so a refill never queues to a worker that has already stopped looking.
        for (const left of queue.entries.splice(0)) this.taken.delete(left.id);
        queue.worker = null;
        return;
      }
      const wait = queue.pacer?.waitMs(this.timer.now()) ?? 0;
      if (wait > 0) {
        await Promise.race([this.timer.sleep(wait), this.drainStarted]);
        continue; // look again: the dispatcher may be draining by now
      }
      queue.entries.shift();
      let outcome: Outcome;
      try {
        outcome = await this.deliverOne(entry, queue);
      } catch (error) {
        // The outbox itself failed (the database): leave the entry pending and stop this lane.
        this.log.error(
          { outboxId: entry.id, lane: queue.lane.key, error: (error as Error).message },
          'outbox delivery failed unexpectedly; the entry stays pending',
        );
        outcome = 'retry';
        for (const left of queue.entries.splice(0)) this.taken.delete(left.id);
      } finally {
        queue.pacer?.finishedAt(this.timer.now());
        this.taken.delete(entry.id);
        this.finishedWhileListing?.add(entry.id);
      }
      if (outcome === 'delivered' || outcome === 'parked') this.refillSoon();
    }
  }

  private forgetQuietLanes(clockNow: number): void {
    const realNow = this.timer.now();
    for (const [key, queue] of this.lanes) {
      if (queue.isForgettable(clockNow, realNow)) this.lanes.delete(key);
    }
  }

  private async deliverOne(entry: OutboxEntry, queue: LaneQueue): Promise<Outcome> {
    const { store, clock } = this.ctx;
    // Listed by several replicas perhaps, but sent by the one that claims it (a failed claim is an
    // entry delivered or taken meanwhile; the next refill lists what follows it).
    const claim = await this.claim(entry);
    if (!claim) return 'taken elsewhere';
    try {
      const cardRef = await this.performInTime(entry, claim);
      await store.transaction(async (tx) => {
        if (cardRef) {
          await tx.escalations.setCardRef(cardRef.escalationId, cardRef.channel, cardRef.messageId);
          // The card is out with its extractive summary; the AI one follows. On its own order key, so
          // a slow endpoint holds up none of the notes and card updates (the card update it
          // queues goes on the key, behind those).
          if (this.ports.summary) {
            await tx.outbox.add(
              `${entry.orderKey}:summary`,
              { kind: 'ai_summary', escalationId: cardRef.escalationId },
              clock.now(),
            );
          }
        }
        await tx.outbox.markDelivered(entry.id, clock.now());
      });
      return 'delivered';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryable = !(error instanceof DeliveryError) || error.retryable;
      if (!retryable) {
        const effect = entry.effect;
        await store.transaction(async (tx) => {
          await tx.outbox.markDead(entry.id, message);
          if (effect.kind === 'post_card') {
            await reportUndeliveredCard(tx, {
              escalationId: effect.escalationId,
              channel: effect.channel,
              error: message,
              at: clock.now(),
            });
          }
        });
        this.log.error(
          { outboxId: entry.id, kind: entry.effect.kind, lane: queue.lane.key, error: message },
          'outbox entry cannot be delivered; parked as dead',
        );
        return 'parked';
      }
      const now = clock.now().getTime();
      const retryAfter = error instanceof DeliveryError ? error.retryAfterMs : undefined;
      // The whole lane waits: the platform counted this call against all of it.
      if (retryAfter !== undefined) queue.pausedUntil = now + retryAfter;
      const wait = retryAfter ?? backoff(entry.attempts + 1);
      await store.outbox.markRetry(entry.id, message, new Date(now + wait));
      this.log.warn(
        {
          outboxId: entry.id,
          kind: entry.effect.kind,
          lane: queue.lane.key,
          attempt: entry.attempts + 1,
          retryInMs: wait,
          error: message,
        },
        'outbox delivery failed; will retry',
      );
      return retryAfter !== undefined ? 'paused' : 'retry';
    }
  }

  private claim(entry: OutboxEntry): Promise<OutboxClaim | undefined> {
    const now = this.ctx.clock.now();
    const callMs =
      entry.effect.kind === 'ai_summary' && this.ports.summary
        ? this.ports.summary.timeoutMs * SUMMARY_ATTEMPTS
        : this.callTimeoutMs;
    const until = new Date(now.getTime() + callMs + CLAIM_MARGIN_MS);
    return this.ctx.store.outbox.claim(entry.id, this.replica, until, now);
  }

  /** The AI summary has its own timeout; every other call gets the dispatcher's. */
  private performInTime(entry: OutboxEntry, claim: OutboxClaim): Promise<CardRef | null> {
    const work = this.performer.perform(entry, claim);
    if (entry.effect.kind === 'ai_summary') return work;
    return withinTimeout(work, this.callTimeoutMs, `${laneOf(entry.effect).key} (${entry.effect.kind})`);
  }
}

/** 1s, 2s, 4s … capped at 5 minutes, with jitter so a recovered platform is not hit all at once. */
export function backoff(attempt: number): number {
  const base = Math.min(1000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
