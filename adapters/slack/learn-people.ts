import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../src/app/context.js';
import { namesOf, rememberPerson } from '../../src/app/directory.js';
import type { Logger } from '../../src/ports/logger.js';
import { toCore } from './slack-ids.js';

/**
 * Slack cards mention people natively, but a Teams card or note (mixed deployments) needs their
 * names. Message events carry only ids, so an unknown person is looked up once with `users.info`.
 */
/**
 * People already in the directory, per running service: every message asks, and a database read
 * per message showed up on the thread that answers Slack (docs/performance.md).
 */
const knownByService = new WeakMap<AppContext, Set<string>>();
const KNOWN_PEOPLE_KEPT = 10_000;

function knownPeople(ctx: AppContext): Set<string> {
  let known = knownByService.get(ctx);
  if (!known || known.size >= KNOWN_PEOPLE_KEPT) {
    known = new Set();
    knownByService.set(ctx, known);
  }
  return known;
}

export async function learnSlackPerson(
  ctx: AppContext,
  client: WebClient,
  userId: string,
  log: Logger,
): Promise<void> {
  const id = toCore(userId);
  const known = knownPeople(ctx);
  if (known.has(id)) return;
  if ((await namesOf(ctx, [id])).has(id)) {
    known.add(id);
    return;
  }
  try {
    const { user } = await client.users.info({ user: userId });
    const name = user?.profile?.display_name || user?.real_name || user?.name;
    await rememberPerson(ctx, id, name);
  } catch (error) {
    log.debug({ user: userId, error: (error as Error).message }, 'could not look up a Slack user name');
  }
}
