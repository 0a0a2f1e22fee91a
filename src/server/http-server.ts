import { createServer, type RequestListener, type Server } from 'node:http';

export interface HttpServerOptions {
  /** Exact paths mounted to platform listeners (Bolt's receiver, the Teams adapter later). */
  routes: Record<string, RequestListener>;
  /** Database reachable and migrations applied. */
  isReady(): Promise<boolean>;
}

/**
 * One HTTP server for everything: health checks and the platform endpoints. Platform listeners
 * do their own signature checks and body parsing.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      options.isReady().then(
        (ready) => json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' }),
        () => json(res, 503, { status: 'not ready' }),
      );
      return;
    }
    const route = options.routes[path];
    if (route) return route(req, res);
    json(res, 404, { error: `nothing at ${req.method} ${path}` });
  });
}

function json(res: Parameters<RequestListener>[1], status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
