import type { ThreadRef } from '../../src/domain/ids.js';
import { threadUrl } from '../shared/thread-url.js';

/**
 * A link Teams can open to a support thread: Slack and Teams threads have web addresses; a thread in
 * the local workspace has only a path on Escalator's own server, which means nothing inside Teams.
 */
export function teamsThreadLink(thread: ThreadRef): string | undefined {
  if (thread.channel.startsWith('slack:') || thread.channel.startsWith('teams:')) return threadUrl(thread);
  return undefined;
}
