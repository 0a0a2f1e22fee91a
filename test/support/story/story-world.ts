import type { DeliverySettings, Pacing } from '../../../src/app/outbox/delivery-settings.js';
import type { Policy } from '../../../src/domain/policy.js';
import { type RunningEscalator, type SummarySettings, startEscalator } from '../../../src/escalator.js';
import { type Logger, silentLogger } from '../../../src/ports/logger.js';
import { type FreshDatabase, freshDatabaseUrl } from '../core/fresh-database.js';
import { ManualClock } from '../core/manual-clock.js';
import { type FakeSlackApi, startFakeSlackApi } from '../slack/index.js';
import { type FakeConnector, startFakeConnector } from '../teams/index.js';
import { SlackMembers } from './slack-members.js';

export const SLACK_SECRET = 'test-signing-secret';

export interface StoryOptions {
  /** An AI summary endpoint (the loopback fake) for the cards; none by default. */
  summary?: SummarySettings;
  /** Where Escalator logs; silent by default. */
  log?: Logger;
  /** Outbox pacing and call timeout; `STORY_PACING` by default. */
  delivery?: DeliverySettings;
  /** DASHBOARD_TOKEN: protects `/dashboard` (this machine only when unset). */
  dashboardToken?: string;
  /** Also serve the simulated local workspace here: it simulates the policy's `local:` channels. */
  localWorkspace?: '/' | '/local';
}

/**
 * Slack's pace and Teams' per-second limit a thousand times faster: stories go through the pacing
 * without waiting on it.
 */
export const STORY_PACING: Pacing = {
  slack: [{ calls: 1, perMs: 1 }],
  teams: [{ calls: 7, perMs: 1 }],
};

/**
 * One Escalator with both platform adapters on, a real database of its own (`freshDatabaseUrl`:
 * a SQLite file, or PostgreSQL in the `postgres` project), and loopback fakes of the Slack Web API
 * and the Bot Connector. Drivers (`SlackDriver`, `TeamsDriver`) act in it as people do.
 */
export class StoryWorld {
  private database?: FreshDatabase;
  readonly clock = new ManualClock(new Date());
  slackApi!: FakeSlackApi;
  connector!: FakeConnector;
  app!: RunningEscalator;

  constructor(
    readonly policy: Policy,
    readonly options: StoryOptions = {},
  ) {}

  static async start(policy: Policy, options: StoryOptions = {}): Promise<StoryWorld> {
    const world = new StoryWorld(policy, options);
    await world.open();
    return world;
  }

  /** The DATABASE_URL Escalator runs on, the same across restarts. */
  get dbUrl(): string {
    if (!this.database) throw new Error('the story world is not open yet');
    return this.database.url;
  }

  /** Makes the database, starts the fakes, then Escalator. */
  protected async open(): Promise<void> {
    this.database = await freshDatabaseUrl();
    this.slackApi = await startFakeSlackApi();
    SlackMembers.of(this.slackApi); // people are members of the channels where they act
    this.connector = await startFakeConnector();
    await this.boot();
  }

  /** Starts (or restarts) the server on the same database. */
  async boot(): Promise<void> {
    this.app = await startEscalator({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: this.dbUrl,
      policy: this.policy,
      slack: { botToken: 'xoxb-test', signingSecret: SLACK_SECRET, apiUrl: this.slackApi.url },
      teams: { appType: 'MultiTenant', allowUnauthenticated: true },
      summary: this.options.summary,
      log: this.options.log ?? silentLogger,
      clock: this.clock,
      schedules: false,
      delivery: { pacing: STORY_PACING, ...this.options.delivery },
      dashboardToken: this.options.dashboardToken,
      localWorkspace: this.options.localWorkspace,
    });
  }

  /** Run after each tick: drivers that read their platform over HTTP catch up with what it delivered. */
  private readonly tickWatchers: Array<() => Promise<void>> = [];

  /** Calls `watcher` after every `tick()`, once the tick's deliveries are done. */
  watchTicks(watcher: () => Promise<void>): void {
    this.tickWatchers.push(watcher);
  }

  /** Moves time on and runs one checker tick, as the cron schedule would. */
  async tick(advanceMs = 0): Promise<void> {
    if (advanceMs > 0) this.clock.advance(advanceMs);
    await this.app.checker.tick();
    await this.app.dispatcher.kick();
    for (const watcher of this.tickWatchers) await watcher();
  }

  /** Runs the digest job once (as its cron schedule would at the clock's time), then delivers. */
  async digestTick(): Promise<void> {
    await this.app.digest.tick();
    await this.app.dispatcher.kick();
    await this.app.dispatcher.idle();
  }

  get store() {
    return this.app.ctx.store;
  }

  async stop(): Promise<void> {
    await this.app.stop();
    await this.slackApi.close();
    await this.connector.close();
    await this.database?.cleanup();
  }
}
