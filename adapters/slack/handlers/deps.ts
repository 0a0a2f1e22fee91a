import type { AppContext } from '../../../src/app/context.js';
import type { Logger } from '../../../src/ports/logger.js';

/** What every Slack handler gets: the core's context and a logger. */
export interface SlackHandlerDeps {
  ctx: AppContext;
  log: Logger;
}
