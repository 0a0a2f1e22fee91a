import { join } from 'node:path';
import { type BenchDatabase, createDatabase } from './postgres-server.js';

export type RunDatabase = Pick<BenchDatabase, 'url' | 'drop'>;

/**
 * The empty database one server run stores into (the server migrates it as it starts): a SQLite
 * file in the run's own directory, which goes with the directory, or with `--database` a new
 * database on that PostgreSQL server, which `drop()` removes.
 */
export async function runDatabase(
  dir: string,
  serverUrl: string | undefined,
  label: string,
): Promise<RunDatabase> {
  if (!serverUrl) return { url: `file:${join(dir, 'escalator.db')}`, drop: async () => {} };
  return createDatabase(serverUrl, label);
}
