import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../ports/logger.js';

/** The header a request id arrives in (from a proxy or the caller) and is echoed back in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Incoming ids are kept only when they look like ids: no log injection through the header. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestScope {
  requestId: string;
  /** The server's logger with `requestId` bound. */
  log: Logger;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** The caller's `x-request-id` when it is a sensible id, otherwise a fresh one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value && ACCEPTABLE_ID.test(value) ? value : `req_${randomUUID()}`;
}

/** A logger that adds `bindings` to every record (what pino's `child` does, over our port). */
export function childLogger(log: Logger, bindings: object): Logger {
  return {
    debug: (obj, msg) => log.debug({ ...bindings, ...obj }, msg),
    info: (obj, msg) => log.info({ ...bindings, ...obj }, msg),
    warn: (obj, msg) => log.warn({ ...bindings, ...obj }, msg),
    error: (obj, msg) => log.error({ ...bindings, ...obj }, msg),
  };
}

/** Runs a request's handling with its scope, so everything it logs (adapters included) carries the id. */
export function runInRequestScope<T>(request: RequestScope, work: () => T): T {
  return scope.run(request, work);
}

/** The scope of the request being handled, if any. */
export function currentRequest(): RequestScope | undefined {
  return scope.getStore();
}

/**
 * Wraps the service logger so a line logged while handling a request names that request: Bolt's and
 * botbuilder's handlers log through the adapters' logger, far from the HTTP layer, and need no
 * plumbing for it.
 */
export function withRequestIds(log: Logger): Logger {
  const bound = (obj: object) => {
    const requestId = scope.getStore()?.requestId;
    return requestId && !('requestId' in obj) ? { requestId, ...obj } : obj;
  };
  return {
    debug: (obj, msg) => log.debug(bound(obj), msg),
    info: (obj, msg) => log.info(bound(obj), msg),
    warn: (obj, msg) => log.warn(bound(obj), msg),
    error: (obj, msg) => log.error(bound(obj), msg),
  };
}
