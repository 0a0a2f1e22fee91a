import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Where a browser keeps the token after opening `…?token=` once. */
export const ACCESS_COOKIE = 'escalator_access';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Guards the pages people open in a browser (the dashboard, the local workspace), which show
 * customer text and act as anyone. Without a token only this machine may use them; a proxy on this
 * machine forwarding others (it adds `X-Forwarded-For`) is refused too, since its requests look
 * local. With a token: `Authorization: Bearer`, the cookie, or `?token=` once (which sets the
 * cookie and redirects, so the token does not stay in the address bar or the history).
 */
export function privateAccess(listener: RequestListener, token: string | undefined): RequestListener {
  return (req, res) => {
    if (token === undefined) {
      if (isLocal(req)) return listener(req, res);
      return refuse(
        res,
        403,
        'This page answers only requests from the machine Escalator runs on. To open it from elsewhere, set DASHBOARD_TOKEN and open it with ?token=<token>.',
      );
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null && sameSecret(fromQuery, token)) {
      url.searchParams.delete('token');
      res.writeHead(303, {
        'set-cookie': `${ACCESS_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        location: `${url.pathname}${url.search}`,
      });
      res.end();
      return;
    }
    const presented = bearerOf(req) ?? cookieOf(req, ACCESS_COOKIE);
    if (presented !== undefined && sameSecret(presented, token)) return listener(req, res);
    refuse(
      res,
      401,
      'This page needs the DASHBOARD_TOKEN: open it once with ?token=<token>, or send Authorization: Bearer <token>.',
    );
  };
}

function isLocal(req: IncomingMessage): boolean {
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return !forwarded && LOOPBACK.has(req.socket.remoteAddress ?? '');
}

function bearerOf(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1]?.trim();
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** Compared as digests, so neither the length nor the first differing character leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function refuse(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}
