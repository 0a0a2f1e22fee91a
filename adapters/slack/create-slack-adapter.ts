import type { RequestListener } from 'node:http';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { AppContext } from '../../src/app/context.js';
import { namesOf } from '../../src/app/directory.js';
import type { Logger } from '../../src/ports/logger.js';
import { InFlight } from '../../src/server/drain.js';
import { guardSlackRequests, SLACK_MAX_BODY_BYTES } from './guard-slack-request.js';
import { registerAppHome } from './handlers/app-home.js';
import { registerBeforeEscalatingActions } from './handlers/before-escalating-actions.js';
import { registerCardActions } from './handlers/card-actions.js';
import { registerConversationActions } from './handlers/conversation-actions.js';
import { registerCsatActions } from './handlers/csat-actions.js';
import { registerDigestCommand } from './handlers/digest-command.js';
import { registerEscalateEntryPoints } from './handlers/escalate-entry-points.js';
import { registerMessageEvents } from './handlers/messages.js';
import { registerViewSubmissions } from './handlers/view-submissions.js';
import { SlackChat } from './slack-chat.js';
import { registerMembershipEvents, SlackDirectory } from './slack-directory.js';

export interface SlackSettings {
  botToken: string;
  signingSecret: string;
  /** With an app token, Socket Mode replaces the public Request URL. */
  appToken?: string;
  /** Web API base URL; tests point it at a loopback fake. */
  apiUrl: string;
}

export interface SlackAdapter {
  chat: SlackChat;
  /** Channel and user group members, for who may act on a card. */
  directory: SlackDirectory;
  /** HTTP routes to mount (`/slack/events`); empty in Socket Mode. */
  routes: Record<string, RequestListener>;
  mode: 'http' | 'socket';
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Builds the Bolt app with our handlers. In HTTP mode Bolt's own receiver (signature checks,
 * 5-minute replay window, ack timing) is mounted on our server at `/slack/events`, behind a guard
 * for what Bolt lets through (future-dated signatures, payloads it cannot route, large bodies).
 */
export async function createSlackAdapter(
  ctx: AppContext,
  settings: SlackSettings,
  log: Logger,
): Promise<SlackAdapter> {
  const clientOptions = { slackApiUrl: settings.apiUrl };
  const boltLogger = toBoltLogger(log);
  const receiver = settings.appToken
    ? new SocketModeReceiver({
        appToken: settings.appToken,
        logger: boltLogger,
        installerOptions: { clientOptions },
      })
    : new HTTPReceiver({
        signingSecret: settings.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        logger: boltLogger,
        processBeforeResponse: false,
        // The guard in front refuses bigger bodies first; this holds should anything reach Bolt directly.
        bodyLimit: SLACK_MAX_BODY_BYTES,
      });
  const app = new App({ token: settings.botToken, receiver, clientOptions, logger: boltLogger });

  // Outbound deliveries use their own client: no built-in retries or 429 waits, the outbox owns those.
  const outbound = new WebClient(settings.botToken, {
    slackApiUrl: settings.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  const workspaceUrl = await outbound.auth
    .test()
    .then((r) => r.url)
    .catch((error: Error) => {
      log.warn({ error: error.message }, 'Slack auth.test failed; thread links will use slack.com/archives');
      return undefined;
    });

  // Bolt acknowledges an event before its listeners run; stop() waits for the ones still running.
  const listening = new InFlight();
  app.use(({ next }) => listening.track(next));

  const deps = { ctx, log, workspaceUrl };
  registerMessageEvents(app, deps);
  registerEscalateEntryPoints(app, deps);
  registerBeforeEscalatingActions(app, deps);
  registerCardActions(app, deps);
  registerConversationActions(app, deps);
  registerCsatActions(app, deps);
  registerViewSubmissions(app, deps);
  registerAppHome(app, deps);
  registerDigestCommand(app, deps);
  registerMembershipEvents(app, deps);
  app.error(async (error) => {
    log.error({ error: error.message, code: (error as { code?: string }).code }, 'Slack handler failed');
  });

  const socket = receiver instanceof SocketModeReceiver;
  return {
    chat: new SlackChat(outbound, (ids) => namesOf(ctx, ids), workspaceUrl, ctx.clock.now()),
    directory: new SlackDirectory({ botToken: settings.botToken, apiUrl: settings.apiUrl }),
    routes: socket
      ? {}
      : {
          [SLACK_EVENTS_PATH]: guardSlackRequests((receiver as HTTPReceiver).requestListener, {
            signingSecret: settings.signingSecret,
            log,
          }),
        },
    mode: socket ? 'socket' : 'http',
    async start() {
      if (socket) await (receiver as SocketModeReceiver).start();
    },
    async stop() {
      if (!socket) return listening.idle();
      // Bolt's stop() does not wait for the socket to close; wait (briefly) so no envelope reaches
      // handlers after the database is closed.
      const client = (receiver as SocketModeReceiver).client;
      await Promise.race([client.disconnect(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await listening.idle();
    },
  };
}

function toBoltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    debug: (...args) => log.debug({ bolt: true }, text(args)),
    info: (...args) => log.info({ bolt: true }, text(args)),
    warn: (...args) => log.warn({ bolt: true }, text(args)),
    error: (...args) => log.error({ bolt: true }, text(args)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
