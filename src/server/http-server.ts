import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { type Logger, silentLogger } from '../ports/logger.js';
import { childLogger, REQUEST_ID_HEADER, requestIdFor, runInRequestScope } from './request-context.js';

/**
 * The largest body any endpoint takes. Slack payloads are a few kilobytes (a 40,000-character
 * message is about 160 KB as JSON); Bot Framework activities are smaller still. Adapters may refuse
 * less, and enforce it again while reading bodies that do not declare their length.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  /** Exact paths mounted to platform listeners (Bolt's receiver, the Teams adapter). */
  routes: Record<string, RequestListener>;
  /**
   * Paths mounted with everything under them (`/dashboard` serves `/dashboard/api/open` too); the
   * longest matching prefix wins, and exact `routes` win over prefixes. `/` catches every path.
   */
  prefixRoutes?: Record<string, RequestListener>;
  /** Database reachable and migrations applied. */
  /** Ready or not, with the checks that say why (shown in the body, so an operator knows what to fix). */
  isReady(): Promise<boolean | { ready: boolean; checks?: unknown }>;
  /** Where request lines go; each carries the request's id. Silent by default. */
  log?: Logger;
  /** Bodies declared larger than this get 413 unread. Default `MAX_REQUEST_BODY_BYTES`. */
  maxBodyBytes?: number;
}

const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

/**
 * One HTTP server for everything: health checks and the platform endpoints. Platform listeners
 * do their own signature checks and body parsing. Every request gets an id (the caller's
 * `x-request-id`, or a new one), echoed in the response and bound to every line logged while it is
 * handled.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const rootLog = options.log ?? silentLogger;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const requestId = requestIdFor(req);
    const log = childLogger(rootLog, { requestId });
    res.setHeader(REQUEST_ID_HEADER, requestId);
    logWhenDone(res, log, req.method ?? 'GET', path);

    if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      options.isReady().then(
        (answer) => {
          const { ready, checks } =
            typeof answer === 'boolean' ? { ready: answer, checks: undefined } : answer;
          json(res, ready ? 200 : 503, {
            status: ready ? 'ready' : 'not ready',
            ...(checks ? { checks } : {}),
          });
        },
        (error: Error) => json(res, 503, { status: 'not ready', checks: { error: error.message } }),
      );
      return;
    }
    const route = options.routes[path] ?? prefixRoute(options.prefixRoutes, path);
    if (!route) return json(res, 404, { error: `nothing at ${req.method} ${path}` });
    // Refused before anything reads or parses it; the adapters also count bytes as they read.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      log.warn({ path, contentLength: declared, limit: maxBodyBytes }, 'request body too large');
      res.setHeader('connection', 'close');
      json(res, 413, { error: `body larger than ${maxBodyBytes} bytes` });
      req.resume(); // drain unread, so the client reads the 413 rather than a reset
      return;
    }
    runInRequestScope({ requestId, log }, () => {
      try {
        route(req, res);
      } catch (error) {
        // A listener that throws instead of answering must not take the process down with it.
        log.error({ path, error: (error as Error).message }, 'request listener threw');
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
        else res.end();
      }
    });
  });
}

function prefixRoute(routes: Record<string, RequestListener> | undefined, path: string) {
  let best: string | undefined;
  for (const prefix of Object.keys(routes ?? {})) {
    const under = prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
    if (under && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : routes?.[best];
}

/** One line per request when its answer is sent: health probes at debug, the rest at info. */
function logWhenDone(res: ServerResponse, log: Logger, method: string, path: string) {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
    const line = { method, path, status: res.statusCode, ms };
    if (HEALTH_PATHS.has(path)) log.debug(line, 'request');
    else log.info(line, 'request');
  });
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
