import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest body the local workspace takes: a long message with room to spare. */
export const MAX_LOCAL_BODY_BYTES = 64 * 1024;

/** A request the API refuses, with what to fix; becomes `{ error }` with its status. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 405 | 413 | 415 = 400,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Reads a JSON object body of at most `MAX_LOCAL_BODY_BYTES`. Only `application/json` is taken: a
 * web page on another site can send a form or plain text to localhost without asking, but not
 * JSON, so this keeps other sites from posting as a persona.
 */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    throw new BadRequest('Send the body as JSON, with the header Content-Type: application/json.', 415);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_LOCAL_BODY_BYTES) {
      req.resume();
      throw new BadRequest(`The body is larger than ${MAX_LOCAL_BODY_BYTES} bytes: send less text.`, 413);
    }
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('The body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest('The body must be a JSON object, such as {"channel": "…", "text": "…"}.');
  }
  return body as Record<string, unknown>;
}

/** A required string field, trimmed; refused with its name when missing or empty. */
export function requiredString(body: Record<string, unknown>, name: string, hint: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '') throw new BadRequest(`Give ${name}: ${hint}.`);
  return value.trim();
}

/** An optional string field; refused when present but not a string. */
export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${name} must be a string.`);
  return value.trim() || undefined;
}
