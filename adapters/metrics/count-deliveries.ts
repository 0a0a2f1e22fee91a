import { DeliveryError } from '../../src/ports/chat-port.js';
import type { EscalatorMetrics } from './escalator-metrics.js';

/**
 * Wraps a delivery port (a `ChatPort`, the `WebhookPort`) so every call counts as a delivery
 * attempt, and every failure as a delivery error, retryable or not as the dispatcher will judge it
 * (anything but a `DeliveryError` with `retryable: false` is retried). Results and errors pass
 * through unchanged. Every method is wrapped, not a fixed list: only the outbox dispatcher calls
 * these ports, so each call is a delivery, and a method added to the port later is counted too.
 */
export function countDeliveries<T extends object>(port: T, platform: string, metrics: EscalatorMetrics): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') {
        return value;
      }
      return async (...args: unknown[]) => {
        const labels = { platform, method: property };
        metrics.deliveryAttempts.inc(labels);
        try {
          return await (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          const retryable = !(error instanceof DeliveryError) || error.retryable;
          metrics.deliveryErrors.inc({ ...labels, retryable: String(retryable) });
          throw error;
        }
      };
    },
  });
}
