/**
 * Memory: the resident memory (VmRSS) of the server process, run as `npm start` runs it, after it
 * has stored N issues that arrived as signed Slack events over HTTP, against its resident memory
 * right after it started. The events are sent as fast as the server stores them: Bolt answers
 * before it stores, so the sender also waits while too many answered events are not stored yet
 * (otherwise the figure would measure a queue the sender made, not the server).
 *
 * The full run stores the goal's 100,000 issues (every new thread is compared with up to 500 recent
 * ones for the systemic trigger), within a sending budget of `SEND_BUDGET_MS` so the module keeps to
 * the benchmarks' time: a machine too slow for that stops early, and the figure says how many it
 * stored. The memory is read at each quarter, to show whether it grows with the issues stored.
 */
import { Agent } from 'node:http';
import { startFakeSlackApi } from '../test/support/slack/index.js';
import {
  AGENT_TEAM,
  agentId,
  CUSTOMER_TEAM,
  customerId,
  PEOPLE,
  SupportTraffic,
} from './ack-latency/support-traffic.js';
import type { BenchFigure, BenchOptions } from './bench-result.js';
import { startEscalatorProcess } from './memory/escalator-process.js';
import { sendAll } from './memory/send-all.js';

const FULL_ISSUES = 100_000;
/**
 * Sending stops after this, so `npm run bench` stays under 10 minutes: at 343–375 new threads/s
 * 100,000 take 4.4–4.9 min, so a full run stores about 75,000 (the figure says how many).
 * `--only memory` alone has room for the whole 100,000: see MEMORY_BUDGET_MINUTES.
 */
const SEND_BUDGET_MS = Number(process.env.MEMORY_BUDGET_MINUTES ?? 3.5) * 60_000;
const QUICK_ISSUES = 3_000;
const GOAL_MB = 200;
const GOAL_ISSUES = 100_000;
/** How long the process is left alone before its memory is read (timers, GC, SQLite settle). */
const SETTLE_MS = 3_000;
/** Answered events not stored after this long without progress are taken as lost, not waited for. */
const STALL_MS = 30_000;

export async function run(options: BenchOptions, nodeArgs: string[] = []): Promise<BenchFigure[]> {
  const issues = options.quick ? QUICK_ISSUES : FULL_ISSUES;
  const fake = await startFakeSlackApi();
  for (let n = 1; n <= PEOPLE.customers; n += 1) {
    fake.addUser({ id: customerId(n), name: `customer${n}`, teamId: CUSTOMER_TEAM });
  }
  for (let n = 1; n <= PEOPLE.agents; n += 1)
    fake.addUser({ id: agentId(n), name: `agent${n}`, teamId: AGENT_TEAM });
  let result: RunResult;
  try {
    // One run whatever `runs` says: storing the issues takes most of this module's time budget.
    result = await oneRun(fake.url, issues, nodeArgs, options.database);
  } finally {
    await fake.close();
  }
  const value = result.afterMb;
  const minutesFor100k = GOAL_ISSUES / result.perSecond / 60;
  const reached = result.stored >= GOAL_ISSUES;
  return [
    {
      name: `memory after ${result.stored.toLocaleString('en-US')} issues`,
      value,
      unit: 'MB',
      runs: [value],
      baseline: { name: 'right after start', value: result.startMb },
      ratio: value / result.startMb,
      goal: `< ${GOAL_MB} MB (after ${GOAL_ISSUES.toLocaleString('en-US')})`,
      met: value < GOAL_MB && (reached || options.quick) && result.lost === 0,
      note: [
        ...(result.lost > 0 ? [`${result.lost} answered events were never stored (see the server log)`] : []),
        ...(result.stored + result.lost < issues
          ? [
              `the ${Math.round(SEND_BUDGET_MS / 60_000)} min sending budget ran out before ${issues.toLocaleString('en-US')}`,
            ]
          : []),
        `1 run; stored ${Math.round(result.perSecond)} issues/s over HTTP (100k: ${minutesFor100k.toFixed(1)} min)`,
        `RSS at each quarter of the target reached, then at the end ${result.quartersMb.map((mb) => Math.round(mb)).join(' / ')} MB`,
        `peak ${Math.round(result.peakMb)} MB`,
        ...(options.database ? ["the Node process only: PostgreSQL's own processes are not counted"] : []),
      ].join('; '),
    },
  ];
}

interface RunResult {
  startMb: number;
  afterMb: number;
  peakMb: number;
  /** RSS once a quarter, half, three quarters and all of the issues were stored. */
  quartersMb: number[];
  perSecond: number;
  /** Issues stored (fewer than asked for when the sending budget ran out). */
  stored: number;
  /** Events answered with 200 but never stored: the server gave up on them. */
  lost: number;
}

async function oneRun(
  slackApiUrl: string,
  issues: number,
  nodeArgs: string[],
  databaseServer?: string,
): Promise<RunResult> {
  const server = await startEscalatorProcess(slackApiUrl, nodeArgs, databaseServer);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  try {
    await sleep(SETTLE_MS);
    const startMb = server.rssMb();
    const quartersMb: number[] = [];
    const stored = async () => {
      const count = await server.storedIssues();
      while (quartersMb.length < 3 && count >= (issues * (quartersMb.length + 1)) / 4)
        quartersMb.push(server.rssMb());
      return count;
    };
    const traffic = new SupportTraffic({ newThreadShare: 1 });
    const started = performance.now();
    const sent = await sendAll(server.eventsUrl, issues, () => traffic.next(), {
      agent,
      concurrency: 8,
      backlog: { stored, max: 64 },
      until: started + SEND_BUDGET_MS,
    });
    // Every answered event is stored (each opens a thread), so wait for all of them, unless the
    // count stops moving short of them: then the server has lost some.
    let count = await stored();
    let movedAt = performance.now();
    while (count < sent && performance.now() - movedAt < STALL_MS) {
      await sleep(20);
      const now = await stored();
      if (now > count) movedAt = performance.now();
      count = now;
    }
    const perSecond = count / ((movedAt - started) / 1000);
    quartersMb.push(server.rssMb());
    await sleep(SETTLE_MS);
    return {
      startMb,
      afterMb: server.rssMb(),
      peakMb: server.peakRssMb(),
      quartersMb,
      perSecond,
      stored: count,
      lost: sent - count,
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
