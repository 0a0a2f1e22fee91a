import { describe, expect, it } from 'vitest';
import { countDeliveries } from '../../../adapters/metrics/count-deliveries.js';
import { EscalatorMetrics } from '../../../adapters/metrics/escalator-metrics.js';
import { DeliveryError } from '../../../src/ports/chat-port.js';
import { silentLogger } from '../../../src/ports/logger.js';

/** A port with a private field and a method calling another, as the real adapters are. */
class FakePort {
  private posted = 0;
  constructor(private readonly failures: unknown[] = []) {}
  async postCard(channel: string) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.posted += 1;
    return { messageId: `${channel}:${this.posted}` };
  }
  async updateCard() {
    await this.helper();
  }
  private async helper() {}
}

const series = async (metrics: EscalatorMetrics, name: string) =>
  (await metrics.registry.getSingleMetric(name)!.get()).values.map((v) => [v.labels, v.value]);

describe('counting deliveries through a port', () => {
  it('passes results through and counts each call as one attempt', async () => {
    const metrics = new EscalatorMetrics(silentLogger);
    const port = countDeliveries(new FakePort(), 'slack', metrics);
    expect(await port.postCard('C1')).toEqual({ messageId: 'C1:1' });
    expect(await port.postCard('C1')).toEqual({ messageId: 'C1:2' });
    await port.updateCard();
    expect(await series(metrics, 'escalator_delivery_attempts_total')).toEqual([
      [{ platform: 'slack', method: 'postCard' }, 2],
      [{ platform: 'slack', method: 'updateCard' }, 1],
    ]);
    expect(await series(metrics, 'escalator_delivery_errors_total')).toEqual([]);
  });

  it('rethrows every failure unchanged, labelled retryable as the dispatcher will treat it', async () => {
    const permanent = new DeliveryError('channel_not_found', false);
    const limited = new DeliveryError('ratelimited', true, 30_000);
    const network = new Error('socket hang up');
    const metrics = new EscalatorMetrics(silentLogger);
    const port = countDeliveries(new FakePort([permanent, limited, network]), 'teams', metrics);
    await expect(port.postCard('C1')).rejects.toBe(permanent);
    await expect(port.postCard('C1')).rejects.toBe(limited);
    await expect(port.postCard('C1')).rejects.toBe(network);
    expect(await series(metrics, 'escalator_delivery_errors_total')).toEqual([
      [{ platform: 'teams', method: 'postCard', retryable: 'false' }, 1],
      [{ platform: 'teams', method: 'postCard', retryable: 'true' }, 2],
    ]);
    expect(await series(metrics, 'escalator_delivery_attempts_total')).toEqual([
      [{ platform: 'teams', method: 'postCard' }, 3],
    ]);
  });
});
