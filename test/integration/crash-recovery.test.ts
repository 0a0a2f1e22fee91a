import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outboxIdTime } from '../../adapters/slack/posted-cards.js';
import { SlackChat } from '../../adapters/slack/slack-chat.js';
import type { Card } from '../../src/domain/card.js';
import { newId } from '../../src/domain/ids.js';
import { DeliveryError } from '../../src/ports/chat-port.js';
import { FreshDatabases } from '../support/core/fresh-database.js';
import { countRows, jsonFieldSql, queryRows } from '../support/core/raw-database.js';
import {
  agentEscalates,
  customerPosts,
  PATH_CHANNELS,
  type PathName,
  type SlackProcess,
  SUPPORT,
  seedOverdueIssues,
  startSlackProcess,
  writeCrashPolicy,
} from '../support/process/slack-process.js';
import { cardsByOutboxId, type FakeSlackApi, outboxIdOf, startFakeSlackApi } from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';

const CARD: Card = {
  fallback: 'Escalation #1',
  title: 'Escalation #1',
  status: 'Open',
  fields: [],
  sections: [],
  actions: [],
  links: [],
  context: [],
};

describe('finding a card Slack already has before posting it again (SlackChat on the fake Web API)', () => {
  let fake: FakeSlackApi;
  beforeEach(async () => {
    fake = await startFakeSlackApi({ wallClockTs: true });
  });
  afterEach(async () => {
    await fake.close();
  });

  const client = () => new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
  const chat = (startedAt: Date) => new SlackChat(client(), async () => new Map(), undefined, startedAt);

  it('reads the outbox id back from the time at the front of its id', () => {
    const at = new Date('2026-03-02T10:11:12.345Z');
    expect(outboxIdTime(newId('obx', at))).toBe(at.getTime());
    expect(outboxIdTime('not-an-outbox-id')).toBeUndefined();
  });

  it('a post whose answer was lost is found on the retry, not posted again', async () => {
    const slack = chat(new Date(Date.now() - 60_000));
    const key = newId('obx');
    fake.failWhen('chat.postMessage', () => true, { unanswered: 'reset' }, 1);

    const lost = await slack.postCard('slack:C0L2', CARD, { idempotencyKey: key }).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(DeliveryError);
    expect((lost as DeliveryError).retryable).toBe(true);
    const { messageId } = await slack.postCard('slack:C0L2', CARD, { idempotencyKey: key });

    expect(fake.messages('C0L2').map((m) => m.ts)).toEqual([messageId]);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    const [lookup] = fake.callsTo('conversations.history');
    expect(lookup?.args).toMatchObject({ channel: 'C0L2', include_all_metadata: 'true', limit: '200' });
  });

  it('after a restart, cards the previous run posted are found with one read of the channel; new ones are posted', async () => {
    const before = chat(new Date(Date.now() - 60_000));
    const keys = [newId('obx'), newId('obx'), newId('obx')];
    const posted = [];
    for (const key of keys.slice(0, 2))
      posted.push(await before.postCard('slack:C0L2', CARD, { idempotencyKey: key }));
    fake.seedMessage('C0L2', { text: 'someone talking in the channel', user: 'U0BOB' });

    const after = chat(new Date(Date.now() + 1));
    const again = [];
    for (const key of keys) again.push(await after.postCard('slack:C0L2', CARD, { idempotencyKey: key }));

    expect(again.slice(0, 2)).toEqual(posted);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
    expect(fake.callsTo('conversations.history')).toHaveLength(1);
    expect([...cardsByOutboxId(fake, 'C0L2').values()]).toEqual([1, 1, 1]);
  });

  it('a first post of an entry made since the start costs no lookup', async () => {
    const slack = chat(new Date(Date.now() - 1000));
    await slack.postCard('slack:C0L2', CARD, { idempotencyKey: newId('obx') });
    expect(fake.callsTo('conversations.history')).toHaveLength(0);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('pages through a busy channel to find the card', async () => {
    const before = chat(new Date(Date.now() - 60_000));
    const key = newId('obx', new Date(Date.now() - 1000));
    const { messageId } = await before.postCard('slack:C0L2', CARD, { idempotencyKey: key });
    for (let i = 0; i < 450; i += 1) fake.seedMessage('C0L2', { text: `chatter ${i}`, user: 'U0BOB' });

    const after = chat(new Date());
    expect(await after.postCard('slack:C0L2', CARD, { idempotencyKey: key })).toEqual({ messageId });
    expect(fake.callsTo('conversations.history')).toHaveLength(3);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('when the history cannot be read for now it waits (retryable); when it never can, it posts', async () => {
    const key = newId('obx', new Date(Date.now() - 1000));
    fake.failNext('conversations.history', { status: 503 });
    const down = await chat(new Date())
      .postCard('slack:C0L2', CARD, { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ retryable: true });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);

    fake.failNext('conversations.history', { error: 'missing_scope', extra: { needed: 'groups:history' } });
    await chat(new Date()).postCard('slack:C0L2', CARD, { idempotencyKey: key });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

/**
 * The real server (`src/main.ts` in its own process, a real database) killed with SIGKILL, then
 * started again on the same database: nothing is lost and nothing is posted twice.
 */
/** Spawning, killing and restarting a process, with cards paced at Slack's one a second per channel. */
const PROCESS_TEST_MS = 60_000;

describe('SIGKILL and restart of the real process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-crash-'));
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

  /** Every escalation's recorded card is a message in its channel carrying the card's outbox id. */
  async function expectRecordedCardsMatchSlack(db: string) {
    const rows = await queryRows<{
      id: string;
      card_channel: string;
      card_message_id: string;
      outbox_id: string;
    }>(
      db,
      `select e.id, e.card_channel, e.card_message_id, o.id as outbox_id
         from escalations e join outbox o on o.kind = 'post_card' and ${jsonFieldSql(db, 'o.payload', 'escalationId')} = e.id`,
    );
    for (const row of rows) {
      const message = fake.message(row.card_channel.replace('slack:', ''), row.card_message_id);
      expect(message && outboxIdOf(message), `card of ${row.id}`).toBe(row.outbox_id);
    }
    return rows.length;
  }

  it(
    'killed while cards are being posted: after the restart every card is in its channel exactly once',
    async () => {
      const db = await databases.url();
      const policy = writeCrashPolicy(dir);
      running = await startSlackProcess({ fake, db, policy });

      // Slack takes the first card of each channel and posts it, but its answer never comes back:
      // the process dies knowing nothing of those three posts.
      const cardChannels = Object.values(PATH_CHANNELS) as string[];
      fake.failWhen(
        'chat.postMessage',
        (args) => cardChannels.includes(String(args.channel)),
        { unanswered: 'hang' },
        3,
      );
      const paths: PathName[] = ['tech', 'billing', 'security', 'tech', 'billing', 'security'];
      const threads: string[] = [];
      for (const [i, path] of paths.entries()) {
        const thread = await customerPosts(running, db, `Customer ${i + 1}: the invoice export fails`);
        await agentEscalates(running, db, thread, path, `needs ${path}, case ${i + 1}`);
        threads.push(thread);
      }
      await eventually(
        () => cardChannels.every((c) => fake.messages(c).length === 1),
        'the first card of each channel to reach Slack',
      );
      expect(await pendingOutbox(db)).toBeGreaterThan(0);
      await running.sigkill();

      running = await startSlackProcess({ fake, db, policy, port: running.port });
      await eventually(
        async () => (await pendingOutbox(db)) === 0,
        'the outbox to drain after the restart',
        20_000,
      );

      for (const channel of cardChannels) {
        const cards = cardsByOutboxId(fake, channel);
        expect([...cards.values()], `cards in ${channel}`).toEqual([1, 1]);
      }
      expect(await expectRecordedCardsMatchSlack(db)).toBe(6);
      for (const thread of threads) {
        const notes = fake
          .messages(SUPPORT)
          .filter((m) => m.thread_ts === thread && m.text.includes('Escalated'));
        expect(notes, `the "escalated" note in ${thread}`).toHaveLength(1);
      }
      // The three posts in flight at the crash were found (one read of each channel's history), the
      // three that had not started were posted.
      expect(
        fake.callsTo('chat.postMessage').filter((c) => cardChannels.includes(String(c.args.channel))),
      ).toHaveLength(6);
      expect(
        fake
          .callsTo('conversations.history')
          .map((c) => c.args.channel)
          .sort(),
      ).toEqual([...cardChannels].sort());
    },
    PROCESS_TEST_MS,
  );

  it(
    'killed in the middle of a checker tick: after the restart each overdue issue is escalated once, with one card',
    async () => {
      const issues = 8;
      const db = await databases.url();
      // Many messages per issue make each escalation's card slow enough to build that the kill
      // lands in the middle of the tick that runs at start.
      await seedOverdueIssues(db, issues, { messagesEach: 800 });
      const policy = writeCrashPolicy(dir, { slaBreach: true });
      running = await startSlackProcess({ fake, db, policy, waitUntilListening: false });
      const escalations = () => countRows(db, 'select count(*) as n from escalations');
      await eventually(
        async () => (await escalations()) >= 2,
        'the first SLA escalations of the tick',
        30_000,
      );
      await running.sigkill();

      const beforeCrash = await escalations();
      expect(beforeCrash, 'the kill landed in the middle of the tick').toBeLessThan(issues);
      expect(running.output()).not.toContain('"msg":"checker tick"');
      // Nothing half-done: an escalated issue has its card queued, its firing and its breach mark; the
      // others have none of them.
      const items = await queryRows<{
        id: string;
        escalated: number;
        cards: number;
        firings: number;
        marked: number;
      }>(
        db,
        `select i.id,
              (select count(*) from escalations e where e.issue_id = i.id) as escalated,
              (select count(*) from outbox o where o.kind = 'post_card'
                 and ${jsonFieldSql(db, 'o.payload', 'escalationId')} in (select id from escalations e where e.issue_id = i.id)) as cards,
              (select count(*) from trigger_firings f where f.issue_id = i.id) as firings,
              (case when i.first_response_breached_at is not null then 1 else 0 end) as marked
         from issues i`,
      );
      for (const item of items) {
        const done = item.escalated === 1;
        expect(item, item.id).toMatchObject(
          done ? { cards: 1, firings: 1, marked: 1 } : { escalated: 0, cards: 0, firings: 0, marked: 0 },
        );
      }

      running = await startSlackProcess({ fake, db, policy, port: running.port });
      expect(running.output()).toContain(`"slaBreaches":${issues - beforeCrash}`);
      await eventually(
        async () => (await pendingOutbox(db)) === 0,
        'every card and note to be delivered',
        40_000,
      );

      const perIssue = await queryRows<{ n: number }>(
        db,
        'select count(*) as n from escalations group by issue_id',
      );
      expect(perIssue.map((r) => r.n)).toEqual(Array(issues).fill(1));
      expect([...cardsByOutboxId(fake, PATH_CHANNELS.tech).values()]).toEqual(Array(issues).fill(1));
      expect(await expectRecordedCardsMatchSlack(db)).toBe(issues);
      const notes = fake.messages(SUPPORT).filter((m) => m.text.includes('Escalated'));
      expect(new Set(notes.map((m) => m.thread_ts)).size).toBe(issues);
      expect(notes).toHaveLength(issues);
    },
    PROCESS_TEST_MS,
  );
});
