import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));

/** The page's files, by the name they are served under (`/dashboard/<name>`). */
const ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
} as const;

export type AssetName = keyof typeof ASSETS;

export interface Asset {
  contentType: string;
  body: Buffer;
}

/**
 * The page, its script and its style, read once: plain files, no build step, nothing fetched from
 * elsewhere (the page works on a machine with no internet).
 */
export function loadWebAssets(): Record<AssetName, Asset> {
  const entries = Object.entries(ASSETS).map(([name, contentType]) => [
    name,
    { contentType, body: readFileSync(`${WEB_DIR}${name}`) },
  ]);
  return Object.fromEntries(entries) as Record<AssetName, Asset>;
}
