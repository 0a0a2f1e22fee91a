import type { RequestListener } from 'node:http';
import type { AppContext } from '../../src/app/context.js';
import { rememberPerson } from '../../src/app/directory.js';
import type { Pacing } from '../../src/app/outbox/delivery-settings.js';
import type { ChatPort } from '../../src/ports/chat-port.js';
import type { DirectoryPort } from '../../src/ports/directory-port.js';
import type { Logger } from '../../src/ports/logger.js';
import { workspaceRoutes } from './http/workspace-routes.js';
import { LiveFeed } from './live-feed.js';
import { LocalChat } from './local-chat.js';
import { LocalDirectory } from './local-directory.js';
import { PERSONAS } from './personas.js';
import { type ConnectedPlatforms, type SimulatedChannel, simulatedChannels } from './simulated-channels.js';
import { Workspace } from './workspace.js';

export interface LocalWorkspaceSettings {
  /** `/`: the page is the front page too (no platform configured); `/local`: beside real platforms. */
  mountedAt: '/' | '/local';
  /** Which platforms have an adapter here; the channels of the others are simulated. */
  connected: ConnectedPlatforms;
  dashboardToken?: string;
  log: Logger;
}

/** The simulated workspace, ready to wire in: a chat port, a directory, HTTP routes. */
export interface LocalWorkspace {
  /** Delivers to the simulated channels: `local`, and each platform without an adapter. */
  chat: ChatPort;
  /** Every persona is a member of every simulated channel. */
  directory: DirectoryPort;
  /** Prefix routes for `createHttpServer`: `/local` (and `/` when mounted there). */
  routes: Record<string, RequestListener>;
  channels: readonly SimulatedChannel[];
  /** The platforms' paces without the simulated ones: nothing real is called there. */
  pacing(platforms: Pacing): Pacing;
  /** Ends the live streams (a graceful stop would otherwise wait for open browsers). */
  close(): void;
}

/**
 * Builds the simulated local workspace (`adapters/local`): the policy's channels whose platform
 * has no adapter in this process, played by built-in personas in a browser page. Same core, same
 * database, same checker: triggers fire here exactly as on Slack.
 */
export async function createLocalWorkspace(
  ctx: AppContext,
  settings: LocalWorkspaceSettings,
): Promise<LocalWorkspace> {
  const feed = new LiveFeed();
  const channels = simulatedChannels(ctx.policy, settings.connected);
  const ws = new Workspace(ctx, channels, feed);
  // Cards and notes name people by id; the personas' names come from the same table as everyone's.
  for (const persona of PERSONAS) await rememberPerson(ctx, persona.id, persona.name);
  return {
    chat: new LocalChat({ messages: ctx.store.localWorkspace, clock: ctx.clock, feed }),
    directory: new LocalDirectory(),
    routes: workspaceRoutes(ws, settings),
    channels,
    pacing: (platforms) => ({
      ...(settings.connected.slack ? { slack: platforms.slack } : {}),
      ...(settings.connected.teams ? { teams: platforms.teams } : {}),
    }),
    close: () => feed.close(),
  };
}
