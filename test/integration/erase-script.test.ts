/**
 * `npm run erase` end to end: a person's traces written by the real use cases into a real database,
 * then the real script run as its own process, configured by DATABASE_URL only; the database is
 * read afterwards (a SQLite file down to its bytes). Told once for a Slack person and once for a
 * Teams person.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimEscalation, resolveEscalation } from '../../src/app/act-on-escalation.js';
import { buildDigestReport } from '../../src/app/digest/build-report.js';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import { recordCsat } from '../../src/app/record-csat.js';
import { runCheckerTick } from '../../src/app/run-checker-tick.js';
import { trackMessage } from '../../src/app/track-message.js';
import { isPostgresUrl, openStore } from '../../src/db/open-store.js';
import { isoWeekContaining, weekBefore } from '../../src/domain/digest/period.js';
import type { ChangeSource } from '../../src/domain/escalation.js';
import type { Author, Issue } from '../../src/domain/issue.js';
import type { Policy } from '../../src/domain/policy.js';
import { incoming } from '../support/core/fixtures.js';
import { countRows, runStatement } from '../support/core/raw-database.js';
import {
  createTestContext,
  EXAMPLE_POLICY_FILE,
  examplePolicy,
  type TestContext,
} from '../support/core/test-context.js';
import {
  everyReadableTrace,
  everyStoredValue,
  rowsOf,
  tracesOf,
} from '../support/data-protection/stored-data.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'erase.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MINUTE = 60_000;

interface Cast {
  support: string;
  /** The person who asks to be erased: a customer. */
  erased: Author & { name: string; email: string };
  other: Author;
  agent: Author;
  specialist: Author & { name: string };
  /** How the agent mentions the customer in a reply, as the platform stores it. */
  mention: string;
  /** Ids that look like the person's but are not theirs, to be refused. */
  malformed: string[];
}

const TEAMS_SUPPORT = 'teams:19:support@thread.tacv2';
const CASTS: Record<'Slack' | 'Teams', Cast> = {
  Slack: {
    support: 'slack:C0SUPPORT',
    erased: {
      id: 'slack:U0ERASE7',
      teamId: 'T0CUSTOMER',
      name: 'Zelda Quartermaine',
      email: 'zelda.q@quartz-example.com',
    },
    other: { id: 'slack:U0KEEP', teamId: 'T0CUSTOMER' },
    agent: { id: 'slack:U0AGENT', teamId: 'T0HOME' },
    specialist: { id: 'slack:U0SPEC', teamId: 'T0HOME', name: 'Bob Specialist' },
    mention: '<@U0ERASE7>',
    malformed: ['U0ERASE7', 'slack:C0SUPPORT', 'slack:u0erase7'],
  },
  Teams: {
    support: TEAMS_SUPPORT,
    erased: {
      id: 'teams:00000000-0000-4000-8000-00000000e7a5',
      teamId: 'tenant-customer',
      name: 'Yara Quenneville',
      email: 'yara@quenneville-example.org',
    },
    other: { id: 'teams:00000000-0000-4000-8000-00000000cee9', teamId: 'tenant-customer' },
    agent: { id: 'teams:00000000-0000-4000-8000-0000000000a1', teamId: 'tenant-home' },
    specialist: {
      id: 'teams:00000000-0000-4000-8000-0000000000b1',
      teamId: 'tenant-home',
      name: 'Bea Specialist',
    },
    // Teams stores message text without its <at>…</at> mention tags.
    mention: '',
    malformed: ['teams:yara', '00000000-0000-4000-8000-00000000e7a5'],
  },
};

describe.each(Object.entries(CASTS))('%s: npm run erase', (platform, cast) => {
  const { erased } = cast;
  /** The erased person's own words; none may be left in the database. */
  const THEIR_WORDS = [
    `I was charged twice for order ZQ-1001, write to me at ${erased.email}`,
    'I want to speak to your manager, this is the third double charge',
  ];
  const OTHERS_WORDS = 'Export fails with E42 KEEPTEXT';

  let world: TestContext;
  let dbUrl: string;
  /** Where the script runs: not the repository root, whose `.env` must not change what it reads. */
  let cwd: string;
  let period: ReturnType<typeof isoWeekContaining>;
  let digestBefore: unknown;
  let theirIssues: Issue[] = [];
  let othersIssue: Issue;

  function policy(): Policy {
    const base = examplePolicy();
    return {
      ...base,
      supportChannels: [...base.supportChannels, { channel: TEAMS_SUPPORT, path: 'tech' }],
      staff: { ...base.staff, teamsTenantIds: ['tenant-home'] },
    };
  }

  async function post(author: Author, text: string, thread?: Issue): Promise<Issue> {
    const result = await trackMessage(
      world.ctx,
      incoming(world.ctx, {
        author,
        text,
        channel: cast.support,
        ...(thread ? { threadId: thread.threadId } : {}),
      }),
    );
    if (result.outcome !== 'tracked') throw new Error(`not tracked: ${result.reason}`);
    return result.issue;
  }

  beforeAll(async () => {
    world = await createTestContext({ start: '2026-03-10T00:00:00.000Z', policy: policy() });
    dbUrl = world.dbUrl;
    cwd = mkdtempSync(join(tmpdir(), 'escalator-erase-'));
    const { ctx, clock, store } = world;
    const source: ChangeSource = platform === 'Slack' ? 'slack' : 'teams';
    const as = (who: Author) => ({ actor: who.id, source });
    await store.people.save(erased.id, erased.name, clock.now(), erased.email);
    await store.people.save(cast.specialist.id, cast.specialist.name, clock.now());

    // Their first thread: answered, escalated, claimed, resolved, rated by them.
    const first = await post(erased, THEIR_WORDS[0]!);
    clock.advance(MINUTE);
    await post(cast.agent, `${cast.mention} thanks, I will also write to ${erased.email}`.trim(), first);
    const manual = await escalateIssue(ctx, {
      issueId: first.id,
      reason: `Double charge, the customer ${erased.name} is upset`,
      actor: cast.agent.id,
      source,
      reasonCategory: 'authority_gap',
    });
    clock.advance(10 * MINUTE);
    await claimEscalation(ctx, manual.id, as(cast.specialist));
    clock.advance(30 * MINUTE);
    await resolveEscalation(ctx, manual.id, as(cast.specialist), {
      note: 'Refunded the second charge',
      rootCause: 'authority_gap',
    });
    await recordCsat(ctx, {
      escalationId: manual.id,
      score: 5,
      respondent: erased.id,
      source,
    });

    // Their second thread: a manager request the checker escalates with their words as evidence.
    clock.advance(MINUTE);
    const second = await post(erased, THEIR_WORDS[1]!);
    await runCheckerTick(ctx);
    theirIssues = [first, second];

    // Someone else's thread, escalated and claimed by the same specialist.
    othersIssue = await post(cast.other, OTHERS_WORDS);
    const others = await escalateIssue(ctx, {
      issueId: othersIssue.id,
      reason: 'Export bug',
      actor: cast.agent.id,
      source,
    });
    await claimEscalation(ctx, others.id, as(cast.specialist));

    period = isoWeekContaining(clock.now(), world.policy.timezone);
    digestBefore = await digestOf(store);
    // Every card and note was delivered; the process below opens the database on its own.
    await store.close();
    await runStatement(dbUrl, "update outbox set status = 'delivered', delivered_at = created_at");
  });
  afterAll(async () => {
    await world?.cleanup();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  function digestOf(store: Parameters<typeof buildDigestReport>[0]) {
    return buildDigestReport(store, {
      period,
      previousPeriod: weekBefore(period, world.policy.timezone),
      path: null,
      timeZone: world.policy.timezone,
      now: new Date('2026-03-20T00:00:00.000Z'),
    });
  }

  /** Runs `npm run erase -- <args>` as a process, with only this environment. */
  function runErase(args: string[]) {
    const result = spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: dbUrl, POLICY_FILE: EXAMPLE_POLICY_FILE },
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** The report's count lines ("  messages   2  their messages"), as the dry run and the real run print them. */
  const countLines = (stdout: string) =>
    stdout.split('\n').filter((line) => /^ {2}\S.*\s\d+( |$)/.test(line));

  let dryRun: ReturnType<typeof runErase>;

  it('refuses without --user or with a malformed id, says what to fix, and changes nothing', async () => {
    const before = await everyStoredValue(dbUrl);
    const missing = runErase([]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Missing --user: say whom to erase, e.g. --user slack:U0123ABCD');
    for (const id of cast.malformed) {
      const refused = runErase(['--user', id]);
      expect(refused.status, id).toBe(2);
      expect(refused.stderr, id).toMatch(/^--user "[^"]+" (is|does) .*(slack:U0123ABCD|teams:)/);
    }
    expect(await everyStoredValue(dbUrl)).toBe(before);
  });

  it('a well-formed id nobody has: says so, and changes nothing', async () => {
    const before = await everyStoredValue(dbUrl);
    const nobody = cast.erased.id.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const run = runErase(['--user', nobody]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Nothing is stored about ${nobody}: check the id`);
    expect(await everyStoredValue(dbUrl)).toBe(before);
  });

  it('--dry-run reports what would go and changes nothing', async () => {
    const before = await everyStoredValue(dbUrl);
    dryRun = runErase(['--user', erased.id, '--dry-run']);
    expect(dryRun.stderr).toBe('');
    expect(dryRun.status).toBe(0);
    expect(dryRun.stdout).toContain(`Dry run: nothing was changed. Erasing ${erased.id} would remove:`);
    expect(dryRun.stdout).toMatch(/ {2}messages +2 {2}their messages/);
    expect(dryRun.stdout).toMatch(/ {2}people +1 {2}their directory entry/);
    expect(dryRun.stdout).toMatch(/ {2}escalations +2 {2}reason, notes/);
    expect(await everyStoredValue(dbUrl)).toBe(before);
  });

  it('erases them: no id, name, e-mail or words of theirs left in the database, their steps still counted under a pseudonym', async () => {
    expect(
      tracesOf(await everyReadableTrace(dbUrl), [erased.id, erased.name, erased.email, ...THEIR_WORDS]),
    ).toEqual([erased.id, erased.name, erased.email, ...THEIR_WORDS]);
    const others = {
      messages: (await rowsOf(dbUrl, 'messages')).filter((m) => m.issue_id === othersIssue.id),
    };

    const run = runErase(['--user', erased.id]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const pseudonym = /pseudonym (erased:[0-9a-f]{12}) instead/.exec(run.stdout)?.[1];
    expect(pseudonym).toBeDefined();
    expect(countLines(run.stdout)).toEqual(countLines(dryRun.stdout));
    expect(run.stdout).toContain(
      isPostgresUrl(dbUrl) ? 'VACUUM FULL' : 'no removed text is left in its free space',
    );

    // In SQLite down to the bytes of the database file and its write-ahead log.
    const localId = erased.id.slice(erased.id.indexOf(':') + 1);
    expect(
      tracesOf(await everyReadableTrace(dbUrl), [localId, erased.name, erased.email, ...THEIR_WORDS]),
    ).toEqual([]);

    // Their first thread's fix stays as knowledge, without their words or the reason naming them
    // (the e-mail rewrite alone would leave the rest of their sentence).
    expect(await rowsOf(dbUrl, 'knowledge_entries')).toEqual([
      expect.objectContaining({
        issue_id: theirIssues[0]!.id,
        problem: '',
        resolution_note: 'Refunded the second charge',
      }),
    ]);
    expect(tracesOf(await everyReadableTrace(dbUrl), ['charged twice for order ZQ-1001'])).toEqual([]);
    expect((await rowsOf(dbUrl, 'people')).map((p) => p.id)).toEqual([cast.specialist.id]);
    expect((await rowsOf(dbUrl, 'messages')).filter((m) => m.author_id === pseudonym)).toEqual([]);
    for (const issue of theirIssues) {
      const [row] = (await rowsOf(dbUrl, 'issues')).filter((i) => i.id === issue.id);
      expect(row).toMatchObject({ customer_id: pseudonym, opened_by: pseudonym });
    }
    expect(await rowsOf(dbUrl, 'csat_responses')).toEqual([
      expect.objectContaining({ respondent: pseudonym, score: 5 }),
    ]);
    // Someone else's thread is untouched.
    expect((await rowsOf(dbUrl, 'messages')).filter((m) => m.issue_id === othersIssue.id)).toEqual(
      others.messages,
    );
    expect(tracesOf(await everyStoredValue(dbUrl), [OTHERS_WORDS, cast.other.id])).toEqual([
      OTHERS_WORDS,
      cast.other.id,
    ]);

    const store = await openStore(dbUrl);
    try {
      expect(await digestOf(store)).toEqual(digestBefore);
    } finally {
      await store.close();
    }
  });

  it('a staff member too: their name goes, their claims and resolutions stay counted under a pseudonym', async () => {
    const claimedBy = (who: string | undefined) =>
      countRows(dbUrl, 'select count(*) as n from escalations where claimed_by = ?', who);
    expect(await claimedBy(cast.specialist.id)).toBe(2);

    const run = runErase(['--user', cast.specialist.id]);
    expect(run.status).toBe(0);
    const pseudonym = /pseudonym (erased:[0-9a-f]{12}) instead/.exec(run.stdout)?.[1];
    expect(run.stdout).toMatch(/ {2}escalations\.claimed_by +2/);
    expect(run.stdout).toMatch(/ {2}escalations\.resolved_by +1/);
    expect(run.stdout).toMatch(/ {2}knowledge_entries\.resolved_by +1/);
    expect(tracesOf(await everyReadableTrace(dbUrl), [cast.specialist.id, cast.specialist.name])).toEqual([]);
    expect(await claimedBy(pseudonym)).toBe(2);

    const store = await openStore(dbUrl);
    try {
      expect(await digestOf(store)).toEqual(digestBefore);
    } finally {
      await store.close();
    }
  });
});
