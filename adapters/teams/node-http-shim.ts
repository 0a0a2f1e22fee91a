import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';

/** Bodies above this are refused before parsing: no Teams activity comes near it. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON body for botbuilder, which wants it parsed already. Too large → 413, not JSON → 400,
 * answered here so the adapter never sees it.
 */
export async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      res
        .writeHead(413, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'body too large' }));
      req.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through
  }
  res
    .writeHead(400, { 'content-type': 'application/json' })
    .end(JSON.stringify({ error: 'body must be a JSON activity' }));
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
