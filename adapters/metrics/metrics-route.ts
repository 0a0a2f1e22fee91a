import type { RequestListener } from 'node:http';
import type { StoreStats } from '../../src/ports/store.js';
import type { EscalatorMetrics } from './escalator-metrics.js';

export const METRICS_PATH = '/metrics';

/** `GET /metrics` for Prometheus: the text exposition format, the store's figures read per scrape. */
export function metricsRoute(
  metrics: EscalatorMetrics,
  store: { stats(): Promise<StoreStats> },
): RequestListener {
  return (req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    metrics
      .scrape(() => store.stats())
      .then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(text);
        },
        (error: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics unavailable: ${error.message}\n`);
        },
      );
  };
}
