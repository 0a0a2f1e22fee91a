/**
 * Ack latency: signed Slack message events over real HTTP at a fixed rate, 200/s then 1,000/s, to
 * the real server, against a bare Bolt app with a no-op listener under the same load.
 *
 * Each server runs in its own process (`ack-latency/server-process.ts`) and the load generator here:
 * sharing one event loop would add the generator's own work to every figure, and on a 2-core machine
 * a process each is also how the load splits. Runs alternate between the two servers, each on a fresh
 * process (and database: a SQLite file, or with `--database` a new PostgreSQL database), with a
 * short warm-up first.
 */

import { type ChildServer, type ServerKind, startChildServer } from './ack-latency/child-server.js';
import { loadAgent, type OpenLoopResult, sendAtFixedRate } from './ack-latency/open-loop.js';
import { SupportTraffic, signedEvent } from './ack-latency/support-traffic.js';
import { type BenchFigure, type BenchOptions, median, percentile } from './bench-result.js';

interface Phase {
  perSecond: number;
  seconds: number;
}

const WARM_UP: Phase = { perSecond: 200, seconds: 1 };
const FULL: Phase[] = [
  { perSecond: 200, seconds: 5 },
  { perSecond: 1000, seconds: 3 },
];
const QUICK: Phase[] = [
  { perSecond: 200, seconds: 2 },
  { perSecond: 1000, seconds: 1 },
];

const P99_GOAL_MS = 50;
const RATIO_GOAL = 1.5;

type PhaseResult = OpenLoopResult & Phase;

export async function run(options: BenchOptions): Promise<BenchFigure[]> {
  const phases = options.quick ? QUICK : FULL;
  const results: Record<ServerKind, PhaseResult[][]> = { escalator: [], 'bare-bolt': [] };
  for (let n = 0; n < options.runs; n += 1) {
    for (const kind of ['bare-bolt', 'escalator'] as const) {
      results[kind].push(await oneRun(kind, phases, options.database));
    }
  }
  return phases.flatMap((phase, i) =>
    figures(
      phase,
      results.escalator.map((r) => r[i]!),
      results['bare-bolt'].map((r) => r[i]!),
    ),
  );
}

/** A fresh server, the warm-up, then each phase in turn (the next starts once every answer is in). */
async function oneRun(kind: ServerKind, phases: Phase[], databaseServer?: string): Promise<PhaseResult[]> {
  const traffic = new SupportTraffic({ newThreadShare: 0.2 });
  const server: ChildServer = await startChildServer(kind, [], databaseServer);
  const agent = loadAgent();
  try {
    const results: PhaseResult[] = [];
    for (const phase of [WARM_UP, ...phases]) {
      // Built and signed before the clock starts, so the generator only sends.
      const requests = Array.from({ length: phase.perSecond * phase.seconds }, () =>
        signedEvent(traffic.next()),
      );
      const result = await sendAtFixedRate(server.eventsUrl, requests, phase.perSecond, agent);
      if (phase !== WARM_UP) results.push({ ...phase, ...result });
    }
    return results;
  } finally {
    agent.destroy();
    await server.stop();
  }
}

function figures(phase: Phase, escalator: PhaseResult[], bare: PhaseResult[]): BenchFigure[] {
  const rate = `${phase.perSecond.toLocaleString('en-US')}/s`;
  const p = (results: PhaseResult[], q: number) => results.map((r) => percentile(r.latenciesMs, q));
  const p50 = p(escalator, 50);
  const p99 = p(escalator, 99);
  const bareP50 = median(p(bare, 50));
  const bareP99 = median(p(bare, 99));
  const dropped = escalator.reduce((sum, r) => sum + r.dropped, 0);
  const bareDropped = bare.reduce((sum, r) => sum + r.dropped, 0);
  const lag = Math.max(...escalator.map((r) => r.maxSendLagMs), ...bare.map((r) => r.maxSendLagMs));
  const sent = phase.perSecond * phase.seconds;
  const load = `${sent.toLocaleString('en-US')} events in ${phase.seconds} s per run, 20% new threads`;
  const droppedNote = `dropped ${dropped} (bare Bolt ${bareDropped}) of ${sent * escalator.length}`;
  const p99Value = median(p99);
  const ratio = p99Value / bareP99;
  const p99Goal =
    phase.perSecond === 200
      ? `< ${P99_GOAL_MS} ms and <= ${RATIO_GOAL}x bare Bolt, none dropped`
      : `<= ${RATIO_GOAL}x bare Bolt, none dropped`;
  return [
    {
      name: `ack latency p50, ${rate}`,
      value: median(p50),
      unit: 'ms',
      runs: p50,
      baseline: { name: 'bare Bolt p50', value: bareP50 },
      ratio: median(p50) / bareP50,
      goal: 'none (p99 is the goal)',
      met: true,
      note: load,
    },
    {
      name: `ack latency p99, ${rate}`,
      value: p99Value,
      unit: 'ms',
      runs: p99,
      baseline: { name: 'bare Bolt p99', value: bareP99 },
      ratio,
      goal: p99Goal,
      met: (phase.perSecond !== 200 || p99Value < P99_GOAL_MS) && ratio <= RATIO_GOAL && dropped === 0,
      note: `${droppedNote}; generator lag max ${lag.toFixed(1)} ms`,
    },
  ];
}
