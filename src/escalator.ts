import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDashboard, DASHBOARD_PATH } from '../adapters/dashboard/create-dashboard.js';
import { createLocalWorkspace } from '../adapters/local/create-local-workspace.js';
import {
  countDeliveries,
  countInbound,
  countStoreWrites,
  EscalatorMetrics,
  METRICS_PATH,
  metricsRoute,
} from '../adapters/metrics/index.js';
import { createSlackAdapter, type SlackSettings } from '../adapters/slack/create-slack-adapter.js';
import { OpenAiSummary, type OpenAiSummarySettings } from '../adapters/summary/openai-summary.js';
import type { createTeamsAdapter, TeamsSettings } from '../adapters/teams/create-teams-adapter.js';
import { HttpWebhook } from '../adapters/webhook/http-webhook.js';
import { CachedDirectory } from './app/cached-directory.js';
import type { AppContext } from './app/context.js';
import { OutboxDispatcher } from './app/deliver-outbox.js';
import { type DeliverySettings, PLATFORM_PACING } from './app/outbox/delivery-settings.js';
import { ConfigError } from './config/config-error.js';
import { buildWorkCalendar } from './config/work-calendar.js';
import { openStore } from './db/open-store.js';
import type { Policy } from './domain/policy.js';
import { CheckerJob, checkerCron } from './jobs/checker-schedule.js';
import { DigestJob } from './jobs/digest-schedule.js';
import { scheduleOutbox } from './jobs/outbox-schedule.js';
import { RetentionJob } from './jobs/retention-schedule.js';
import { databaseRunCoordinator, replicaName } from './jobs/run-coordinator.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { Logger } from './ports/logger.js';
import { Drain } from './server/drain.js';
import { createHttpServer } from './server/http-server.js';
import { privateAccess } from './server/private-access.js';
import { withRequestIds } from './server/request-context.js';
import { DRAIN_TIMEOUT_MS, shutDown } from './server/shut-down.js';

export interface EscalatorOptions {
  port: number;
  /** Interface to listen on; all interfaces by default. */
  host?: string;
  databaseUrl: string;
  policy: Policy;
  slack?: SlackSettings;
  teams?: TeamsSettings;
  /** An OpenAI-compatible endpoint that adds a narrative summary to cards after they are posted. */
  summary?: SummarySettings;
  log: Logger;
  clock?: Clock;
  secret?: (name: string) => string | undefined;
  /** Run the schedules (off in tests that drive delivery by hand). Default true. */
  schedules?: boolean;
  /** How long `stop()` waits for work in progress before it closes the database anyway. */
  drainTimeoutMs?: number;
  /** Outbox pacing and call timeout; the platforms' own paces by default (tests use small ones). */
  delivery?: DeliverySettings;
  /**
   * Serves the simulated local workspace (`adapters/local`) at this path; off when unset. It also
   * delivers to every policy channel whose platform has no adapter here.
   */
  localWorkspace?: '/' | '/local';
  /** Protects `/dashboard` and the local workspace; without it they answer only this machine. */
  dashboardToken?: string;
}

export interface SummarySettings extends OpenAiSummarySettings {
  /** How long one call may take; after that (and a few retries) the card keeps its extractive summary. */
  timeoutMs: number;
}

export interface RunningEscalator {
  url: string;
  ctx: AppContext;
  dispatcher: OutboxDispatcher;
  /** The trigger checker; `tick()` runs one now (tests move the clock, then tick). */
  checker: CheckerJob;
  /** The weekly digest; `tick()` sends last week's if its run is due and it was not sent yet. */
  digest: DigestJob;
  /** The daily purge of old text (policy `retention.messageText`); `tick()` runs one now. */
  retention: RetentionJob;
  /** Stops taking requests, finishes delivery in progress, stops schedules, closes the database. */
  stop(): Promise<void>;
}

/**
 * Wires the service: database (migrated), core, adapters, outbox dispatcher, schedules and the
 * HTTP server. `main.ts` calls it with the parsed config; tests call it with loopback fakes.
 */
export async function startEscalator(options: EscalatorOptions): Promise<RunningEscalator> {
  // Lines logged while a request is handled (adapters, handlers) carry that request's id.
  const log = withRequestIds(options.log);
  try {
    checkerCron(options.policy.checker.everyMs);
  } catch (error) {
    throw new ConfigError('Escalation policy is invalid:', [(error as Error).message]);
  }
  const metrics = new EscalatorMetrics(log);
  // Who this process is when it claims outbox entries and scheduled runs beside other replicas.
  const replica = replicaName(options.port);
  const store = countStoreWrites(
    await openStore(options.databaseUrl, {
      onConnectionError: (error) => log.warn({ error: error.message }, 'a pooled database connection broke'),
    }),
    metrics,
  );
  let dispatcher: OutboxDispatcher | undefined;
  const ctx: AppContext = {
    store,
    policy: options.policy,
    clock: options.clock ?? systemClock,
    calendar: buildWorkCalendar(options.policy),
    outboxChanged: () =>
      void dispatcher
        ?.kick()
        .catch((error: Error) => log.error({ error: error.message }, 'outbox pass failed')),
  };

  let slack: Awaited<ReturnType<typeof createSlackAdapter>> | undefined;
  let teams: ReturnType<typeof createTeamsAdapter> | undefined;
  try {
    slack = options.slack ? await createSlackAdapter(ctx, options.slack, log) : undefined;
    // Loaded only when Teams is on: the Bot Framework SDK is a fifth of the memory of an idle process.
    teams = options.teams
      ? (await import('../adapters/teams/create-teams-adapter.js')).createTeamsAdapter(
          ctx,
          options.teams,
          log,
        )
      : undefined;
  } catch (error) {
    await store.close(); // a refused adapter must not leave the database open
    throw error;
  }
  // The simulated workspace stands in for every platform that has no adapter here.
  const local = options.localWorkspace
    ? await createLocalWorkspace(ctx, {
        mountedAt: options.localWorkspace,
        connected: { slack: slack !== undefined, teams: teams !== undefined },
        dashboardToken: options.dashboardToken,
        log,
      })
    : undefined;
  // Who may act at a level: the platforms' member lists, cached briefly.
  ctx.directory = new CachedDirectory(
    { slack: slack?.directory, teams: teams?.directory, local: local?.directory },
    ctx.clock,
  );
  dispatcher = new OutboxDispatcher(
    ctx,
    {
      chat: {
        slack: slack ? countDeliveries(slack.chat, 'slack', metrics) : local?.chat,
        teams: teams ? countDeliveries(teams.chat, 'teams', metrics) : local?.chat,
        local: local?.chat,
      },
      webhook: countDeliveries(new HttpWebhook(options.secret ?? (() => undefined)), 'webhook', metrics),
      summary: options.summary && summaryDelivery(options.summary),
    },
    log,
    { pacing: local ? local.pacing(PLATFORM_PACING) : PLATFORM_PACING, replica, ...options.delivery },
  );

  const drain = new Drain();
  const server = createHttpServer({
    routes: {
      // Refused with 503 once stop() begins; those being handled finish first.
      ...drain.guard({
        ...countInbound(slack?.routes, 'slack', metrics),
        ...countInbound(teams?.routes, 'teams', metrics),
      }),
      [METRICS_PATH]: metricsRoute(metrics, store),
    },
    prefixRoutes: {
      // The simulated workspace: `/local` (and `/` when no platform is configured), this machine only.
      ...drain.guard(local?.routes ?? {}),
      // Always on; this machine only unless DASHBOARD_TOKEN is set (src/server/private-access.ts).
      ...drain.guard({
        [DASHBOARD_PATH]: privateAccess(
          createDashboard(ctx, log, { simulated: (c) => local?.channels.some((s) => s.id === c) ?? false }),
          options.dashboardToken,
        ),
      }),
    },
    isReady: async () =>
      drain.isDraining ? { ready: false, checks: { draining: true } } : store.readiness(),
    log,
  });
  await listen(server, options.port, options.host);
  await slack?.start();
  const checker = new CheckerJob(ctx, log);
  // Whatever fell due while Escalator was down fires now, once, before the schedule takes over.
  await checker.tick();
  const digest = new DigestJob(ctx, log);
  await digest.tick();
  const retention = new RetentionJob(ctx, log);
  // Text that passed its retention while Escalator was down goes now, not at the next 03:17.
  await retention.tick();
  const schedules = options.schedules === false ? [] : [scheduleOutbox(dispatcher, log)];
  if (options.schedules !== false) {
    // Replicas on one database take turns: each scheduled run happens on one of them.
    const coordinator = databaseRunCoordinator(store, ctx.clock, replica);
    checker.start(options.policy.checker.everyMs, coordinator);
    digest.start(coordinator);
    retention.start(coordinator);
  }
  // Deliver whatever the last run left behind (a crash, an outage) straight away.
  ctx.outboxChanged();

  const address = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${address.port}`,
    ctx,
    dispatcher,
    checker,
    digest,
    retention,
    stop() {
      stopping ??= shutDown({
        drain,
        server,
        log,
        deadline: Date.now() + (options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS),
        // Nothing new comes in, nothing new is queued, the calls in flight finish; then close.
        steps: [
          // The workspace's live streams end first: open browsers would hold `drain.idle()` forever.
          ['requests in progress', () => Promise.all([local?.close(), drain.idle(), slack?.stop()])],
          [
            'schedules',
            () =>
              Promise.all([
                ...schedules.map((t) => t.stop()),
                checker.stop(),
                digest.stop(),
                retention.stop(),
              ]),
          ],
          ['deliveries in progress', () => dispatcher.drain()],
        ],
        close: () => store.close(),
      });
      return stopping;
    },
  };
}

function summaryDelivery(settings: SummarySettings) {
  const port = new OpenAiSummary(settings);
  return { port, timeoutMs: settings.timeoutMs, bucket: `summary:${new URL(port.url).host}` };
}

function listen(server: Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
