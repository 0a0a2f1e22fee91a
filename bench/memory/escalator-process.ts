import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/process/spawn-escalator.js';
import { BENCH_SIGNING_SECRET } from '../ack-latency/support-traffic.js';
import { runDatabase } from '../seed/run-database.js';
import { issueCounter } from './issue-counter.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface EscalatorProcess {
  pid: number;
  eventsUrl: string;
  /** Resident memory now (VmRSS), in MB. */
  rssMb(): number;
  /** The most it has been resident so far (VmHWM), in MB. */
  peakRssMb(): number;
  /** Issues stored so far, read through a connection of its own. */
  storedIssues(): Promise<number>;
  /** SIGTERM (a graceful stop), wait for the exit, remove the database. */
  stop(): Promise<void>;
}

/**
 * Escalator as `npm start` runs it (`src/main.ts` through tsx, the example policy, a fresh SQLite
 * file or, given `databaseServer`, a new database on that PostgreSQL server, logs at info to a
 * file), its Slack adapter on the given fake Web API. Resolves once `/healthz` answers.
 */
export async function startEscalatorProcess(
  slackApiUrl: string,
  /** Extra Node options, e.g. `--heap-prof` to profile it. */
  nodeArgs: string[] = [],
  databaseServer?: string,
): Promise<EscalatorProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-bench-memory-'));
  const database = await runDatabase(dir, databaseServer, 'memory');
  const port = await freePort();
  const log = openSync(join(dir, 'server.log'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATABASE_URL: database.url,
      POLICY_FILE: 'escalation-policy.example.yaml',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      SLACK_API_URL: slackApiUrl,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, () => child.exitCode !== null, dir);
  const issues = issueCounter(database.url);
  const status = (field: 'VmRSS' | 'VmHWM') => {
    // Linux; elsewhere `ps` knows the resident size (not the peak).
    if (!existsSync(`/proc/${child.pid}/status`)) {
      if (field === 'VmHWM') return Number.NaN;
      return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(child.pid)], { encoding: 'utf8' })) / 1024;
    }
    const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(
      new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'),
    );
    return Number(line?.[1] ?? Number.NaN) / 1024;
  };
  return {
    pid: child.pid!,
    eventsUrl: `${baseUrl}/slack/events`,
    rssMb: () => status('VmRSS'),
    peakRssMb: () => status('VmHWM'),
    storedIssues: issues.count,
    async stop() {
      await issues.close();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      await exited;
      clearTimeout(killer);
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(baseUrl: string, hasExited: () => boolean, dir: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline || hasExited())
      throw new Error(`Escalator did not start (see ${dir}/server.log)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
