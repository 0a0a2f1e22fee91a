import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackAdapter, type SlackSettings } from '../adapters/slack/create-slack-adapter.js';
import { OpenAiSummary, type OpenAiSummarySettings } from '../adapters/summary/openai-summary.js';
import { createTeamsAdapter, type TeamsSettings } from '../adapters/teams/create-teams-adapter.js';
import { HttpWebhook } from '../adapters/webhook/http-webhook.js';
import type { AppContext } from './app/context.js';
import { OutboxDispatcher } from './app/deliver-outbox.js';
import { ConfigError } from './config/config-error.js';
import { buildWorkCalendar } from './config/work-calendar.js';
import { openSqliteStore } from './db/sqlite/open-sqlite-store.js';
import type { Policy } from './domain/policy.js';
import { CheckerJob, checkerCron } from './jobs/checker-schedule.js';
import { DigestJob } from './jobs/digest-schedule.js';
import { scheduleOutbox } from './jobs/outbox-schedule.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { Logger } from './ports/logger.js';
import { createHttpServer } from './server/http-server.js';

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
  /** Stops taking requests, finishes delivery in progress, stops schedules, closes the database. */
  stop(): Promise<void>;
}

/**
 * Wires the service: database (migrated), core, adapters, outbox dispatcher, schedules and the
 * HTTP server. `main.ts` calls it with the parsed config; tests call it with loopback fakes.
 */
export async function startEscalator(options: EscalatorOptions): Promise<RunningEscalator> {
  const { log } = options;
  try {
    checkerCron(options.policy.checker.everyMs);
  } catch (error) {
    throw new ConfigError('Escalation policy is invalid:', [(error as Error).message]);
  }
  const store = openSqliteStore(options.databaseUrl);
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
    teams = options.teams ? createTeamsAdapter(ctx, options.teams, log) : undefined;
  } catch (error) {
    await store.close(); // a refused adapter must not leave the database open
    throw error;
  }
  dispatcher = new OutboxDispatcher(
    ctx,
    {
      chat: { slack: slack?.chat, teams: teams?.chat },
      webhook: new HttpWebhook(options.secret ?? (() => undefined)),
      summary: options.summary && summaryDelivery(options.summary),
    },
    log,
  );

  const server = createHttpServer({
    routes: { ...slack?.routes, ...teams?.routes },
    isReady: () => store.isReady(),
  });
  await listen(server, options.port, options.host);
  await slack?.start();
  const checker = new CheckerJob(ctx, log);
  // Whatever fell due while Escalator was down fires now, once, before the schedule takes over.
  await checker.tick();
  const digest = new DigestJob(ctx, log);
  await digest.tick();
  const schedules = options.schedules === false ? [] : [scheduleOutbox(dispatcher, log)];
  if (options.schedules !== false) {
    checker.start(options.policy.checker.everyMs);
    digest.start();
  }
  // Deliver whatever the last run left behind (a crash, an outage) straight away.
  void dispatcher.kick();

  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    ctx,
    dispatcher,
    checker,
    digest,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const task of schedules) await task.stop();
      await checker.stop();
      await digest.stop();
      await slack?.stop();
      await dispatcher.idle();
      await store.close();
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
