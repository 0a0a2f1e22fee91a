import { DeliveryError } from '../../ports/chat-port.js';

/**
 * The outcome of `work`, or a retryable `DeliveryError` once `ms` have passed without one. The
 * call itself cannot be taken back: if the platform did act on it after all, the retry is a
 * repeat, which the adapters recognise where the platform lets them (Slack card posts carry their
 * outbox id).
 */
export async function withinTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeliveryError(`${what} did not answer within ${ms} ms`, true)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
