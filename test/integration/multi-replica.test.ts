import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/core/database-project.js';
import { readOutbox } from '../support/core/outbox-rows.js';
import { countRows, jsonFieldSql, queryRows } from '../support/core/raw-database.js';
import {
  createPostgresTestDatabase,
  describePostgres,
  type PostgresTestDatabase,
} from '../support/core/test-database.js';
import {
  checkerLeases,
  claimsHeldBy,
  expireClaimsOf,
  replicaNamed,
  sigkillBetweenDeliveries,
  startReplicas,
} from '../support/process/replicas.js';
import {
  agentEscalates,
  customerPosts,
  PATH_CHANNELS,
  SIGNING_SECRET,
  type SlackProcess,
  SUPPORT,
  seedOverdueIssues,
  writeCrashPolicy,
} from '../support/process/slack-process.js';
import {
  appMentionEvent,
  blockAction,
  cardsByOutboxId,
  type FakeSlackApi,
  messageEvent,
  type SlackEventEnvelope,
  sendEvent,
  sendInteraction,
  slackTs,
  startFakeSlackApi,
  viewSubmission,
} from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import { SlackMembers } from '../support/story/slack-members.js';

/** The policy's `checker: { every: 5s }`. */
const CHECKER_MS = 5_000;
/**
 * Three processes to start, a busy checker tick, a story, and cards paced at one a second per
 * channel: about 30 s on a quiet machine; the rest is headroom for one busy with other tests.
 */
const REPLICAS_TEST_MS = 90_000;
const CUSTOMER = { user: 'U0CUSTOMER', team: 'T0CUSTOMER' };
const AGENT = 'U0ALICE';
/** Both are members of the tech path's channel (`SlackMembers`), so both may claim there. */
const SPECIALISTS = ['U0BOB', 'U0CAROL'] as const;
const TECH = PATH_CHANNELS.tech;

/**
 * Several replicas of the real server (`src/main.ts`, each in its own process) on one PostgreSQL
 * database and one Slack app: Slack spreads events and clicks over them and retries an event on
 * another, replicas die, and still everything happens once. Runs once, in the SQLite project's
 * pass, on a PostgreSQL database of its own.
 */
describe.skipIf(onPostgres)('several replicas on one PostgreSQL database', () => {
  describePostgres('replicas of the real process', () => {
    let dir: string;
    let database: PostgresTestDatabase;
    let fake: FakeSlackApi;
    let replicas: SlackProcess[] = [];
    beforeEach(async () => {
      database = await createPostgresTestDatabase();
      fake = await startFakeSlackApi({ wallClockTs: true });
      SlackMembers.of(fake);
    });
    afterEach(async () => {
      for (const replica of replicas) replica.child.kill('SIGKILL');
      await Promise.all(replicas.map((r) => r.exited));
      replicas = [];
      await fake.close();
      await database.drop();
    });
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'escalator-replicas-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const db = () => database.url;
    const escalationCount = () => countRows(db(), 'select count(*) as n from escalations');
    const unsettledOutbox = () =>
      countRows(db(), "select count(*) as n from outbox where status <> 'delivered'");
    const send = (to: SlackProcess, envelope: SlackEventEnvelope, retryNum?: number) =>
      sendEvent(to.eventsUrl, SIGNING_SECRET, envelope, retryNum ? { retryNum } : {});

    /** Each escalation's recorded card is the message in its channel that carries its outbox id. */
    async function expectRecordedCardsMatchSlack(): Promise<number> {
      const rows = await queryRows<{
        id: string;
        card_channel: string;
        card_message_id: string;
        outbox_id: string;
      }>(
        db(),
        `select e.id, e.card_channel, e.card_message_id, o.id as outbox_id
           from escalations e join outbox o on o.kind = 'post_card' and ${jsonFieldSql(db(), 'o.payload', 'escalationId')} = e.id`,
      );
      for (const row of rows) {
        const message = fake.message(row.card_channel.replace('slack:', ''), row.card_message_id);
        expect(message?.metadata, `card of ${row.id}`).toMatchObject({
          event_payload: { outbox_id: row.outbox_id },
        });
      }
      return rows.length;
    }

    /**
     * Kills the replica running the checker tick that found `issues` overdue issues, in the middle
     * of it; resolves with the moment of the kill.
     */
    async function killTheBusyChecker(issues: number) {
      const lease = await eventually(
        async () => {
          if ((await escalationCount()) === 0) return undefined;
          return (await checkerLeases(db())).at(-1);
        },
        'the first SLA escalations of a checker tick',
        2 * CHECKER_MS + 5_000,
      );
      const victim = replicaNamed(replicas, lease.holder);
      if (!victim) throw new Error(`the checker lease is held by ${lease.holder}, none of the replicas`);
      await sigkillBetweenDeliveries(victim, lease.holder, db());
      const killedAt = Date.now();
      expect(await escalationCount(), 'the kill landed in the middle of the tick').toBeLessThan(issues);
      // A claim sent just before the process stopped may have reached the database after it was
      // looked at; it would wait for its expiry (call timeout + 30 s), which this test has no time for.
      await expireClaimsOf(db(), lease.holder);
      return { victim, victimName: lease.holder, killedAt };
    }

    /** Sends `event` to two replicas at the same moment, the second copy as Slack's retry of the first. */
    async function sendToBothAtOnce(event: SlackEventEnvelope, first: SlackProcess, second: SlackProcess) {
      const responses = await Promise.all([send(first, event), send(second, event, 1)]);
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
    }

    /** A click on a card's button, as Slack sends it to the replica it picked. */
    function click(to: SlackProcess, user: string, action: string, cardTs: string) {
      return sendInteraction(
        to.eventsUrl,
        SIGNING_SECRET,
        blockAction({
          actionId: `escalator:${action}`,
          channel: TECH,
          user,
          message: fake.message(TECH, cardTs) as unknown as Record<string, unknown>,
          messageTs: cardTs,
        }),
      );
    }

    /** The private replies Slack showed `user`. */
    function repliesTo(user: string): string[] {
      return fake
        .callsTo('chat.postEphemeral')
        .filter((c) => !c.failed && c.args.user === user)
        .map((c) => String(c.args.text));
    }

    /** The escalation of a thread, once its card is posted. */
    function postedEscalationOf(thread: string) {
      return eventually(
        async () =>
          (
            await queryRows<{ id: string; number: number; card_message_id: string }>(
              db(),
              `select e.id, e.number, e.card_message_id from escalations e join issues i on i.id = e.issue_id
                where i.thread_id = ? and e.card_message_id is not null`,
              thread,
            )
          )[0],
        `the card of thread ${thread}`,
        15_000,
      );
    }

    /** Resolves the escalation: the button clicked on one replica, the form submitted on another. */
    async function resolveAcross(
      escalationId: string,
      cardTs: string,
      who: string,
      clickedOn: SlackProcess,
      submittedOn: SlackProcess,
    ) {
      expect((await click(clickedOn, who, 'resolve', cardTs)).status).toBe(200);
      const form = await fake.waitFor('views.open', undefined, 10_000);
      const view = form.args.view as { callback_id: string; private_metadata: string };
      const submitted = await sendInteraction(
        submittedOn.eventsUrl,
        SIGNING_SECRET,
        viewSubmission({
          callbackId: view.callback_id,
          privateMetadata: view.private_metadata,
          user: who,
          values: {
            note: { value: 'Raised the export limit' },
            root_cause: { value: { select: 'system_issue' } },
          },
        }),
      );
      expect(submitted.status).toBe(200);
      await eventually(
        async () =>
          (await countRows(
            db(),
            "select count(*) as n from escalations where id = ? and status = 'resolved'",
            escalationId,
          )) === 1,
        'the resolution',
      );
    }

    /**
     * What Slack and the database show once everything settled: each escalation's card in its channel
     * once (by the outbox id it carries), every note queued for a thread in it once, each escalation
     * opened once and `changed` ones through exactly the given transitions, one escalation per issue.
     */
    async function expectEverythingOnce(escalations: number, changed: Record<string, string[]>) {
      const outbox = await readOutbox(db());
      const cardEntries = outbox.filter((o) => o.effect.kind === 'post_card').map((o) => o.id);
      const cardsInSlack = Object.values(PATH_CHANNELS).flatMap((c) => [...cardsByOutboxId(fake, c)]);
      expect(cardsInSlack.map(([id]) => id).sort(), 'cards in Slack').toEqual([...cardEntries].sort());
      expect(
        cardsInSlack.filter(([, n]) => n !== 1),
        'cards posted more than once',
      ).toEqual([]);
      expect(cardEntries).toHaveLength(escalations);
      expect(await expectRecordedCardsMatchSlack()).toBe(escalations);

      // Notes and CSAT prompts: what was queued for a thread is what the thread shows.
      const threads = await queryRows<{ thread_id: string }>(db(), 'select thread_id from issues');
      for (const { thread_id } of threads) {
        const queued = outbox.filter((o) => 'thread' in o.effect && o.effect.thread.threadId === thread_id);
        const posted = fake.messages(SUPPORT).filter((m) => m.thread_ts === thread_id && m.ts !== thread_id);
        expect(posted, `notes in thread ${thread_id}`).toHaveLength(queued.length);
        expect(new Set(posted.map((m) => m.text)).size, `distinct notes in ${thread_id}`).toBe(posted.length);
      }

      const events = await queryRows<{ escalation_id: string; action: string }>(
        db(),
        'select escalation_id, action from escalation_events order by at',
      );
      const rows = await queryRows<{ id: string; issue_id: string }>(
        db(),
        'select id, issue_id from escalations',
      );
      for (const { id } of rows) {
        const actions = events.filter((e) => e.escalation_id === id).map((e) => e.action);
        expect(actions, `transitions of ${id}`).toEqual(changed[id] ?? ['open']);
      }
      expect(new Set(rows.map((e) => e.issue_id)).size, 'one escalation per issue').toBe(escalations);
      expect(new Set(threads.map((t) => t.thread_id)).size, 'one issue per thread').toBe(threads.length);
      expect(threads).toHaveLength(escalations);
    }

    it(
      'events retried on another replica, a Claim race across replicas and a replica killed mid-tick: everything happens exactly once',
      async () => {
        const policy = writeCrashPolicy(dir, { slaBreach: true });
        replicas = await startReplicas(3, { fake, db: db(), policy });

        // 1. While Escalator was down nobody answered these threads: the next checker tick escalates
        // them (slowly: each card summarises hundreds of messages), and its replica dies midway.
        const overdue = 8;
        await seedOverdueIssues(db(), overdue, { messagesEach: 400 });
        const { victim, victimName, killedAt } = await killTheBusyChecker(overdue);
        const survivors = replicas.filter((r) => r !== victim);

        // The next slot goes to a survivor, which finishes the work within about one interval.
        await eventually(
          async () => (await escalationCount()) === overdue,
          'the survivors to escalate the rest of the overdue issues',
          CHECKER_MS + 5_000,
        );
        const after = (await checkerLeases(db())).filter((l) => l.slotMs > killedAt);
        expect(after.length, 'checker runs after the kill').toBeGreaterThan(0);
        for (const lease of after) expect(replicaNamed(survivors, lease.holder), lease.key).toBeDefined();
        expect(after[0]!.slotMs - killedAt).toBeLessThanOrEqual(CHECKER_MS);

        // 2. The story, spread over the survivors. Slack retries an event on another replica while
        // the first still handles it: the customer's first post and a reply arrive twice at once.
        const [a, b] = survivors as [SlackProcess, SlackProcess];
        const thread = slackTs();
        const messages = [
          messageEvent({
            channel: SUPPORT,
            ...CUSTOMER,
            ts: thread,
            text: 'Our invoices export fails with E4012',
          }),
          messageEvent({
            channel: SUPPORT,
            ...CUSTOMER,
            threadTs: thread,
            text: 'It fails for every invoice over $10,000, order #88123 included',
          }),
          messageEvent({
            channel: SUPPORT,
            user: AGENT,
            team: 'T0HOME',
            threadTs: thread,
            text: 'Looking into it.',
          }),
        ] as const;
        await sendToBothAtOnce(messages[0], a, b);
        await sendToBothAtOnce(messages[1], b, a);
        expect((await send(a, messages[2])).status).toBe(200);
        const other = await customerPosts(b, db(), 'Refund for order #88200 never arrived');

        // The agent escalates both threads; the mention in the first arrives on both replicas at once.
        const mention = appMentionEvent({
          channel: SUPPORT,
          user: AGENT,
          threadTs: thread,
          text: '<@U0BOT> escalate to tech export broken for big invoices',
        });
        await sendToBothAtOnce(mention, a, b);
        await agentEscalates(a, db(), other, 'billing', 'refund missing');
        const escalation = await postedEscalationOf(thread);
        const cardTs = escalation.card_message_id;

        // 3. Two specialists click Claim on the card at the same moment, each on another replica.
        const clicks = await Promise.all([
          click(a, SPECIALISTS[0], 'claim', cardTs),
          click(b, SPECIALISTS[1], 'claim', cardTs),
        ]);
        expect(clicks.map((r) => r.status)).toEqual([200, 200]);
        const winner = await eventually(
          async () =>
            (
              await queryRows<{ claimed_by: string | null }>(
                db(),
                'select claimed_by from escalations where id = ?',
                escalation.id,
              )
            )[0]?.claimed_by,
          'the claim',
        );
        const winnerId = winner.replace('slack:', '');
        const loserId = SPECIALISTS.find((s) => s !== winnerId)!;
        expect(SPECIALISTS).toContain(winnerId);
        const told = await eventually(
          () => (repliesTo(loserId).length > 0 ? repliesTo(loserId) : undefined),
          'the answer to whoever lost the race',
          10_000,
        );
        expect(told).toEqual([
          `Escalation #${escalation.number} is already claimed by <@${winnerId}>; you cannot claim it.`,
        ]);
        // Each escalation was confirmed to the agent once, the one whose mention came twice included.
        expect(repliesTo(AGENT)).toHaveLength(2);
        expect(repliesTo(AGENT).filter((t) => t.toLowerCase().includes('already escalated'))).toEqual([]);

        const winnerOn = winnerId === SPECIALISTS[0] ? a : b;
        await resolveAcross(escalation.id, cardTs, winnerId, winnerOn, winnerOn === a ? b : a);

        // 4. Once things settle nothing is left pending, and everything happened exactly once.
        await eventually(
          async () => (await unsettledOutbox()) === 0,
          'every card and note to be delivered',
          30_000,
        );
        expect(await claimsHeldBy(db(), victimName)).toEqual([]);
        await expectEverythingOnce(overdue + 2, { [escalation.id]: ['open', 'claim', 'resolve'] });
        // One message row per Slack message, counted once however often it was delivered.
        for (const { event } of messages) {
          expect(
            await countRows(
              db(),
              'select count(*) as n from messages where channel = ? and message_id = ?',
              `slack:${SUPPORT}`,
              event.ts,
            ),
            `message ${event.ts}`,
          ).toBe(1);
        }
        const storyIssue = await queryRows<{ message_count: number }>(
          db(),
          'select message_count from issues where thread_id = ?',
          thread,
        );
        expect(storyIssue).toEqual([{ message_count: messages.length }]);
      },
      REPLICAS_TEST_MS,
    );

    /**
     * Slack may have a card whose post a replica never heard back about; the retry must find it
     * instead of posting it again, on whichever replica the retry happens.
     */
    it(
      'a card post Slack took without the replica hearing of it, retried by another replica, is in the channel once',
      async () => {
        replicas = await startReplicas(2, { fake, db: db(), policy: writeCrashPolicy(dir) });
        const [a, b] = replicas as [SlackProcess, SlackProcess];
        const cardEntry = (thread: string) =>
          eventually(
            async () =>
              (
                await queryRows<{ id: string; claimed_by: string | null; status: string }>(
                  db(),
                  `select o.id, o.claimed_by, o.status from outbox o
                     join escalations e on ${jsonFieldSql(db(), 'o.payload', 'escalationId')} = e.id
                     join issues i on i.id = e.issue_id
                    where o.kind = 'post_card' and i.thread_id = ?`,
                  thread,
                )
              )[0],
            `the card entry of thread ${thread}`,
          );

        // Lost answer: Slack posts the card and the connection drops before its answer. The replica
        // that sent it is paused (a long GC, a starved VM) when the retry falls due, so the other one retries.
        fake.failWhen('chat.postMessage', (args) => args.channel === TECH, { unanswered: 'reset' }, 1);
        const first = await customerPosts(a, db(), 'Every API call answers 500 since the deploy');
        await agentEscalates(b, db(), first, 'tech', 'API down for this customer');
        const lost = await cardEntry(first);
        const sender = await eventually(
          () => replicas.find((r) => r.output().includes(`"outboxId":"${lost.id}"`)),
          'the replica that lost the answer to say it will retry',
          10_000,
        );
        sender.child.kill('SIGSTOP');
        try {
          await eventually(
            async () => (await cardEntry(first)).status === 'delivered',
            'the other replica to retry the card',
            15_000,
          );
        } finally {
          sender.child.kill('SIGCONT');
        }
        await eventually(async () => (await unsettledOutbox()) === 0, 'the rest to be delivered', 15_000);
        expect([...cardsByOutboxId(fake, TECH)], 'cards after a lost answer').toEqual([[lost.id, 1]]);

        // Crash mid-call: Slack posts the card but never answers, and the replica waiting for the
        // answer dies. Once its claim runs out, the other replica delivers the entry.
        fake.failWhen('chat.postMessage', (args) => args.channel === TECH, { unanswered: 'hang' }, 1);
        const second = await customerPosts(b, db(), 'The dashboard shows no data for March');
        await agentEscalates(a, db(), second, 'tech', 'missing dashboard data');
        await eventually(
          () =>
            fake
              .callsTo('chat.postMessage')
              .some((c) => c.fault && 'unanswered' in c.fault && c.fault.unanswered === 'hang'),
          'Slack to take the second card',
          10_000,
        );
        const stuck = await eventually(
          async () => ((await cardEntry(second)).claimed_by ? cardEntry(second) : undefined),
          'the claim of the replica posting the card',
        );
        const holder = replicaNamed(replicas, stuck.claimed_by!);
        expect(holder, stuck.claimed_by!).toBeDefined();
        await holder!.sigkill();
        await expireClaimsOf(db(), stuck.claimed_by!);
        await eventually(
          async () => (await unsettledOutbox()) === 0,
          'the survivor to deliver the card',
          15_000,
        );
        expect([...cardsByOutboxId(fake, TECH)].sort(), 'cards after a crash mid-call').toEqual(
          [
            [lost.id, 1],
            [stuck.id, 1],
          ].sort(),
        );
        expect(await expectRecordedCardsMatchSlack()).toBe(2);
      },
      REPLICAS_TEST_MS,
    );
  });
});
