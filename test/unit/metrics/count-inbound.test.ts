import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { countInbound } from '../../../adapters/metrics/count-inbound.js';
import { EscalatorMetrics } from '../../../adapters/metrics/escalator-metrics.js';
import { silentLogger } from '../../../src/ports/logger.js';

describe('counting requests to a platform route by how they were answered', () => {
  it('2xx is accepted, 4xx rejected, 5xx failed, each with its code; other paths are not counted', async () => {
    const metrics = new EscalatorMetrics(silentLogger);
    const answer: RequestListener = (req, res) => {
      res.writeHead(Number(new URL(req.url!, 'http://x').searchParams.get('status'))).end();
    };
    const routes = countInbound({ '/events': answer }, 'slack', metrics);
    const server = createServer((req, res) => {
      const route = routes[(req.url ?? '').split('?')[0]!];
      if (route) return route(req, res);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const status of [200, 200, 401, 413, 500]) {
        expect((await fetch(`${base}/events?status=${status}`, { method: 'POST' })).status).toBe(status);
      }
      expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const values = (await metrics.inboundRequests.get()).values.map((v) => [v.labels, v.value]);
    expect(values).toEqual([
      [{ platform: 'slack', outcome: 'accepted', code: '200' }, 2],
      [{ platform: 'slack', outcome: 'rejected', code: '401' }, 1],
      [{ platform: 'slack', outcome: 'rejected', code: '413' }, 1],
      [{ platform: 'slack', outcome: 'failed', code: '500' }, 1],
    ]);
  });
});
