import type { AppContext } from '../../../src/app/context.js';
import type { Logger } from '../../../src/ports/logger.js';

/** What every Slack handler gets: the core's context and a logger. */
export interface SlackHandlerDeps {
  ctx: AppContext;
  log: Logger;
  /** The workspace's URL (from `auth.test`), for links into threads; slack.com redirects without it. */
  workspaceUrl?: string;
}
