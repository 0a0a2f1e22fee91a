import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActivityTypes, type Request, type Response } from 'botbuilder';
import { silentLogger } from '../../src/ports/logger.js';
import { currentRequest } from '../../src/server/request-context.js';

/** Bodies above this are refused before parsing: no Teams activity comes near it. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Every activity type the Bot Framework defines; anything else is not from a channel service. */
const KNOWN_TYPES = new Set<string>(Object.values(ActivityTypes));

/**
 * Reads a JSON body for botbuilder, which wants it parsed already. Too large → 413, not JSON or not
 * an activity of a known type → 400, answered (and logged with the request's id) here so the
 * adapter never sees it.
 */
export async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Record<string, unknown> | undefined> {
  const log = currentRequest()?.log ?? silentLogger;
  const tooLarge = () => {
    log.warn(
      { adapter: 'teams', status: 413, limit: MAX_BODY_BYTES },
      'Teams request refused: body too large',
    );
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ error: `body larger than ${MAX_BODY_BYTES} bytes` }));
  };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    tooLarge();
    req.resume(); // drain without keeping it, so the client reads the 413 rather than a reset
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      tooLarge();
      req.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    body = undefined;
  }
  // An activity always has a type; botbuilder would throw outside its error handling (a 500).
  const type =
    body && typeof body === 'object' && !Array.isArray(body) ? (body as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && KNOWN_TYPES.has(type)) return body as Record<string, unknown>;
  log.warn(
    {
      adapter: 'teams',
      status: 400,
      type: typeof type === 'string' ? type.slice(0, 64) : body === undefined ? 'not JSON' : typeof body,
    },
    'Teams request refused: not a Bot Framework activity',
  );
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'body must be a JSON Bot Framework activity with a type' }));
  return undefined;
}

/** The small request/response shapes `CloudAdapter.process` needs, over plain `node:http`. */
export function toBotbuilder(
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
  /** Lets the caller correct a status before it is written. */
  statusFor: (status: number) => number = (status) => status,
): { request: Request; response: Response } {
  let status = 200;
  const request: Request = { body, headers: req.headers, method: req.method };
  const response: Response = {
    socket: req.socket,
    status(code: number) {
      // botbuilder's own 401 (no token, a token it refuses outright) is not logged anywhere else.
      if (code === 401) {
        (currentRequest()?.log ?? silentLogger).warn(
          { adapter: 'teams', status: 401 },
          'Teams request refused: missing or invalid Bot Framework token',
        );
      }
      status = statusFor(code);
      return response;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return response;
    },
    send(payload?: unknown) {
      if (!res.headersSent) res.statusCode = status;
      if (payload === undefined || payload === null) return res.end();
      if (typeof payload === 'string' || Buffer.isBuffer(payload)) return res.end(payload);
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(payload));
    },
    end(...args: unknown[]) {
      if (!res.headersSent) res.statusCode = status;
      return res.end(...(args as []));
    },
  };
  return { request, response };
}
