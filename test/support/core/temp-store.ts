import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/db/sqlite/open-sqlite-store.js';
import type { Store } from '../../../src/ports/store.js';

export interface TempStore {
  store: Store;
  /** The SQLite file, to reopen it or inspect it with a raw connection. */
  path: string;
  dir: string;
  /** Closes the store and removes its directory. Safe to call twice. */
  cleanup(): Promise<void>;
}

/** A real, migrated SQLite file store in a fresh temporary directory. */
export function createTempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-test-'));
  const path = join(dir, 'escalator.db');
  const store = openSqliteStore(`file:${path}`);
  let closed = false;
  return {
    store,
    path,
    dir,
    async cleanup() {
      if (!closed) {
        closed = true;
        await store.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
