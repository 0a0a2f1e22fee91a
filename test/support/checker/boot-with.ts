import { type EscalatorOptions, startEscalator } from '../../../src/escalator.js';
import { silentLogger } from '../../../src/ports/logger.js';
import { SLACK_SECRET, type StoryWorld } from '../story/story-world.js';

/**
 * Restarts a story world's Escalator with options `StoryWorld.boot` does not offer (the cron
 * schedules on, a webhook secret from the "environment"), on the same database file, fakes and
 * ManualClock, so the story drivers keep working. `world.stop()` stops it as usual.
 */
export async function bootWith(world: StoryWorld, options: Partial<EscalatorOptions>): Promise<void> {
  await world.app.stop();
  world.app = await startEscalator({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: world.dbUrl,
    policy: world.policy,
    slack: { botToken: 'xoxb-test', signingSecret: SLACK_SECRET, apiUrl: world.slackApi.url },
    teams: { appType: 'MultiTenant', allowUnauthenticated: true },
    log: silentLogger,
    clock: world.clock,
    schedules: false,
    ...options,
  });
}
