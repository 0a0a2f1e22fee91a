import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../src/config/load-policy.js';
import { isPostgresUrl } from '../../src/db/open-store.js';
import { sqlitePathOf } from '../../src/db/sqlite/open-sqlite-store.js';
import { startEscalator } from '../../src/escalator.js';
import { FreshDatabases } from '../support/core/fresh-database.js';
import { countRows, jsonFieldSql, queryRows } from '../support/core/raw-database.js';
import {
  agentEscalates,
  customerPosts,
  PATH_CHANNELS,
  SIGNING_SECRET,
  type SlackProcess,
  SUPPORT,
  startSlackProcess,
  writeCrashPolicy,
} from '../support/process/slack-process.js';
import {
  appMentionEvent,
  type FakeSlackApi,
  messageEvent,
  sendEvent,
  slackTs,
  startFakeSlackApi,
} from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import { RecordingLogger } from '../support/teams/recording-logger.js';

/** Spawning and stopping processes, with cards paced at Slack's one a second per channel. */
const PROCESS_TEST_MS = 60_000;
const L2 = PATH_CHANNELS.tech;

/** Something the test opens when it wants the held call to complete. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('stopping Escalator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-shutdown-'));
  let fake: FakeSlackApi;
  let running: SlackProcess | undefined;
  const databases = new FreshDatabases();
  beforeEach(async () => {
    fake = await startFakeSlackApi({ wallClockTs: true });
  });
  afterEach(async () => {
    running?.child.kill('SIGKILL');
    await running?.exited;
    running = undefined;
    await fake.close();
    await databases.cleanup();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pendingOutbox = (db: string) =>
    countRows(db, "select count(*) as n from outbox where status <> 'delivered'");
  const cardPosts = () => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === L2);

  it(
    'SIGTERM: refuses new events, finishes the card post in flight, closes the database and exits 0',
    async () => {
      const db = await databases.url();
      const policy = writeCrashPolicy(dir);
      running = await startSlackProcess({ fake, db, policy });
      const thread = await customerPosts(running, db, 'The export button does nothing');
      const held = gate();
      fake.failWhen('chat.postMessage', (args) => args.channel === L2, { gate: held.opened }, 1);
      await agentEscalates(running, db, thread, 'tech', 'export broken for everyone');
      await fake.waitFor('chat.postMessage', (args) => args.channel === L2);

      running.child.kill('SIGTERM');
      await running.waitForOutput('shutting down');
      const late = slackTs();
      const refused = await sendEvent(
        running.eventsUrl,
        SIGNING_SECRET,
        messageEvent({
          channel: SUPPORT,
          user: 'U0CUSTOMER',
          team: 'T0CUSTOMER',
          text: 'Anyone there?',
          ts: late,
        }),
      );
      expect(refused.status).toBe(503);
      expect((await fetch(`${running.baseUrl}/readyz`)).status).toBe(503);
      held.open();

      expect(await running.exited).toBe(0);
      expect(running.output()).toContain('stopped: database closed');
      // Closed cleanly: SQLite's last connection checkpointed the write-ahead log and removed it.
      if (!isPostgresUrl(db)) expect(existsSync(`${sqlitePathOf(db)}-wal`)).toBe(false);
      const [card] = await queryRows<{ status: string; card_message_id: string }>(
        db,
        `select o.status, e.card_message_id from outbox o join escalations e
         on e.id = ${jsonFieldSql(db, 'o.payload', 'escalationId')} where o.kind = 'post_card'`,
      );
      expect(card?.status).toBe('delivered');
      expect(card?.card_message_id).toBe(fake.messages(L2)[0]?.ts);
      expect(await countRows(db, 'select count(*) as n from messages where message_id = ?', late)).toBe(0);

      // The next start has nothing to re-post: the card went out once, its note follows once.
      running = await startSlackProcess({ fake, db, policy, port: running.port });
      await eventually(
        async () => (await pendingOutbox(db)) === 0,
        'the rest of the outbox after the restart',
        20_000,
      );
      expect(cardPosts()).toHaveLength(1);
      expect(fake.callsTo('conversations.history')).toHaveLength(0);
      const notes = fake
        .messages(SUPPORT)
        .filter((m) => m.thread_ts === thread && m.text.includes('Escalated'));
      expect(notes).toHaveLength(1);
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    },
    PROCESS_TEST_MS,
  );

  it(
    'SIGTERM while an event is being handled (already answered 200): the handling finishes before the database closes',
    async () => {
      const db = await databases.url();
      const policy = writeCrashPolicy(dir);
      running = await startSlackProcess({ fake, db, policy });
      const thread = await customerPosts(running, db, 'Invoices show the wrong tax');
      // The mention handler reads the thread from Slack first; hold that read.
      const held = gate();
      fake.failNext('conversations.replies', { gate: held.opened });
      const answer = await sendEvent(
        running.eventsUrl,
        SIGNING_SECRET,
        appMentionEvent({
          channel: SUPPORT,
          user: 'U0ALICE',
          threadTs: thread,
          text: '<@U0BOT> escalate to billing tax wrong',
        }),
      );
      expect(answer.status).toBe(200); // Slack will not send this event again
      await fake.waitFor('conversations.replies');

      running.child.kill('SIGTERM');
      await running.waitForOutput('shutting down');
      held.open();
      expect(await running.exited).toBe(0);
      expect(await countRows(db, 'select count(*) as n from escalations')).toBe(1);

      running = await startSlackProcess({ fake, db, policy, port: running.port });
      await eventually(async () => (await pendingOutbox(db)) === 0, 'the outbox after the restart', 20_000);
      expect(fake.messages(PATH_CHANNELS.billing)).toHaveLength(1);
    },
    PROCESS_TEST_MS,
  );

  it(
    'a second signal exits at once (code 1); the card Slack took meanwhile is found, not posted again',
    async () => {
      const db = await databases.url();
      const policy = writeCrashPolicy(dir);
      running = await startSlackProcess({ fake, db, policy });
      const thread = await customerPosts(running, db, 'Refund never arrived');
      const held = gate();
      fake.failWhen('chat.postMessage', (args) => args.channel === L2, { gate: held.opened }, 1);
      await agentEscalates(running, db, thread, 'tech', 'refund stuck');
      await fake.waitFor('chat.postMessage', (args) => args.channel === L2);

      running.child.kill('SIGTERM');
      await running.waitForOutput('shutting down');
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(1);
      expect(running.output()).toContain('second signal');
      // Slack finishes the post after Escalator is gone.
      held.open();
      await eventually(() => fake.messages(L2).length === 1, 'Slack to post the card');

      running = await startSlackProcess({ fake, db, policy, port: running.port });
      await eventually(async () => (await pendingOutbox(db)) === 0, 'the outbox after the restart', 20_000);
      expect(fake.messages(L2)).toHaveLength(1);
      expect(cardPosts()).toHaveLength(1);
    },
    PROCESS_TEST_MS,
  );

  it('a call that never returns does not hold the stop past its deadline; the card goes out once at the next start', async () => {
    const db = await databases.url();
    const policy = loadPolicyFile(writeCrashPolicy(dir));
    const slack = { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, apiUrl: fake.url };
    const log = new RecordingLogger();
    const start = () =>
      startEscalator({
        port: 0,
        host: '127.0.0.1',
        databaseUrl: db,
        policy,
        slack,
        log,
        drainTimeoutMs: 300,
      });
    const first = await start();
    const eventsUrl = `${first.url}/slack/events`;
    const thread = await customerPosts({ eventsUrl }, db, 'Login loops forever');
    // Slack posts the card but the answer never comes.
    fake.failWhen('chat.postMessage', (args) => args.channel === L2, { unanswered: 'hang' }, 1);
    await agentEscalates({ eventsUrl }, db, thread, 'tech', 'login loop');
    await eventually(() => fake.messages(L2).length === 1, 'Slack to post the card');

    await first.stop();
    expect(log.at('warn').map((r) => r.obj)).toContainEqual(
      expect.objectContaining({ step: 'deliveries in progress' }),
    );
    expect(await first.ctx.store.isReady()).toBe(false); // the database is closed
    expect(
      await countRows(db, "select count(*) as n from outbox where kind = 'post_card' and status = 'pending'"),
    ).toBe(1);

    const second = await start();
    await eventually(async () => (await pendingOutbox(db)) === 0, 'the outbox after the restart', 10_000);
    expect(fake.messages(L2)).toHaveLength(1);
    expect(cardPosts()).toHaveLength(1);
    await second.stop();
  });
});
