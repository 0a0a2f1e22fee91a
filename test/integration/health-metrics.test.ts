import { copyFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MIGRATIONS_FOLDER, openSqliteStore, sqlitePathOf } from '../../src/db/sqlite/open-sqlite-store.js';
import { ESCALATION_STATUSES } from '../../src/domain/escalation.js';
import { type RunningEscalator, startEscalator } from '../../src/escalator.js';
import { silentLogger } from '../../src/ports/logger.js';
import type { Store } from '../../src/ports/store.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { onPostgres, SQLITE_ONLY } from '../support/core/database-project.js';
import { freshDatabaseUrl } from '../support/core/fresh-database.js';
import { ManualClock } from '../support/core/manual-clock.js';
import { type Exposition, parsePrometheusText } from '../support/metrics/prometheus-text.js';
import { messageEvent, sendEvent, slackTs } from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import type { PlatformDriver, StoryThread } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { SLACK_SECRET, StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import {
  channelMessage,
  postActivity,
  startFakeConnector,
  startLocalOpenId,
  TEAMS_IDS,
} from '../support/teams/index.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-health-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A database of its own (`freshDatabaseUrl`), removed after the test. */
async function freshDatabase(): Promise<string> {
  const database = await freshDatabaseUrl();
  cleanups.push(() => database.cleanup());
  return database.url;
}

async function readyz(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: await response.json() };
}

describe('/readyz', () => {
  /** Escalator with no platform adapter, on a database of its own (a SQLite file's path is `path`). */
  async function boot(): Promise<{ app: RunningEscalator; path: string }> {
    const databaseUrl = await freshDatabase();
    const app = await startEscalator({
      port: 0,
      host: '127.0.0.1',
      databaseUrl,
      policy: storyPolicy('slack'),
      log: silentLogger,
      clock: new ManualClock(new Date()),
      schedules: false,
    });
    cleanups.push(() => app.stop());
    return { app, path: sqlitePathOf(databaseUrl) };
  }

  /** The real HTTP server in front of a store opened by the test (for stores Escalator would not open). */
  async function serve(store: Store): Promise<string> {
    const server: Server = createHttpServer({ routes: {}, isReady: () => store.readiness() });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('is ready with the database open and every migration applied', async () => {
    const { app } = await boot();
    expect(await readyz(app.url)).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: { ok: true }, migrations: { ok: true } } },
    });
    expect(await app.ctx.store.readiness()).toEqual({
      ready: true,
      checks: { database: { ok: true }, migrations: { ok: true } },
    });
  });

  it.skipIf(onPostgres)(
    `is not ready once the database file is deleted, though the open handle still answers queries ${SQLITE_ONLY}`,
    async () => {
      const { app, path } = await boot();
      rmSync(path);
      expect(await app.ctx.store.issues.nextNumber()).toBe(1); // SQLite keeps using the deleted file
      expect(await readyz(app.url)).toMatchObject({
        status: 503,
        body: { status: 'not ready', checks: { database: { ok: false } } },
      });
      const { checks } = await app.ctx.store.readiness();
      expect(checks.database).toEqual({
        ok: false,
        detail: `the database file ${path} is gone (ENOENT); restore it and restart Escalator`,
      });
      expect(checks.migrations).toEqual({ ok: false, detail: 'not checked: the database is unavailable' });
    },
  );

  it.skipIf(onPostgres)(
    `is not ready once the database file is replaced by another one (a restore under a running process) ${SQLITE_ONLY}`,
    async () => {
      const { app, path } = await boot();
      copyFileSync(path, `${path}.restored`);
      renameSync(`${path}.restored`, path);
      expect(await readyz(app.url)).toMatchObject({
        status: 503,
        body: { status: 'not ready', checks: { database: { ok: false } } },
      });
      expect((await app.ctx.store.readiness()).checks.database.detail).toBe(
        `the database file ${path} was replaced after Escalator opened it; restart Escalator to use the new one`,
      );
    },
  );

  it.skipIf(onPostgres || process.getuid?.() === 0)(
    `is not ready once the database file cannot be read and written ${SQLITE_ONLY}`,
    async () => {
      const { app, path } = await boot();
      const { chmodSync } = await import('node:fs');
      chmodSync(path, 0o000);
      cleanups.push(() => chmodSync(path, 0o600));
      expect((await readyz(app.url)).status).toBe(503);
      expect((await app.ctx.store.readiness()).checks.database.detail).toMatch(
        /is not readable and writable/,
      );
    },
  );

  it.skipIf(onPostgres)(`is not ready when a query fails ${SQLITE_ONLY}`, async () => {
    const { app, path } = await boot();
    const other = new Database(path);
    other.exec('drop table __drizzle_migrations');
    other.close();
    expect(await readyz(app.url)).toMatchObject({
      status: 503,
      body: { status: 'not ready', checks: { database: { ok: false } } },
    });
    expect((await app.ctx.store.readiness()).checks.database).toEqual({
      ok: false,
      detail: 'the database query failed: no such table: __drizzle_migrations',
    });
  });

  it('is not ready once the store is closed', async () => {
    const { app } = await boot();
    // The outbox pass Escalator starts with reads the database: let it finish before pulling the
    // database from under it (a PostgreSQL query still waiting for a connection would fail).
    await app.dispatcher.kick();
    await app.ctx.store.close();
    expect(await readyz(app.url)).toMatchObject({
      status: 503,
      body: { status: 'not ready', checks: { database: { ok: false } } },
    });
    expect((await app.ctx.store.readiness()).checks.database).toEqual({
      ok: false,
      detail: 'the database connection is closed',
    });
  });

  it.skipIf(onPostgres)(
    `is not ready while the migrations folder holds a migration the database has not applied, and ready after a restart applies it ${SQLITE_ONLY}`,
    async () => {
      const dir = tempDir();
      const folder = join(dir, 'migrations');
      cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
      const databaseUrl = `file:${join(dir, 'escalator.db')}`;
      const store = openSqliteStore(databaseUrl, { migrationsFolder: folder });
      cleanups.push(() => store.close());
      const url = await serve(store);
      expect(await readyz(url)).toMatchObject({
        status: 200,
        body: { status: 'ready', checks: { database: { ok: true }, migrations: { ok: true } } },
      });

      // A newer release's migration lands in the folder while this process runs on the old schema.
      const journalPath = join(folder, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
      const last = journal.entries.at(-1);
      journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: '9999_metrics_probe' });
      writeFileSync(journalPath, JSON.stringify(journal));
      writeFileSync(
        join(folder, '9999_metrics_probe.sql'),
        'CREATE TABLE `metrics_probe` (`id` text PRIMARY KEY);',
      );

      expect(await readyz(url)).toMatchObject({
        status: 503,
        body: { status: 'not ready', checks: { migrations: { ok: false } } },
      });
      expect(await store.readiness()).toEqual({
        ready: false,
        checks: {
          database: { ok: true },
          migrations: {
            ok: false,
            detail: 'migrations not applied: 9999_metrics_probe; restart Escalator to apply them',
          },
        },
      });

      await store.close();
      const restarted = openSqliteStore(databaseUrl, { migrationsFolder: folder });
      cleanups.push(() => restarted.close());
      expect(await restarted.readiness()).toMatchObject({ ready: true });
    },
  );
});

async function scrape(url: string): Promise<Exposition> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(await response.text());
}

/** Escalator's own families (the process ones vary by themselves), every series as `{labels} value`. */
function escalatorSeries(metrics: Exposition): Record<string, string[]> {
  const families = [...metrics.types.keys()].filter((name) => name.startsWith('escalator_'));
  return Object.fromEntries(families.sort().map((name) => [name, metrics.series(name)]));
}

/** The `escalator_escalations` series: every status, zero unless given. */
const statuses = (counts: Record<string, number>) =>
  [...ESCALATION_STATUSES].sort().map((status) => `{status="${status}"} ${counts[status] ?? 0}`);

/** What the story needs beyond the shared driver: a duplicate, a refused request, failing card posts. */
interface Faults {
  /** A customer reply the platform sends twice (Slack's retry, Teams' redelivery); waits until both were handled. */
  replyTwice(thread: StoryThread, text: string): Promise<void>;
  /** A request the endpoint refuses; returns its status. */
  refusedRequest(): Promise<number>;
  /** The next card post to `channel` fails once, in a way worth retrying (a 503). */
  failCardPostOnce(channel: string): void;
  /** Card posts to `channel` fail for good (the bot was removed from the channel). */
  refuseCardPosts(channel: string): void;
}

const slackFaults = (world: StoryWorld): Faults => {
  const isCard = (channel: string) => (args: Record<string, unknown>) =>
    args.channel === channel.replace('slack:', '') && 'blocks' in args;
  return {
    async replyTwice(thread, text) {
      const url = `${world.app.url}/slack/events`;
      const envelope = messageEvent({
        channel: thread.channel.replace('slack:', ''),
        user: 'U0CUSTOMER',
        team: 'T0CUSTOMER',
        text,
        ts: slackTs(),
        threadTs: thread.rootId,
      });
      expect((await sendEvent(url, SLACK_SECRET, envelope)).status).toBe(200);
      expect((await sendEvent(url, SLACK_SECRET, envelope, { retryNum: 1 })).status).toBe(200);
      // Bolt acknowledges first and runs the handler after: wait until the retry was recognised.
      await eventually(
        async () => (await scrape(world.app.url)).value('escalator_inbound_duplicates_total', dup('slack')),
        'the retry to be handled',
      );
    },
    async refusedRequest() {
      const unsigned = await fetch(`${world.app.url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageEvent({ channel: 'C0SUPPORT', text: 'forged' })),
      });
      return unsigned.status;
    },
    failCardPostOnce(channel) {
      world.slackApi.failWhen('chat.postMessage', isCard(channel), { status: 503 });
    },
    refuseCardPosts(channel) {
      world.slackApi.failWhen('chat.postMessage', isCard(channel), { error: 'not_in_channel' }, Infinity);
    },
  };
};

const teamsFaults = (world: StoryWorld): Faults => {
  const isCard = (channel: string) => (call: { channel?: string }) =>
    call.channel === channel.replace('teams:', '');
  return {
    async replyTwice(thread, text) {
      const activity = channelMessage({
        serviceUrl: world.connector.serviceUrl,
        user: TEAMS_IDS.users.customer,
        text,
        channelId: thread.channel.replace('teams:', ''),
        threadRootId: thread.rootId,
      });
      // botbuilder runs the turn before it answers: both are handled when these return.
      expect((await postActivity(`${world.app.url}/api/messages`, activity)).status).toBe(200);
      expect((await postActivity(`${world.app.url}/api/messages`, activity)).status).toBe(200);
    },
    async refusedRequest() {
      // The story's Teams endpoint checks no tokens (see the authenticated test below): a broken body.
      const malformed = await fetch(`${world.app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type": "message", ',
      });
      return malformed.status;
    },
    failCardPostOnce(channel) {
      // botbuilder tries a 5xx four times itself: four failed calls are one failed delivery.
      world.connector.failWhen('create_conversation', isCard(channel), { status: 503, retryAfter: 0 }, 4);
    },
    refuseCardPosts(channel) {
      world.connector.failWhen('create_conversation', isCard(channel), { status: 403 }, Infinity);
    },
  };
};

const dup = (platform: string) => ({ platform, kind: platform === 'slack' ? 'event' : 'activity' });

describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new SlackDriver(w), slackFaults, 401],
  ['Teams', 'teams' as const, (w: StoryWorld) => new TeamsDriver(w), teamsFaults, 400],
])('%s: /metrics after known traffic', (_name, platform, makeDriver, makeFaults, refusedStatus) => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  let faults: Faults;
  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy(platform));
    chat = makeDriver(world);
    faults = makeFaults(world);
    await chat.prepare();
  });
  afterEach(async () => {
    await world.stop();
  });
  /** Requests the driver sends before the story: Teams installs the app in the team first. */
  const preparing = platform === 'teams' ? 1 : 0;

  it('counts events, a duplicate, a refusal, an escalation and a failed then retried card exactly', async () => {
    const thread = await chat.customerPosts('Order A-1042 was charged twice, $1,250.'); // 1 request
    await chat.agentReplies(thread, 'Sorry about that, checking with billing now.'); // 1
    await faults.replyTwice(thread, 'Any news?'); // 2, one of them a duplicate
    expect(await faults.refusedRequest()).toBe(refusedStatus); // 1 refused
    faults.failCardPostOnce(chat.channel('l2'));
    // The form: Slack's shortcut + submission, Teams' fetch + submit: 2 requests.
    expect(await chat.escalateWithForm(thread, { reason: 'Refund I cannot approve' })).toEqual({});
    await world.app.dispatcher.idle();

    // The card failed once: it and its thread note (queued behind it) are the backlog.
    const during = await scrape(world.app.url);
    expect(during.value('escalator_outbox_pending')).toBe(2);
    expect(during.value('escalator_delivery_attempts_total', { platform, method: 'postCard' })).toBe(1);
    expect(during.series('escalator_delivery_errors_total')).toEqual([
      `{method="postCard",platform="${platform}",retryable="true"} 1`,
    ]);

    await world.tick(5_000); // past the first retry's backoff (at most 1.2 s)
    await chat.waitForCard(chat.channel('l2'));
    await chat.waitForNote(thread, 'Escalated to');
    await world.app.dispatcher.idle();

    const accepted = 6 + preparing;
    const attempts =
      platform === 'slack'
        ? // Slack also confirms to the agent privately (Teams answers the form submission itself).
          [
            '{method="postCard",platform="slack"} 2',
            '{method="postEphemeral",platform="slack"} 1',
            '{method="postThreadNote",platform="slack"} 1',
          ]
        : ['{method="postCard",platform="teams"} 2', '{method="postThreadNote",platform="teams"} 1'];
    expect(escalatorSeries(await scrape(world.app.url))).toEqual({
      escalator_delivery_attempts_total: attempts,
      escalator_delivery_errors_total: [`{method="postCard",platform="${platform}",retryable="true"} 1`],
      escalator_escalations: statuses({ open: 1 }),
      escalator_escalations_created_total: ['{path="tech",trigger="manual"} 1'],
      escalator_inbound_duplicates_total: [`{kind="${dup(platform).kind}",platform="${platform}"} 1`],
      escalator_inbound_requests_total: [
        `{code="200",outcome="accepted",platform="${platform}"} ${accepted}`,
        `{code="${refusedStatus}",outcome="rejected",platform="${platform}"} 1`,
      ],
      escalator_outbox_dead_total: ['{} 0'],
      escalator_outbox_pending: ['{} 0'],
    });
  });

  it('a card the platform refuses for good is a non-retryable delivery error and a dead outbox entry', async () => {
    const thread = await chat.customerPosts('The app crashes on login.');
    faults.refuseCardPosts(chat.channel('l2'));
    expect(await chat.escalateWithForm(thread, { reason: 'Crash on login' })).toEqual({});
    await world.app.dispatcher.idle();
    await world.tick(5_000); // time passes, and nothing tries the refused card again
    await world.app.dispatcher.idle();

    const metrics = await scrape(world.app.url);
    expect(metrics.series('escalator_delivery_errors_total')).toEqual([
      `{method="postCard",platform="${platform}",retryable="false"} 1`,
    ]);
    expect(metrics.value('escalator_delivery_attempts_total', { platform, method: 'postCard' })).toBe(1);
    expect(metrics.value('escalator_outbox_dead_total')).toBe(1);
    expect(metrics.value('escalator_escalations_created_total', { path: 'tech', trigger: 'manual' })).toBe(1);
  });
});

describe('/metrics itself', () => {
  it('is valid Prometheus text with the process metrics, and each Escalator in a process counts only its own traffic', async () => {
    const [one, two] = [
      await StoryWorld.start(storyPolicy('slack')),
      await StoryWorld.start(storyPolicy('slack')),
    ];
    cleanups.push(
      () => one.stop(),
      () => two.stop(),
    );
    await new SlackDriver(one).customerPosts('Hello from the first one');

    const first = await scrape(one.app.url);
    const second = await scrape(two.app.url);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(first.types.has(name)).toBe(true);
    }
    expect(
      first.value('escalator_inbound_requests_total', {
        platform: 'slack',
        outcome: 'accepted',
        code: '200',
      }),
    ).toBe(1);
    expect(second.series('escalator_inbound_requests_total')).toEqual([]);
    expect((await fetch(`${one.app.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('still answers when the database cannot, leaving the database figures out rather than showing stale ones', async () => {
    const world = await StoryWorld.start(storyPolicy('slack'));
    cleanups.push(() => world.stop());
    expect((await scrape(world.app.url)).value('escalator_outbox_pending')).toBe(0);
    await world.store.close();
    const metrics = await scrape(world.app.url);
    expect(metrics.types.has('escalator_outbox_pending')).toBe(false);
    expect(metrics.types.has('escalator_escalations')).toBe(false);
    expect(metrics.types.has('process_cpu_user_seconds_total')).toBe(true);
  });
});

describe('Teams with token checks on: an unsigned request counts as rejected', () => {
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // botbuilder prints every refusal
    cleanups.push(() => {
      vi.restoreAllMocks();
    });
  });

  it('401 and counted as rejected; a signed one is accepted', async () => {
    const openId = await startLocalOpenId();
    const fake = await startFakeConnector();
    const app = await startEscalator({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: await freshDatabase(),
      policy: storyPolicy('teams'),
      teams: {
        appId: TEAMS_IDS.appId,
        appPassword: 'x',
        appType: 'MultiTenant',
        allowUnauthenticated: false,
        openIdMetadataUrl: openId.metadataUrl,
        tokenIssuer: openId.issuer,
      },
      log: silentLogger,
      clock: new ManualClock(new Date()),
      schedules: false,
    });
    cleanups.push(
      () => openId.close(),
      () => fake.close(),
      () => app.stop(),
    );
    const url = `${app.url}/api/messages`;
    const message = () => channelMessage({ serviceUrl: fake.serviceUrl, user: TEAMS_IDS.users.customer });
    expect((await postActivity(url, message())).status).toBe(401);
    const signed = message();
    const token = openId.sign({ audience: TEAMS_IDS.appId, serviceUrl: signed.serviceUrl });
    expect((await postActivity(url, signed, { token })).status).toBe(200);

    expect((await scrape(app.url)).series('escalator_inbound_requests_total')).toEqual([
      '{code="200",outcome="accepted",platform="teams"} 1',
      '{code="401",outcome="rejected",platform="teams"} 1',
    ]);
  });
});
