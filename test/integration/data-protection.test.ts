/**
 * Data protection in a running Escalator: secrets stay out of the logs of the real process, and
 * the daily retention job purges old words from a real database while every metric stays.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import cron from 'node-cron';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { claimEscalation, resolveEscalation } from '../../src/app/act-on-escalation.js';
import { buildDigestReport } from '../../src/app/digest/build-report.js';
import { dismissEscalation } from '../../src/app/dismiss-escalation.js';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import { purgeMessageText } from '../../src/app/purge-message-text.js';
import { recordCsat } from '../../src/app/record-csat.js';
import { runCheckerTick } from '../../src/app/run-checker-tick.js';
import { trackMessage } from '../../src/app/track-message.js';
import { createRetentionRepository } from '../../src/db/sqlite/retention-repository.js';
import * as schema from '../../src/db/sqlite/schema.js';
import { isoWeekContaining, weekBefore } from '../../src/domain/digest/period.js';
import type { Author, Issue } from '../../src/domain/issue.js';
import type { Policy } from '../../src/domain/policy.js';
import { RetentionJob } from '../../src/jobs/retention-schedule.js';
import { onPostgres, SQLITE_ONLY } from '../support/core/database-project.js';
import { incoming, people } from '../support/core/fixtures.js';
import { type FreshDatabase, freshDatabaseUrl } from '../support/core/fresh-database.js';
import { runStatement } from '../support/core/raw-database.js';
import { createTempSqliteStore } from '../support/core/temp-store.js';
import { createTestContext, examplePolicy, type TestContext } from '../support/core/test-context.js';
import { everyStoredValue, rowsOf, tracesOf } from '../support/data-protection/stored-data.js';
import { freePort, type SpawnedEscalator, spawnEscalator } from '../support/process/spawn-escalator.js';
import { type FakeSocketMode, startFakeSocketMode } from '../support/slack/fake-socket-mode.js';
import { type FakeSlackApi, messageEvent, slackTs, startFakeSlackApi } from '../support/slack/index.js';
import { RecordingLogger } from '../support/teams/recording-logger.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

describe('a running Escalator never logs its secrets', () => {
  const SECRETS = {
    SLACK_BOT_TOKEN: 'xoxb-2222222222-3333333333-ProcessBotTokenValue',
    SLACK_APP_TOKEN: 'xapp-1-A0ESCALATOR-4444444444-processapptokenvalue0123456789',
    SLACK_SIGNING_SECRET: '0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a',
    TEAMS_APP_PASSWORD: 'Pr0cess~Teams.App_Password-value',
    SUMMARY_API_KEY: 'sk-process-summary-api-key-value',
    VENDOR_HOOK_SECRET: 'whsec_process_vendor_hook_secret',
  };
  /** Slack's legacy verification token, in every event payload: a credential we never configured. */
  const VERIFICATION_TOKEN = 'PrOcEsSvErIfIcAtIoNtOkEn';

  let database: FreshDatabase;
  let fake: FakeSlackApi;
  let socket: FakeSocketMode;
  let running: SpawnedEscalator | undefined;
  beforeAll(async () => {
    database = await freshDatabaseUrl();
    fake = await startFakeSlackApi();
    socket = await startFakeSocketMode(fake, { appToken: SECRETS.SLACK_APP_TOKEN });
  });
  afterAll(async () => {
    running?.child.kill('SIGKILL');
    await running?.exited;
    await socket.close();
    await fake.close();
    await database?.cleanup();
  });

  it('at debug level, with every secret set, while Socket Mode logs whole payloads, and through shutdown', async () => {
    running = spawnEscalator({
      ...SECRETS,
      PORT: String(await freePort()),
      DATABASE_URL: database.url,
      SLACK_API_URL: fake.url,
      TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555',
      SUMMARY_API_URL: 'http://127.0.0.1:9/v1',
      SUMMARY_MODEL: 'gpt-4o-mini',
      LOG_LEVEL: 'debug',
    });
    await running.waitForOutput('Escalator listening');
    await socket.waitForConnection();
    const event = messageEvent({
      channel: 'C0SUPPORT',
      user: 'U0CUSTOMER',
      team: 'T0CUSTOMER',
      text: 'Checkout fails with E42',
      ts: slackTs(),
    });
    await socket.send({ type: 'events_api', payload: { ...event, token: VERIFICATION_TOKEN } });
    await running.waitForOutput('issue opened');
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);

    const output = running.output();
    // The payload was logged (Socket Mode debug output), with its token blanked.
    expect(output).toContain('Received a message on the WebSocket');
    expect(output).toContain('Checkout fails with E42');
    expect(tracesOf(output, [...Object.values(SECRETS), VERIFICATION_TOKEN])).toEqual([]);
  });
});

/** The example policy with a Teams support channel too: words arrive from both platforms. */
const TEAMS_SUPPORT = 'teams:19:support@thread.tacv2';
function twoPlatformPolicy(): Policy {
  const policy = examplePolicy();
  return {
    ...policy,
    supportChannels: [...policy.supportChannels, { channel: TEAMS_SUPPORT, path: 'tech' }],
    staff: { ...policy.staff, teamsTenantIds: ['tenant-home'] },
  };
}

const teamsCustomer: Author = { id: 'teams:00000000-0000-4000-8000-0000000000c7', teamId: 'tenant-customer' };
const slackCustomers: Author[] = ['UCUSTA', 'UCUSTB', 'UCUSTC'].map((id) => ({
  id: `slack:${id}`,
  teamId: 'T0CUSTOMER',
}));

/** Words written before the cutoff: none may be left anywhere after the purge. */
const OLD = {
  slackCustomer: 'My invoice export fails with error E42, order OLDORDER-7731',
  staffReply: 'Looking into E42 for you, OLDSTAFF-1212',
  teamsCustomer: 'I want to speak to your manager about refund OLDREFUND-R9 right now',
  reason: 'Export bug OLDREASON-55, needs engineering',
  note: 'Patched the exporter OLDNOTE-66',
  dismissal: 'Just venting OLDDISMISS-77',
  aiSummary: 'The customer OLDAI-88 cannot export invoices',
  systemic: 'Checkout page returns error 500 when paying by card SYSCHK',
};
/**
 * Staff-written knowledge from an old resolution: the note and the reusable answer kept as a
 * knowledge entry (and quoted by later cards as a similar past escalation) stay, as knowledge.
 */
const OLD_FIX_ANSWER = 'Clear the exporter cache under Settings, then export again';

/** Words of an escalation someone still works on, and of recent threads: they stay. */
const KEPT = {
  activeReason: 'Still investigating ACTIVEREASON-99',
  recentCustomer: 'New problem RECENTTEXT-11 with the API',
  recentNote: 'Fixed RECENTNOTE-22',
};

describe('retention: the daily job purges old words, every metric stays', () => {
  let world: TestContext;
  let start: Date;
  const expectedPurge = { messages: 0 };

  async function post(author: Author, text: string, options: { channel?: string; thread?: Issue } = {}) {
    const result = await trackMessage(
      world.ctx,
      incoming(world.ctx, {
        author,
        text,
        channel: options.channel ?? options.thread?.channel,
        ...(options.thread ? { threadId: options.thread.threadId } : {}),
      }),
    );
    if (result.outcome !== 'tracked') throw new Error(`not tracked: ${result.reason}`);
    expectedPurge.messages += 1;
    return result.issue;
  }
  const staff = (who: { id: string }) => ({ actor: who.id, source: 'slack' as const });

  beforeAll(async () => {
    start = new Date('2026-01-06T00:00:00.000Z'); // Tuesday 11:00 in Sydney, ISO week 2026-W02
    world = await createTestContext({ start, policy: twoPlatformPolicy() });
    const { ctx, clock } = world;

    // A Slack thread escalated by hand, claimed, resolved with a note, rated, with an AI summary.
    const invoice = await post(people.customer, OLD.slackCustomer);
    clock.advance(MINUTE);
    await post(people.agent, OLD.staffReply, { thread: invoice });
    const manual = await escalateIssue(ctx, {
      issueId: invoice.id,
      reason: OLD.reason,
      actor: people.agent.id,
      source: 'slack',
      reasonCategory: 'knowledge_gap',
    });
    await ctx.store.transaction(async (tx) => {
      const e = (await tx.escalations.get(manual.id))!;
      await tx.escalations.update({ ...e, aiSummary: OLD.aiSummary, version: e.version + 1 }, e.version);
    });
    clock.advance(12 * MINUTE);
    await claimEscalation(ctx, manual.id, staff(people.specialist));
    clock.advance(40 * MINUTE);
    await resolveEscalation(ctx, manual.id, staff(people.specialist), {
      note: OLD.note,
      rootCause: 'system_issue',
      answer: OLD_FIX_ANSWER,
    });
    await recordCsat(ctx, {
      escalationId: manual.id,
      score: 4,
      respondent: people.customer.id,
      source: 'slack',
    });

    // A Teams customer asks for a manager: the checker escalates with their words as evidence; the
    // lead closes it as not an escalation, with a reason.
    clock.advance(MINUTE);
    await post(teamsCustomer, OLD.teamsCustomer, { channel: TEAMS_SUPPORT });
    await runCheckerTick(ctx);
    const [managerRequest] = await ctx.store.escalations.listOpen(10);
    expect(managerRequest).toMatchObject({ trigger: 'manager_request' });
    await dismissEscalation(ctx, managerRequest!.id, staff(people.lead), { reason: OLD.dismissal });

    // Three customers report the same problem: a systemic escalation, resolved.
    for (const [i, customer] of slackCustomers.entries()) {
      clock.advance(MINUTE);
      await post(customer, `${OLD.systemic} ${i}`);
    }
    await runCheckerTick(ctx);
    const systemic = (await ctx.store.escalations.listOpen(10)).find((e) => e.trigger === 'systemic')!;
    expect(systemic.evidence.details?.join(' ')).toContain('SYSCHK');
    await claimEscalation(ctx, systemic.id, staff(people.engineer));
    clock.advance(30 * MINUTE);
    await resolveEscalation(ctx, systemic.id, staff(people.engineer), {
      note: 'Payment gateway restarted',
      rootCause: 'system_issue',
    });

    // An escalation someone is still working on, months later.
    const stuck = await post(people.otherCustomer, 'Export hangs since Monday');
    const active = await escalateIssue(ctx, {
      issueId: stuck.id,
      reason: KEPT.activeReason,
      actor: people.agent.id,
      source: 'slack',
    });
    await claimEscalation(ctx, active.id, staff(people.specialist));
    await ctx.store.digests.claim({
      id: 'dig_w02',
      period: '2026-W02',
      scope: 'all',
      channels: ['slack:C0LEADS'],
      sentAt: clock.now(),
    });

    // Months later: a new thread, escalated and resolved.
    clock.set(new Date(start.getTime() + 100 * DAY));
    const recent = await post(people.customer, KEPT.recentCustomer);
    expectedPurge.messages -= 1;
    const fresh = await escalateIssue(ctx, {
      issueId: recent.id,
      reason: 'API question',
      actor: people.agent.id,
      source: 'slack',
    });
    await resolveEscalation(ctx, fresh.id, staff(people.specialist), {
      note: KEPT.recentNote,
      rootCause: 'knowledge_gap',
    });
    // Every card and note went out long ago.
    await runStatement(world.dbUrl, "update outbox set status = 'delivered', delivered_at = created_at");
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  const OLD_WEEK = () => isoWeekContaining(start, world.policy.timezone);
  const report = () =>
    buildDigestReport(world.store, {
      period: OLD_WEEK(),
      previousPeriod: weekBefore(OLD_WEEK(), world.policy.timezone),
      path: null,
      timeZone: world.policy.timezone,
      now: world.clock.now(),
    });
  /** The rows metrics are made of, without the words retention may remove. */
  const metricRows = async () => ({
    issues: await rowsOf(world.dbUrl, 'issues'),
    escalations: await rowsOf(world.dbUrl, 'escalations', [
      'evidence',
      'reason',
      'resolution_note',
      'bounce_reason',
      'status_note',
      'ai_summary',
      'text_purged_at',
    ]),
    events: await rowsOf(world.dbUrl, 'escalation_events', ['detail']),
    csat: await rowsOf(world.dbUrl, 'csat_responses'),
    digests: await rowsOf(world.dbUrl, 'digests'),
    messages: await rowsOf(world.dbUrl, 'messages', ['text', 'text_purged_at']),
    firings: await rowsOf(world.dbUrl, 'trigger_firings'),
    feedback: await rowsOf(world.dbUrl, 'trigger_feedback', ['matched', 'reason']),
    systemicMembers: await rowsOf(world.dbUrl, 'systemic_members'),
    knowledge: await rowsOf(world.dbUrl, 'knowledge_entries', ['problem']),
  });
  /** Staff-written knowledge, kept on purpose (checked on its own below). */
  const STAFF_KNOWLEDGE = { knowledge_entries: ['resolution_note', 'answer'] };

  it('one tick (as at start or at 03:17): old words are gone everywhere, recent and active ones stay, and the digest of the purged week is identical', async () => {
    const before = { report: await report(), rows: await metricRows() };
    const stored = await everyStoredValue(world.dbUrl);
    expect(tracesOf(stored, Object.values(OLD))).toEqual(Object.values(OLD)); // the seed wrote them all

    const log = new RecordingLogger();
    await new RetentionJob(world.ctx, log).tick();

    expect(tracesOf(await everyStoredValue(world.dbUrl, STAFF_KNOWLEDGE), Object.values(OLD))).toEqual([]);
    expect(tracesOf(await everyStoredValue(world.dbUrl), Object.values(KEPT))).toEqual(Object.values(KEPT));
    expect(await report()).toEqual(before.report);
    expect(await metricRows()).toEqual(before.rows);

    const [line] = log.at('info');
    expect(line?.msg).toBe('retention purge');
    expect(line?.obj).toMatchObject({
      cutoff: new Date(world.clock.now().getTime() - 90 * DAY).toISOString(),
      messages: expectedPurge.messages,
      escalations: 3, // the manual, manager-request and systemic ones; not the claimed one
      triggerHits: 2, // the manager request and the systemic hit
    });
  });

  it('what the purge left: messages keep author and time, escalations say words were removed, system notes stay', async () => {
    const messages = await rowsOf(world.dbUrl, 'messages');
    const old = messages.filter((m) => (m.sent_at as number) < start.getTime() + 50 * DAY);
    expect(old.length).toBeGreaterThan(0);
    for (const m of old) expect(m).toMatchObject({ text: '', text_purged_at: expect.any(Number) });

    const escalations = await Promise.all(
      (await rowsOf(world.dbUrl, 'escalations')).map((row) => world.store.escalations.get(row.id as string)),
    );
    const byTrigger = (trigger: string, status: string) =>
      escalations.find((e) => e?.trigger === trigger && e.status === status)!;
    expect(byTrigger('manual', 'resolved')).toMatchObject({
      reason: '(removed)',
      resolutionNote: '(removed)',
      aiSummary: null,
      rootCause: 'system_issue',
    });
    expect(byTrigger('manager_request', 'dismissed')).toMatchObject({
      evidence: { summary: "Manager request (the customer's words were removed)" },
      statusNote: null,
    });
    // Its summary quotes nobody and is what the digest shows for the cluster: it stays.
    expect(byTrigger('systemic', 'resolved').evidence).toEqual({
      summary: '3 customers report a similar problem within 1h',
      cluster: expect.any(Array),
    });
    expect(byTrigger('manual', 'claimed').reason).toBe(KEPT.activeReason);

    // Delivered cards and notes from before the cutoff are deleted; the recent thread's stay.
    const cutoff = world.clock.now().getTime() - 90 * DAY;
    const outbox = await rowsOf(world.dbUrl, 'outbox');
    expect(outbox.length).toBeGreaterThan(0);
    for (const entry of outbox) expect(entry.created_at).toBeGreaterThanOrEqual(cutoff);
  });

  it("old resolutions kept as knowledge lose the customer's words and the reason; the staff's note and answer stay; recent ones keep everything", async () => {
    const cutoff = world.clock.now().getTime() - 90 * DAY;
    const entries = await rowsOf(world.dbUrl, 'knowledge_entries');
    const old = entries.filter((e) => (e.resolved_at as number) < cutoff);
    const recent = entries.filter((e) => (e.resolved_at as number) >= cutoff);
    // The manual and the systemic resolutions, and the recent one.
    expect(old).toHaveLength(2);
    for (const entry of old) expect(entry.problem).toBe('');
    expect(old.find((e) => e.resolution_note === OLD.note)).toMatchObject({ answer: OLD_FIX_ANSWER });
    expect(recent).toEqual([
      expect.objectContaining({
        problem: `${KEPT.recentCustomer}\nAPI question`,
        resolution_note: KEPT.recentNote,
      }),
    ]);
    // What a later "before you escalate" shows of the old fix is the staff's answer.
    const [kept] = await world.store.knowledge.listAnswers();
    expect(kept).toMatchObject({ problem: '', answer: OLD_FIX_ANSWER, resolutionNote: OLD.note });
  });

  it('a second run finds nothing left to do', async () => {
    const run = await purgeMessageText(world.ctx);
    expect(run).toMatchObject({
      messages: 0,
      escalations: 0,
      eventDetails: 0,
      outboxEntries: 0,
      triggerHits: 0,
    });
  });
});

describe('retention in batches, and without a retention setting', () => {
  let world: TestContext | undefined;
  afterEach(async () => {
    await world?.cleanup();
    world = undefined;
  });

  it('a backlog larger than a batch is purged completely, one batch per transaction', async () => {
    world = await createTestContext({ start: '2026-01-06T00:00:00.000Z' });
    for (let i = 0; i < 7; i += 1) {
      world.clock.advance(MINUTE);
      await trackMessage(world.ctx, incoming(world.ctx, { author: people.customer, text: `backlog ${i}` }));
    }
    world.clock.advance(91 * DAY);
    const run = await purgeMessageText(world.ctx, 3);
    expect(run?.messages).toBe(7);
    expect(tracesOf(await everyStoredValue(world.dbUrl), ['backlog'])).toEqual([]);
  });

  it('a policy without retention.messageText keeps text forever and schedules nothing', async () => {
    const policy = { ...examplePolicy(), retention: {} };
    world = await createTestContext({ start: '2026-01-06T00:00:00.000Z', policy });
    await trackMessage(world.ctx, incoming(world.ctx, { author: people.customer, text: 'keep me' }));
    world.clock.advance(3650 * DAY);
    expect(await purgeMessageText(world.ctx)).toBeUndefined();
    expect(tracesOf(await everyStoredValue(world.dbUrl), ['keep me'])).toEqual(['keep me']);
  });
});

describe('the daily schedule', () => {
  let world: TestContext | undefined;
  afterEach(async () => {
    await world?.cleanup();
    world = undefined;
  });

  it('runs at 03:17 in the policy time zone (Sydney), and stop() ends it', async () => {
    world = await createTestContext();
    const job = new RetentionJob(world.ctx, new RecordingLogger());
    job.start();
    const task = [...cron.getTasks().values()].find((t) => t.name === 'retention');
    try {
      expect(task).toBeDefined();
      expect(task!.getStatus()).not.toBe('stopped');
      expect(task!.match(new Date('2026-01-05T16:17:00.000Z'))).toBe(true); // 03:17 AEDT on the 6th
      expect(task!.match(new Date('2026-07-05T17:17:00.000Z'))).toBe(true); // 03:17 AEST on the 6th
      expect(task!.match(new Date('2026-01-06T03:17:00.000Z'))).toBe(false); // 03:17 UTC
    } finally {
      await job.stop();
    }
    expect(task!.getStatus()).toBe('stopped');
  });
});

describe.skipIf(onPostgres)(
  `the purge reads partial indexes of what is still to purge, never whole tables ${SQLITE_ONLY}`,
  () => {
    it('messages by sent_at, escalations by updated_at, outbox and trigger hits by created_at', async () => {
      const temp = createTempSqliteStore();
      await temp.store.close();
      const connection = new Database(temp.path);
      try {
        const plans: string[][] = [];
        const db = drizzle(connection, {
          schema,
          logger: {
            logQuery: (query) => {
              const params = Array.from(query.matchAll(/\?/g), () => 0);
              const rows = connection.prepare(`explain query plan ${query}`).all(...params) as {
                detail: string;
              }[];
              plans.push(rows.map((r) => r.detail));
            },
          },
        });
        const repo = createRetentionRepository(db);
        const at = new Date();
        await repo.purgeMessageText(at, at, 10);
        await repo.listEscalationsHoldingWords(at, 10);
        await repo.deleteSettledOutbox(at, 10);
        await repo.deleteHandledTriggerHits(at, 10);
        const [messages, escalations, outbox, hits] = plans.map((plan) => plan.join('\n'));
        expect(messages).toContain('USING INDEX messages_text_sent_idx (sent_at<?)');
        expect(escalations).toContain('USING INDEX escalations_text_updated_idx (updated_at<?)');
        expect(outbox).toContain('USING INDEX outbox_settled_created_idx (created_at<?)');
        expect(hits).toContain('USING INDEX trigger_hits_processed_idx (created_at<?)');
        for (const plan of plans)
          expect(
            plan.filter((step) => /^SCAN (messages|escalations|outbox|trigger_hits)\b/.test(step)),
          ).toEqual([]);
      } finally {
        connection.close();
        await temp.cleanup();
      }
    });
  },
);
