import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../src/db/open-store.js';
import { makeIssue } from '../core/domain-builders.js';
import { countRows } from '../core/raw-database.js';
import { appMentionEvent, type FakeSlackApi, messageEvent, sendEvent, slackTs } from '../slack/index.js';
import { eventually } from '../story/eventually.js';
import { freePort, type SpawnedEscalator, spawnEscalator } from './spawn-escalator.js';

export const SIGNING_SECRET = 'crash-test-secret';
export const SUPPORT = 'C0SUPPORT';
/** The escalation channel of each path of `writeCrashPolicy`. */
export const PATH_CHANNELS = { tech: 'C0L2', billing: 'C0BILL', security: 'C0SEC' } as const;
export type PathName = keyof typeof PATH_CHANNELS;
const CUSTOMER_TEAM = 'T0CUSTOMER';
const AGENT = 'U0ALICE';

/**
 * A small policy for process tests: one support channel, three paths with one level each (so
 * cards go to three channels and are delivered in parallel), SLA targets on the calendar clock,
 * the checker every 5 seconds. `slaBreach` turns the SLA trigger on (to the tech path).
 */
export function writeCrashPolicy(dir: string, options: { slaBreach?: boolean } = {}): string {
  const level = (name: string, channel: string) =>
    `    levels: [{ name: ${name}, channel: slack:${channel}, ackWithin: 1d }]`;
  const file = join(dir, `policy-${options.slaBreach ? 'sla' : 'plain'}.yaml`);
  writeFileSync(
    file,
    [
      'timezone: UTC',
      'checker: { every: 5s }',
      'staff: { slackTeamIds: [T0HOME] }',
      'supportChannels:',
      `  - { channel: slack:${SUPPORT}, path: tech }`,
      'priorities:',
      '  P1: { firstResponse: 15m, resolve: 4h, clock: calendar }',
      '  P2: { firstResponse: 1h, resolve: 1d, clock: calendar }',
      '  P3: { firstResponse: 4h, resolve: 3d, clock: calendar }',
      'defaultPriority: P3',
      'paths:',
      '  tech:',
      '    type: functional',
      level('L2 Tech', PATH_CHANNELS.tech),
      '  billing:',
      '    type: functional',
      level('Billing', PATH_CHANNELS.billing),
      '  security:',
      '    type: functional',
      level('Security', PATH_CHANNELS.security),
      ...(options.slaBreach ? ['triggers:', '  slaBreach: { path: tech }'] : []),
    ].join('\n'),
  );
  return file;
}

export interface SlackProcess extends SpawnedEscalator {
  port: number;
  baseUrl: string;
  eventsUrl: string;
  /** Kills it with SIGKILL (no handler runs) and waits until it is gone. */
  sigkill(): Promise<void>;
}

/** `src/main.ts` in its own process, on the real database `db` (a DATABASE_URL), talking to the fake Slack. */
export async function startSlackProcess(options: {
  fake: FakeSlackApi;
  db: string;
  policy: string;
  /** Resolve once it says it is listening (after the checker's first tick). Default true. */
  waitUntilListening?: boolean;
  /**
   * The port of a process this one restarts in place of: same host and port is the same replica,
   * which takes back the outbox entries the dead one had claimed. A free port by default.
   */
  port?: number;
}): Promise<SlackProcess> {
  const port = options.port ?? (await freePort());
  const spawned = spawnEscalator({
    PORT: String(port),
    DATABASE_URL: options.db,
    POLICY_FILE: options.policy,
    SLACK_BOT_TOKEN: 'xoxb-crash-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.fake.url,
  });
  if (options.waitUntilListening !== false) await spawned.waitForOutput('Escalator listening', 30_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    ...spawned,
    port,
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
    async sigkill() {
      spawned.child.kill('SIGKILL');
      await spawned.exited;
    },
  };
}

/** A customer opens a thread in the support channel (of a process, or of an Escalator in the test); resolves once it is stored. */
export async function customerPosts(to: { eventsUrl: string }, db: string, text: string): Promise<string> {
  const ts = slackTs();
  const response = await sendEvent(
    to.eventsUrl,
    SIGNING_SECRET,
    messageEvent({ channel: SUPPORT, user: 'U0CUSTOMER', team: CUSTOMER_TEAM, text, ts }),
  );
  if (response.status !== 200) throw new Error(`the message event got HTTP ${response.status}`);
  await eventually(
    async () => (await countRows(db, 'select count(*) as n from issues where thread_id = ?', ts)) === 1,
    `the issue of thread ${ts}`,
    10_000,
  );
  return ts;
}

/** The agent types `@escalator escalate to <path> <reason>` in the thread; resolves once the escalation is stored. */
export async function agentEscalates(
  to: { eventsUrl: string },
  db: string,
  threadTs: string,
  path: PathName,
  reason: string,
): Promise<void> {
  const response = await sendEvent(
    to.eventsUrl,
    SIGNING_SECRET,
    appMentionEvent({
      channel: SUPPORT,
      user: AGENT,
      threadTs,
      text: `<@U0BOT> escalate to ${path} ${reason}`,
    }),
  );
  if (response.status !== 200) throw new Error(`the mention got HTTP ${response.status}`);
  await eventually(
    async () =>
      (await countRows(
        db,
        'select count(*) as n from escalations e join issues i on i.id = e.issue_id where i.thread_id = ?',
        threadTs,
      )) === 1,
    `the escalation of thread ${threadTs}`,
    10_000,
  );
}

/**
 * Writes `count` issues straight into a fresh database (migrated by the real store): open threads
 * of the support channel whose first-response deadline passed an hour ago, each with
 * `messagesEach` customer messages (more make each escalation's card slower to build), as a
 * process that was down for a while would find them.
 */
export async function seedOverdueIssues(
  db: string,
  count: number,
  { messagesEach = 3 }: { messagesEach?: number } = {},
): Promise<void> {
  const store = await openStore(db);
  const now = Date.now();
  try {
    await store.transaction(async (tx) => {
      for (let n = 1; n <= count; n += 1) {
        const openedAt = new Date(now - 5 * 3_600_000 + n * 1000);
        const threadId = slackTs(openedAt.getTime());
        const id = `iss_seed${String(n).padStart(5, '0')}`;
        await tx.issues.create(
          makeIssue({
            id,
            number: n,
            channel: `slack:${SUPPORT}`,
            threadId,
            path: 'tech',
            priority: 'P3',
            status: 'open',
            customerId: 'slack:U0CUSTOMER',
            openedBy: 'slack:U0CUSTOMER',
            openedAt,
            lastCustomerMessageAt: openedAt,
            messageCount: messagesEach,
            updatedAt: openedAt,
            firstResponseDueAt: new Date(now - 3_600_000 + n),
            resolveDueAt: new Date(now + 3 * 86_400_000),
          }),
        );
        for (let m = 0; m < messagesEach; m += 1) {
          await tx.messages.create({
            id: `msg_seed${n}x${m}`,
            issueId: id,
            channel: `slack:${SUPPORT}`,
            messageId: m === 0 ? threadId : slackTs(openedAt.getTime() + m * 1000),
            authorId: 'slack:U0CUSTOMER',
            authorRole: 'customer',
            text: `Order #${10_000 + n} was charged twice and the export still fails (message ${m + 1}).`,
            sentAt: new Date(openedAt.getTime() + m * 1000),
            editedAt: null,
            deletedAt: null,
          });
        }
      }
    });
  } finally {
    await store.close();
  }
}
