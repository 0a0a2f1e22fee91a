import type { View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../src/ports/logger.js';

/**
 * Replaces an open modal, but only the version the click came from (`hash`): when a second click,
 * or Slack repeating this one, changed the modal first, that answer stays and this one is dropped.
 */
export async function updateView(
  client: WebClient,
  current: { id: string; hash: string },
  next: View,
  log: Logger,
): Promise<void> {
  try {
    await client.views.update({ view_id: current.id, hash: current.hash, view: next });
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === 'hash_conflict') {
      log.info({ view: current.id }, 'the modal changed meanwhile; the newer version stays');
      return;
    }
    log.warn({ view: current.id, error: (error as Error).message }, 'could not update the modal');
  }
}
