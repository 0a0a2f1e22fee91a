import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { SignedRequest } from './support-traffic.js';

/** Slack counts an event as failed when its HTTP 200 takes longer than this, and retries it. */
export const SLACK_ACK_DEADLINE_MS = 3_000;

export interface OpenLoopResult {
  /** Time to the HTTP 200 of each request that got one, from the moment it was due to be sent. */
  latenciesMs: number[];
  /** Requests without a 200 within Slack's 3 s: another status, an error, or too late. */
  dropped: number;
  /** How far behind its schedule the generator sent its most delayed request. */
  maxSendLagMs: number;
}

/**
 * Sends `requests` to `url` at a fixed rate, open loop: each request leaves when the wall clock
 * says it is due, whether or not earlier ones were answered (as Slack sends events), so a slow
 * server is not rewarded with a slower stream. Latency counts from when a request was due, so a
 * lagging generator shows up in the figure rather than hiding it.
 */
export async function sendAtFixedRate(
  url: string,
  requests: SignedRequest[],
  perSecond: number,
  agent: Agent,
): Promise<OpenLoopResult> {
  const target = new URL(url);
  const interval = 1000 / perSecond;
  const latenciesMs: number[] = [];
  let dropped = 0;
  let maxSendLagMs = 0;
  let settled = 0;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const settle = (latency: number | undefined) => {
    if (latency === undefined || latency > SLACK_ACK_DEADLINE_MS) dropped += 1;
    else latenciesMs.push(latency);
    settled += 1;
    if (settled === requests.length) finished();
  };

  const send = (signed: SignedRequest, dueAt: number) => {
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - dueAt);
    let answered = false;
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
        answered = true;
        const latency = performance.now() - dueAt;
        res.resume();
        settle(res.statusCode === 200 ? latency : undefined);
      },
    );
    req.setTimeout(SLACK_ACK_DEADLINE_MS * 2, () => req.destroy(new Error('timed out')));
    req.once('error', () => {
      if (!answered) settle(undefined);
    });
    req.end(signed.body);
  };

  const start = performance.now();
  let next = 0;
  const pump = () => {
    const now = performance.now();
    while (next < requests.length && start + next * interval <= now) {
      send(requests[next]!, start + next * interval);
      next += 1;
    }
    if (next < requests.length) setTimeout(pump, Math.max(0, start + next * interval - performance.now()));
  };
  pump();
  await done;
  return { latenciesMs, dropped, maxSendLagMs };
}

/** Keep-alive connections, as many as a stalled server could need at 1,000/s within Slack's deadline. */
export function loadAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 512 });
}
