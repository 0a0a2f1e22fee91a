import type { RequestListener } from 'node:http';
import type { EscalatorMetrics } from './escalator-metrics.js';

/**
 * Counts the requests a platform's routes answer, by status: the listeners (Bolt's receiver, the
 * Teams adapter) do their own signature checks and parsing, so their answer is the only place that
 * knows whether a request was taken or refused. Counted when the answer is sent; a request whose
 * client went away before it was answered is not counted.
 */
export function countInbound(
  routes: Record<string, RequestListener> | undefined,
  platform: string,
  metrics: EscalatorMetrics,
): Record<string, RequestListener> {
  return Object.fromEntries(
    Object.entries(routes ?? {}).map(([path, listener]): [string, RequestListener] => [
      path,
      (req, res) => {
        res.once('finish', () =>
          metrics.inboundRequests.inc({
            platform,
            outcome: outcomeOf(res.statusCode),
            code: String(res.statusCode),
          }),
        );
        return listener(req, res);
      },
    ]),
  );
}

function outcomeOf(status: number): 'accepted' | 'rejected' | 'failed' {
  if (status >= 500) return 'failed';
  return status >= 400 ? 'rejected' : 'accepted';
}
