import { fork } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = fileURLToPath(new URL('./server-process.ts', import.meta.url));

export type ServerKind = 'escalator' | 'bare-bolt';

export interface ChildServer {
  /** Where Slack events go: `http://127.0.0.1:PORT/slack/events`. */
  eventsUrl: string;
  pid: number;
  /** The temporary directory with the database and `server.log`. */
  dir: string;
  /** SIGTERM, wait for the exit, remove the directory. */
  stop(): Promise<void>;
}

/**
 * Forks `server-process.ts` (through tsx, as `npm start` runs) and resolves once it listens. Its
 * output goes to `server.log` in a fresh temporary directory, as a deployment's logs go to a file.
 */
export async function startChildServer(kind: ServerKind, execArgv: string[] = []): Promise<ChildServer> {
  const dir = mkdtempSync(join(tmpdir(), `escalator-bench-${kind}-`));
  const log = openSync(join(dir, 'server.log'), 'a');
  const child = fork(SERVER, [kind, dir], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...execArgv],
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
