import type { RateWindow, Timer } from './pacer.js';

/** How fast Escalator calls each platform within one lane (see `laneOf`). */
export interface Pacing {
  /** `chat.postMessage` per channel. */
  slack?: RateWindow[];
  /** Bot Connector sends per conversation (a channel for new threads, or one thread). */
  teams?: RateWindow[];
}

export interface DeliverySettings {
  /** Per-lane pacing; a platform without any is slowed down only by its own 429s. */
  pacing?: Pacing;
  /**
   * The longest one delivery may take before it counts as failed and is retried: a safety net
   * behind the adapters' own timeouts (botbuilder sets none, so a hanging Bot Connector would
   * otherwise hold its lane forever). The AI summary keeps its own timeout.
   */
  callTimeoutMs?: number;
  /** Real time for pacing; tests of the dispatcher may pass their own. */
  timer?: Timer;
  /**
   * This process's name when it claims an entry for delivery. Replicas sharing a database must
   * each have their own; `startEscalator` makes one per process.
   */
  replica?: string;
}

/**
 * What the platforms allow, and what `startEscalator` uses unless told otherwise.
 * - Slack: about one message per second per channel. It tolerates short bursts, but does not
 *   promise to deliver them, so Escalator keeps to one a second.
 * - Teams: per bot and conversation, 7 sends a second, 60 in 30 seconds, 1800 an hour.
 */
export const PLATFORM_PACING: Required<Pacing> = {
  slack: [{ calls: 1, perMs: 1000 }],
  teams: [
    { calls: 7, perMs: 1000 },
    { calls: 60, perMs: 30_000 },
    { calls: 1800, perMs: 3_600_000 },
  ],
};

/** Longer than the Slack client's and the webhook sender's own 10 s, so theirs normally come first. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
