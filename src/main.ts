import { ConfigError, loadConfig } from './config/index.js';
import { secretLookup } from './config/secrets.js';
import { redactedDatabaseUrl } from './db/open-store.js';
import { startEscalator } from './escalator.js';
import { configSecrets, createLogger } from './logging/create-logger.js';
import { DRAIN_TIMEOUT_MS } from './server/shut-down.js';

/** The entry point: the only place that exits the process. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { env, policy } = config;
  const log = createLogger({ level: env.logLevel, secrets: configSecrets(env, policy, secretLookup()) });

  if (env.slack) {
    log.info(
      { adapter: 'slack', mode: env.slack.appToken ? 'socket' : 'http', endpoint: '/slack/events' },
      'Slack adapter enabled',
    );
  } else {
    log.info(
      { adapter: 'slack' },
      'Slack adapter disabled: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (and SLACK_APP_TOKEN for Socket Mode) to enable it',
    );
  }
  if (env.teams) {
    log.info(
      { adapter: 'teams', endpoint: '/api/messages', appType: env.teams.appType },
      'Teams adapter enabled',
    );
  } else {
    log.info(
      { adapter: 'teams' },
      'Teams adapter disabled: set TEAMS_APP_ID and TEAMS_APP_PASSWORD (see docs/teams-setup.md) to enable it',
    );
  }

  if (env.summary) {
    log.info(
      {
        summary: new URL(env.summary.apiUrl).host,
        model: env.summary.model,
        timeoutMs: env.summary.timeoutMs,
      },
      'AI summary enabled: cards get a narrative summary from the endpoint after they are posted',
    );
  } else {
    log.info(
      { summary: 'off' },
      'AI summary disabled: set SUMMARY_API_URL and SUMMARY_MODEL (and SUMMARY_API_KEY) to add one to cards',
    );
  }

  const running = await startEscalator({
    port: env.port,
    databaseUrl: env.databaseUrl,
    policy,
    slack: env.slack,
    teams: env.teams,
    summary: env.summary,
    localWorkspace: env.localWorkspace,
    dashboardToken: env.dashboardToken,
    log,
    secret: secretLookup(),
  });
  log.info(
    { port: env.port, policy: env.policyFile, database: redactedDatabaseUrl(env.databaseUrl) },
    `Escalator listening on ${running.url}`,
  );
  if (env.localWorkspace) {
    const url = `http://localhost:${new URL(running.url).port}${env.localWorkspace}`;
    log.info({ localWorkspace: url }, `Local workspace: open ${url} to try Escalator in the browser`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // Someone insists (a second Ctrl-C): leave now. Undelivered work stays queued in the database.
      log.warn({ signal }, 'second signal: exiting without waiting for work in progress');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: refusing new requests, finishing work in progress');
    // stop() gives up waiting at its own deadline; this only catches a stop that hangs after it.
    setTimeout(() => {
      log.error('shutdown did not finish; exiting anyway');
      process.exit(1);
    }, DRAIN_TIMEOUT_MS + 5_000).unref();
    running.stop().then(
      () => {
        log.info({ signal }, 'stopped: database closed');
        process.exit(0);
      },
      (error: Error) => {
        log.error({ error: error.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  // Configuration problems found while starting (a checker interval cron cannot express) read like the others.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
