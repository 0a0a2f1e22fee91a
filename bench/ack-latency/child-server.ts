import { fork } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDatabase } from '../seed/run-database.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = fileURLToPath(new URL('./server-process.ts', import.meta.url));

export type ServerKind = 'escalator' | 'bare-bolt';

export interface ChildServer {
  /** Where Slack events go: `http://127.0.0.1:PORT/slack/events`. */
  eventsUrl: string;
  pid: number;
  /** The temporary directory with `server.log` (and the database, on SQLite). */
  dir: string;
  /** SIGTERM, wait for the exit, remove the directory (and drop the PostgreSQL database). */
  stop(): Promise<void>;
}

/**
 * Forks `server-process.ts` (through tsx, as `npm start` runs) and resolves once it listens. Its
 * output goes to `server.log` in a fresh temporary directory, as a deployment's logs go to a file.
 * The Escalator stores into a fresh SQLite file there, or into a new database on the PostgreSQL
 * server `databaseServer`.
 */
export async function startChildServer(
  kind: ServerKind,
  execArgv: string[] = [],
  databaseServer?: string,
): Promise<ChildServer> {
  const dir = mkdtempSync(join(tmpdir(), `escalator-bench-${kind}-`));
  const log = openSync(join(dir, 'server.log'), 'a');
  const database = kind === 'escalator' ? await runDatabase(dir, databaseServer, 'ack') : undefined;
  const child = fork(SERVER, [kind, ...(database ? [database.url] : [])], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...execArgv, ...profileArgs(kind)],
    stdio: ['ignore', log, log, 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const eventsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${kind} server did not start (see ${dir})`)),
      30_000,
    );
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve((message as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${kind} server exited with ${code} (see ${dir}/server.log)`));
    });
  });
  return {
    eventsUrl,
    pid: child.pid!,
    dir,
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `BENCH_PROFILE_DIR=/tmp/prof npm run bench -- --only ack` writes a CPU profile of each Escalator server. */
function profileArgs(kind: ServerKind): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir && kind === 'escalator' ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
