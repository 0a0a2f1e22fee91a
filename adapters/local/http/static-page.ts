import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const WEB_DIR = new URL('../web/', import.meta.url);

/** The page's files, by the name it asks for under `/local/`. No build step: served as written. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * The page loads only itself: no CDN, no inline script, pictures only from data URIs (the digest
 * chart). Other sites may not frame it.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** True when `name` is one of the page's files. */
export function isPageFile(name: string): boolean {
  return Object.hasOwn(FILES, name);
}

/** Sends one of the page's files (read each time: small, and edits show without a restart). */
export async function sendPageFile(res: ServerResponse, name: string): Promise<void> {
  const body = await readFile(new URL(name, WEB_DIR));
  res.writeHead(200, { 'content-type': FILES[name]!, ...SECURITY_HEADERS });
  res.end(body);
}
