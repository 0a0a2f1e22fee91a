import type { ServerResponse } from 'node:http';

/**
 * The dashboard's pages may run only their own script and style, load only their own images, and
 * not be framed: a customer's words reach the page as data, and even a slip in escaping would find
 * nothing to load or run.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // Live data and customer text: nothing kept by the browser or a proxy.
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function sendBody(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-type': contentType });
  res.end(body);
}

/** An error a person can act on: what was wrong and what to do instead. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: message });
}
