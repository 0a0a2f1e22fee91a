import type { RequestListener } from 'node:http';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { AppContext } from '../../src/app/context.js';
import { conversationFor, namesOf } from '../../src/app/directory.js';
import type { Logger } from '../../src/ports/logger.js';
import { EscalatorBot } from './escalator-bot.js';
import { readJsonBody, toBotbuilder } from './node-http-shim.js';
import { TeamsChat, type TeamsConversationData } from './teams-chat.js';
import { TeamsDirectory } from './teams-directory.js';

export interface TeamsSettings {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** No app id and no token checks: only for local tests against a fake connector. */
  allowUnauthenticated: boolean;
  /**
   * Where inbound tokens are checked (Bot Framework's defaults in production). Tests point these
   * at a local OpenID provider to prove that unsigned or forged requests get 401.
   */
  openIdMetadataUrl?: string;
  tokenIssuer?: string;
}

export const TEAMS_MESSAGES_PATH = '/api/messages';

/**
 * Points inbound token checks at another OpenID provider. botbuilder drops all its public-cloud
 * defaults as soon as one of these keys is set, so the outbound ones are given again explicitly.
 */
function tokenCheckOverrides(openIdMetadataUrl: string, issuer = 'https://api.botframework.com') {
  return {
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: issuer,
    ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: 'true',
  };
}

export interface TeamsAdapter {
  chat: TeamsChat;
  /** Channel and team rosters, for who may act on a card. */
  directory: TeamsDirectory;
  routes: Record<string, RequestListener>;
}

/**
 * botbuilder's CloudAdapter on `POST /api/messages`. All botbuilder code stays in this folder so the
 * archived SDK can be swapped for its successor without touching the core.
 */
export function createTeamsAdapter(ctx: AppContext, settings: TeamsSettings, log: Logger): TeamsAdapter {
  const appId = settings.appId ?? '';
  if (!appId && !settings.allowUnauthenticated) {
    throw new Error(
      'Teams needs TEAMS_APP_ID and TEAMS_APP_PASSWORD (or TEAMS_ALLOW_UNAUTHENTICATED=true for local tests)',
    );
  }
  if (!appId) {
    log.warn(
      { adapter: 'teams' },
      'Teams runs WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED=true): anyone who can reach /api/messages can act as any user. Local testing only.',
    );
  }
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: settings.appPassword ?? '',
    MicrosoftAppType: settings.appType,
    MicrosoftAppTenantId: settings.tenantId ?? '',
    ...(settings.openIdMetadataUrl
      ? tokenCheckOverrides(settings.openIdMetadataUrl, settings.tokenIssuer)
      : {}),
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  const bot = new EscalatorBot(ctx, log);
  adapter.onTurnError = async (context, error) => {
    log.error(
      { adapter: 'teams', error: error.message, activity: context.activity.type },
      'Teams turn failed',
    );
  };

  const listener: RequestListener = (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    void (async () => {
      const body = await readJsonBody(req, res);
      if (!body) return;
      // botbuilder answers 401 only for some token problems; a forged signature or a token not yet
      // valid surfaces as a plain error (500). Any failure before the turn starts is authentication.
      let turnStarted = false;
      const { request, response } = toBotbuilder(req, res, body, (status) => {
        if (status !== 500 || turnStarted) return status;
        log.warn({ adapter: 'teams' }, 'Teams request refused: missing or invalid Bot Framework token');
        return 401;
      });
      try {
        await adapter.process(request, response, (context) => {
          turnStarted = true;
          return bot.run(context);
        });
      } catch (error) {
        log.error({ adapter: 'teams', error: (error as Error).message }, 'Teams request failed');
        if (!res.headersSent) res.writeHead(500).end();
      }
    })();
  };

  const chat = new TeamsChat(adapter, appId, {
    conversation: async (channel) =>
      (await conversationFor(ctx, channel, 'teams'))?.data as TeamsConversationData | undefined,
    names: (ids) => namesOf(ctx, ids),
  });
  const directory = new TeamsDirectory(
    adapter,
    appId,
    async (channel) =>
      (await conversationFor(ctx, channel, 'teams'))?.data as TeamsConversationData | undefined,
  );
  return { chat, directory, routes: { [TEAMS_MESSAGES_PATH]: listener } };
}
