import { createHmac } from 'node:crypto';
import { DeliveryError } from '../../src/ports/chat-port.js';
import type { WebhookPort } from '../../src/ports/webhook-port.js';

/**
 * Posts escalations to external parties as signed JSON. The receiver verifies
 * `X-Escalator-Signature: sha256=<hex HMAC of "<timestamp>.<body>">` with the shared secret and can
 * drop repeats by `Idempotency-Key` (a retry after a timeout sends the same key).
 */
export class HttpWebhook implements WebhookPort {
  constructor(
    private readonly secret: (name: string) => string | undefined,
    private readonly timeoutMs = 10_000,
  ) {}

  async post(
    url: string,
    body: Record<string, unknown>,
    options: { secretEnv?: string; idempotencyKey: string },
  ) {
    const payload = JSON.stringify(body);
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': options.idempotencyKey,
      'x-escalator-timestamp': timestamp,
    };
    if (options.secretEnv) {
      const secret = this.secret(options.secretEnv);
      if (!secret)
        throw new DeliveryError(`webhook secret ${options.secretEnv} is not set in the environment`, true);
      headers['x-escalator-signature'] =
        `sha256=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body: payload,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new DeliveryError(`webhook ${new URL(url).host} unreachable: ${(error as Error).message}`, true);
    }
    if (response.ok) return;
    const retryAfter = Number(response.headers.get('retry-after'));
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    throw new DeliveryError(
      `webhook ${new URL(url).host} answered HTTP ${response.status}`,
      retryable,
      response.status === 429 && retryAfter > 0 ? retryAfter * 1000 : undefined,
    );
  }
}
