import type { Agent } from 'node:http';
import { request } from 'node:http';
import { type SignedRequest, signedEvent } from '../ack-latency/support-traffic.js';

export interface SendAllOptions {
  agent: Agent;
  /** Requests in flight at most. */
  concurrency: number;
  /**
   * Bolt answers an event before it is stored, so answers alone do not hold the sender back: with
   * this, sending also waits while more than `max` answered events are not stored yet.
   */
  backlog?: { stored(): Promise<number>; max: number };
  /** `performance.now()` after which no more events are sent (a time budget); all of them by default. */
  until?: number;
}

/**
 * Sends `count` events as fast as the server takes them (closed loop, unlike the fixed-rate load
 * of the ack benchmark). Each body is made and signed just before it goes. Rejects on the first
 * answer other than 200. Resolves with how many were sent (fewer than `count` when `until` came first).
 */
export async function sendAll(
  url: string,
  count: number,
  nextBody: () => string,
  { agent, concurrency, backlog, until = Number.POSITIVE_INFINITY }: SendAllOptions,
): Promise<number> {
  const target = new URL(url);
  const storedAtStart = (await backlog?.stored()) ?? 0;
  let stored = storedAtStart;
  let checkedAt = 0;
  let sent = 0;
  const roomInBacklog = async () => {
    if (!backlog) return;
    // Also bounded by the budget: events the server lost would hold the backlog full forever.
    while (sent - (stored - storedAtStart) > backlog.max && performance.now() < until) {
      if (Date.now() - checkedAt >= 20) {
        checkedAt = Date.now();
        stored = await backlog.stored();
      } else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const worker = async () => {
    while (sent < count && performance.now() < until) {
      await roomInBacklog();
      if (sent >= count || performance.now() >= until) return;
      sent += 1;
      const status = await post(target, signedEvent(nextBody()), agent);
      if (status !== 200) throw new Error(`event ${sent} got HTTP ${status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return sent;
}

function post(target: URL, signed: SignedRequest, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: signed.headers,
        agent,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end(signed.body);
  });
}
