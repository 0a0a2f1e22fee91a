import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Logger } from '../../src/ports/logger.js';
import type { StoreStats } from '../../src/ports/store.js';

/**
 * Escalator's Prometheus metrics, on registries of its own (not prom-client's global one), so
 * several instances in one process (tests, a future multi-tenant host) never count into each other.
 * Counters are fed by the decorators next to this file; the database figures are read per scrape.
 */
export class EscalatorMetrics {
  /** Counters and the process metrics: always served. */
  readonly registry = new Registry();
  /** Gauges read from the database: left out of a scrape when it cannot answer, never shown stale. */
  private readonly storeRegistry = new Registry();

  /** Requests to the platform endpoints, by how they were answered (see `countInbound`). */
  readonly inboundRequests = new Counter({
    name: 'escalator_inbound_requests_total',
    help: 'Requests to the Slack and Teams endpoints: accepted (2xx/3xx), rejected (4xx: bad signature or token, bad body), failed (5xx)',
    labelNames: ['platform', 'outcome', 'code'] as const,
    registers: [this.registry],
  });

  readonly inboundDuplicates = new Counter({
    name: 'escalator_inbound_duplicates_total',
    help: 'Inbound events seen before (platform retries, double submissions): answered, not acted on again',
    labelNames: ['platform', 'kind'] as const,
    registers: [this.registry],
  });

  readonly escalationsCreated = new Counter({
    name: 'escalator_escalations_created_total',
    help: 'Escalations created (a card at a level), by path and by what started it',
    labelNames: ['path', 'trigger'] as const,
    registers: [this.registry],
  });

  readonly deliveryAttempts = new Counter({
    name: 'escalator_delivery_attempts_total',
    help: 'Calls the outbox made to deliver an effect (cards, updates, thread notes, webhooks), retries included',
    labelNames: ['platform', 'method'] as const,
    registers: [this.registry],
  });

  readonly deliveryErrors = new Counter({
    name: 'escalator_delivery_errors_total',
    help: 'Delivery calls that failed; retryable="false" ones are not tried again',
    labelNames: ['platform', 'method', 'retryable'] as const,
    registers: [this.registry],
  });

  readonly outboxDead = new Counter({
    name: 'escalator_outbox_dead_total',
    help: 'Outbox entries parked for good (the platform refused them, or they can never be delivered)',
    registers: [this.registry],
  });

  private readonly escalations = new Gauge({
    name: 'escalator_escalations',
    help: 'Escalations in the database by status, read at scrape time',
    labelNames: ['status'] as const,
    registers: [this.storeRegistry],
  });

  private readonly outboxPending = new Gauge({
    name: 'escalator_outbox_pending',
    help: 'Outbox entries not delivered yet (the delivery backlog, retries included), read at scrape time',
    registers: [this.storeRegistry],
  });

  constructor(private readonly log: Logger) {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Everything in Prometheus text format, the database figures read now. */
  async scrape(stats: () => Promise<StoreStats>): Promise<string> {
    const always = await this.registry.metrics();
    try {
      const figures = await stats();
      for (const [status, n] of Object.entries(figures.escalationsByStatus)) {
        this.escalations.set({ status }, n);
      }
      this.outboxPending.set(figures.outboxPending);
    } catch (error) {
      // `/readyz` says what is wrong with the database; the rest of the metrics still help.
      this.log.warn({ error: (error as Error).message }, 'metrics: the database figures could not be read');
      return always;
    }
    return always + (await this.storeRegistry.metrics());
  }
}
