/**
 * `npm run policy:check` and `npm run policy:replay` end to end: the real scripts run as their own
 * processes, configured by DATABASE_URL and POLICY_FILE only, on policy files written here and on a
 * real database filled by the real use cases (messages, checker ticks, a manual escalation, the
 * retention purge). The replay must leave that database exactly as it was.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import { purgeMessageText } from '../../src/app/purge-message-text.js';
import { runCheckerTick } from '../../src/app/run-checker-tick.js';
import { parsePolicy } from '../../src/config/load-policy.js';
import type { Issue } from '../../src/domain/issue.js';
import { openIssue, people } from '../support/core/fixtures.js';
import { tableCounts } from '../support/core/table-counts.js';
import { createTestContext, EXAMPLE_POLICY_FILE, type TestContext } from '../support/core/test-context.js';
import { everyReadableTrace } from '../support/data-protection/stored-data.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const DAY = 86_400_000;

const EXAMPLE = readFileSync(EXAMPLE_POLICY_FILE, 'utf8');

/** Replaces one piece of the example policy, failing loudly if the example no longer has it. */
function edited(text: string, from: string, to: string): string {
  if (!text.includes(from))
    throw new Error(`the example policy no longer has ${JSON.stringify(from)}: update this test`);
  return text.replace(from, to);
}

const MANAGER_LINE =
  'managerRequest: { path: management, phrases: ["speak to (a|your) manager", "supervisor"] }';
/** The policy that ran: the example without SLA breaches, so only the content triggers differ. */
const RAN = edited(EXAMPLE, '  slaBreach: { path: tech }\n', '');
/** The policy to try: manager requests only by a house phrase. */
const TRIED = edited(
  RAN,
  MANAGER_LINE,
  'managerRequest: { path: management, replaceDefaults: true, phrases: ["summon the overlord"] }',
);

function run(script: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'scripts', script), ...args], {
    // Not the repository root: a developer's `.env` there must not change what the test reads.
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder of the test's own for the scripts to run in (not the repository root: a developer's `.env` there must not change what they read). */
const workFolder = () => mkdtempSync(join(tmpdir(), 'escalator-policy-tools-'));

describe('npm run policy:check', () => {
  let dir: string;
  const check = (...args: string[]) => run('policy-check.ts', args, dir);
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };

  beforeAll(() => {
    dir = workFolder();
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints every problem of a broken file with its line and key, and exits 1', () => {
    const broken = edited(
      edited(
        edited(EXAMPLE, 'ackWithin: 30m, resolveWithin: 4h', 'ackWithin: 30 minutes, resolveWithin: 4h'),
        'checker: { every: 1m }',
        'checker: { every: 1m, evry: 5m }',
      ),
      'legal: { path: management,',
      'legal: { path: lawyers,',
    );
    const lineOf = (fragment: string) => broken.split('\n').findIndex((l) => l.includes(fragment)) + 1;
    const { status, stdout, stderr } = check(write('broken.yaml', broken));

    expect(stderr).toContain('Escalation policy');
    expect(stderr).toMatch(
      new RegExp(
        `line ${lineOf('ackWithin: 30 minutes')}, col \\d+: paths\\.tech\\.levels\\[0\\]\\.ackWithin: "30 minutes" is not a duration: use a number followed by s, m, h, d or w`,
      ),
    );
    expect(stderr).toMatch(
      new RegExp(
        `line ${lineOf('evry')}, col \\d+: checker\\.evry: unknown key "evry" \\(did you mean every\\?\\)`,
      ),
    );
    expect(stderr).toMatch(
      new RegExp(
        `line ${lineOf('path: lawyers')}, col \\d+: triggers\\.legal\\.path: no path named "lawyers": defined paths are tech, management, vendors`,
      ),
    );
    expect(stdout).not.toContain('In plain words');
    expect(status).toBe(1);
  });

  it('explains a valid file in plain words, warns about what is probably not meant, and exits 0', () => {
    const { status, stdout, stderr } = check(EXAMPLE_POLICY_FILE);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    for (const sentence of [
      'escalation-policy.example.yaml is a valid escalation policy. In plain words:',
      'Business hours are Monday to Friday, 09:00 to 17:00.',
      'Business clocks stop all day on the public holidays of AU (NSW) and the listed date 2026-12-24.',
      'The checker runs every 1 minute',
      'everyone in the Slack workspace T0HOME and the listed person slack:U0LEAD',
      'slack:C0SUPPORT → path tech (first level L2 Tech)',
      '1. L2 Tech: posts the card to slack:C0L2; unclaimed after 30 minutes it moves to L3 Engineering; unresolved after 4 hours its priority is raised',
      'calls the webhook https://vendor.example.com/escalations (signed with the secret in $VENDOR_HOOK_SECRET)',
      'P1: first staff answer within 15 minutes, resolved within 4 hours, calendar clock (round the clock).',
      'P3: first staff answer within 4 hours, resolved within 3 days (72 business hours), business clock (counts business hours only).',
      'A new issue starts at P3',
      'managerRequest: a customer asks for a manager, using the built-in manager-request phrases or "speak to (a|your) manager" or "supervisor" → path management, level 1 (Team lead), priority unchanged.',
      'an amount over AUD 10,000',
      'systemic: 3 or more new threads from different customers within 1 hour whose first messages are at least 0.5 alike (0 to 1) → path tech, level 2 (L3 Engineering)',
      'legal: a customer uses the built-in legal, compliance and safety phrases or "lawyer", "legal action" or "GDPR" → path management, level 1 (Team lead), raising the priority to P1',
      'on the schedule "0 9 * * mon" (Australia/Sydney)',
      'Message text (and the words quoted on cards) is purged after 90 days',
      'Before escalating, and on cards, up to 3 resolved escalations of the last 365 days are shown when they read at least 0.35 alike.',
      'Transcripts sent to webhooks mask e-mail addresses.',
    ]) {
      expect(stdout).toContain(sentence);
    }
    // The digest's next run is a Monday 09:00 in Sydney.
    expect(stdout).toMatch(/Its next run is Mon \d+ \w+, 09:00 GMT\+1[01] \(\d{4}-\d{2}-\d{2}\)\./);
    expect(stdout).toMatch(
      /Warnings \(1\): valid, but probably not what you meant\n {2}- line \d+, col 3: paths\.vendors: no support channel and no trigger uses path "vendors"/,
    );
  });

  it('warns about a valid file that is probably wrong, each warning on its line', () => {
    const risky = edited(
      edited(
        edited(EXAMPLE, 'ackWithin: 15m, resolveWithin: 8h', 'ackWithin: 9h, resolveWithin: 8h'),
        '  - { channel: slack:C0SUPPORT, path: tech }',
        '  - { channel: slack:C0SUPPORT, path: tech }\n  - { channel: slack:C0L2, path: vendors }',
      ),
      '  legal: { path: management, priority: P1, phrases: ["lawyer", "legal action", "GDPR"] }\n',
      '',
    );
    const lineOf = (fragment: string) => risky.split('\n').findIndex((l) => l.includes(fragment)) + 1;
    const { status, stdout } = check(write('risky.yaml', risky));
    expect(status).toBe(0);
    expect(stdout).toContain('Warnings (3)');
    expect(stdout).toMatch(
      new RegExp(
        `line ${lineOf('ackWithin: 9h')}, col \\d+: paths\\.tech\\.levels\\[1\\]\\.ackWithin: ackWithin 9 hours is not shorter than resolveWithin 8 hours`,
      ),
    );
    expect(stdout).toMatch(
      new RegExp(
        `line ${lineOf('- { name: L2 Tech')}, col \\d+: paths\\.tech\\.levels\\[0\\]\\.channel: slack:C0L2 is a support channel too \\(supportChannels\\[1\\]\\)`,
      ),
    );
    expect(stdout).toContain('triggers: legal is turned off (not named under triggers)');
    // The vendors path is used now (by the support channel): no warning about it.
    expect(stdout).not.toContain('paths.vendors');
  });

  it('says what to type when the file is missing or not named, and exits 2', () => {
    const missing = check('no-such-policy.yaml');
    expect(missing.stderr).toContain(`There is no policy file at ${join(dir, 'no-such-policy.yaml')}`);
    expect(missing.stderr).toContain('usage: npm run policy:check -- FILE.yaml');
    expect(missing.status).toBe(2);

    const none = check();
    expect(none.stderr).toContain(
      'Missing the policy file: name it, such as npm run policy:check -- escalation-policy.yaml.',
    );
    expect(none.status).toBe(2);

    const option = check('--strict', EXAMPLE_POLICY_FILE);
    expect(option.stderr).toContain('Unknown option --strict');
    expect(option.status).toBe(2);
  }, 120_000);
});

describe('npm run policy:replay', () => {
  let world: TestContext;
  let dir: string;
  let env: Record<string, string>;
  const seeded = {} as Record<'purged' | 'asked' | 'overlord' | 'lawyer' | 'byHand' | 'december', Issue>;
  const replay = (...args: string[]) => run('policy-replay.ts', args, dir, env);
  const OCTOBER = ['--from', '2026-10-01', '--to', '2026-10-31'];

  /** A customer opens a thread at `at` (UTC), and the checker runs at once. */
  async function thread(at: string, text: string): Promise<Issue> {
    world.clock.set(at);
    const issue = await openIssue(world.ctx, text);
    await runCheckerTick(world.ctx);
    return issue;
  }

  beforeAll(async () => {
    world = await createTestContext({ policy: parsePolicy(RAN, 'ran.yaml') });
    dir = workFolder();
    writeFileSync(join(dir, 'ran.yaml'), RAN);
    writeFileSync(join(dir, 'tried.yaml'), TRIED);
    env = { DATABASE_URL: world.dbUrl, POLICY_FILE: join(dir, 'ran.yaml') };

    // 00:30 on 1 October in Sydney (+10): the first thread of the period. Its text is purged later.
    seeded.purged = await thread(
      '2026-09-30T14:30:00Z',
      'Old thread: can I speak to your manager about the refund?',
    );
    seeded.asked = await thread(
      '2026-10-05T01:00:00Z',
      'The CSV export has been failing since Monday. I want to speak to your manager.',
    );
    seeded.overlord = await thread(
      '2026-10-06T02:00:00Z',
      'Please summon the overlord about my export, it has failed three times.',
    );
    seeded.lawyer = await thread(
      '2026-10-07T03:00:00Z',
      'If the invoice is not corrected I will talk to my lawyer.',
    );
    seeded.byHand = await thread('2026-10-08T04:00:00Z', 'How do I change the logo on my invoices?');
    await escalateIssue(world.ctx, {
      issueId: seeded.byHand.id,
      reason: 'Needs a designer',
      actor: people.agent.id,
      source: 'slack',
    });
    // 00:30 on 1 November in Sydney (+11): after the period.
    seeded.december = await thread('2026-10-31T13:30:00Z', 'Please summon the overlord, nothing works.');

    // Retention (90 days) reaches only the first thread's words.
    world.clock.set(new Date(Date.parse('2026-09-30T14:30:00Z') + 90 * DAY + 60_000));
    const purged = await purgeMessageText(world.ctx);
    expect(purged?.messages).toBe(1);
    // Stopped, as an admin's copy or a quiet production database would be; the replay reads it.
    await world.store.close();
  });
  afterAll(async () => {
    await world?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The SQLite file's bytes (on PostgreSQL, whose files are the server's: every stored value), and the rows per table. */
  const databaseState = async () => ({
    sha256: createHash('sha256')
      .update(await everyReadableTrace(world.dbUrl))
      .digest('hex'),
    rows: await tableCounts(world.dbUrl),
  });

  it('shows what the tried policy would escalate, what it would not, and the counts, without writing', async () => {
    const before = await databaseState();
    const { status, stdout, stderr } = replay(...OCTOBER, '--policy', 'tried.yaml');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(
      'Replay of tried.yaml over the issues opened 2026-10-01 to 2026-10-31 (Australia/Sydney)',
    );
    expect(stdout).toContain('5 issues with 5 messages (5 from customers).');
    expect(stdout).toContain(
      '1 message had no text left (purged by retention; 1 from customers): the triggers could not read them.',
    );

    const section = (title: string) => {
      const start = stdout.indexOf(title);
      expect(start, title).toBeGreaterThanOrEqual(0);
      return stdout.slice(start, stdout.indexOf('\n\n', start));
    };
    const would = section('Would escalate, did not (1)');
    expect(would).toContain(`#${seeded.overlord.number} in slack:C0SUPPORT`);
    expect(would).toMatch(
      /manager_request at .* → management, level 1 \(Team lead\), P3: Customer asked for a manager: "Please summon the overlord/,
    );
    expect(would).toContain('Matched "summon the overlord" (policy phrase /summon the overlord/)');
    expect(would).not.toContain(`#${seeded.december.number} `);

    const wouldNot = section('Escalated, would not (2)');
    expect(wouldNot).toContain(`#${seeded.purged.number} in slack:C0SUPPORT`);
    expect(wouldNot).toContain(`#${seeded.asked.number} in slack:C0SUPPORT`);
    expect(wouldNot).toMatch(
      /now: manager_request → management, level 1 \(Team lead\), P3 \(escalation #\d+\)/,
    );
    expect(wouldNot).toContain('replayed: no trigger fires');

    expect(section('Same issue, different trigger or path (0)')).toContain('none');
    expect(stdout).toContain(`Same as now: 1 issue (#${seeded.lawyer.number}).`);
    expect(stdout).toContain(`Escalated by hand only: 1 issue (#${seeded.byHand.number})`);

    const table = section('Issues per trigger');
    expect(table).toMatch(/manager_request\s+2\s+1\s+1\s+2\n/);
    expect(table).toMatch(/legal\s+1\s+1\s+0\s+0\n/);
    expect(table).toMatch(/by hand \(not replayed\)\s+1\s+-/);

    expect(await databaseState()).toEqual(before);
  });

  it('replaying the policy that ran finds nothing new, only what retention took away', async () => {
    const before = await databaseState();
    const { status, stdout } = replay(...OCTOBER);
    expect(status).toBe(0);
    expect(stdout).toContain('Replay of ran.yaml');
    expect(stdout).toContain('Would escalate, did not (0)');
    expect(stdout).toContain('Escalated, would not (1)');
    expect(stdout).toContain(`#${seeded.purged.number} in slack:C0SUPPORT`);
    expect(stdout).toContain(`Same as now: 2 issues (#${seeded.asked.number}, #${seeded.lawyer.number}).`);
    expect(await databaseState()).toEqual(before);
  });

  it('prints the report as JSON with --json', () => {
    const { status, stdout } = replay(...OCTOBER, '--policy', 'tried.yaml', '--json');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      issues: 5,
      purgedMessages: 1,
      manualIssues: 1,
      timezone: 'Australia/Sydney',
    });
    const overlord = report.results.find((r: { number: number }) => r.number === seeded.overlord.number);
    expect(overlord).toMatchObject({
      verdict: 'would_escalate_did_not',
      replayed: [{ kind: 'manager_request', opens: true, path: 'management', level: 1, priority: 'P3' }],
      stored: [],
    });
  });

  it('says what to fix for bad arguments (exit 2) and a missing database (exit 1)', () => {
    const cases: [string[], string][] = [
      [
        ['--from', '2026-10-01'],
        'Missing --to: give the last day of the period (included), e.g. --to 2026-11-30.',
      ],
      [
        ['--from', '2026-10-32', '--to', '2026-10-31'],
        '--from "2026-10-32" is not a date: write it as YYYY-MM-DD',
      ],
      [['--from', '2026-10-31', '--to', '2026-10-01'], '--to 2026-10-01 is before --from 2026-10-31'],
      [
        [...OCTOBER, '--since', 'x'],
        'Unknown option --since: the options are --from, --to, --policy, --json and --help.',
      ],
      [[...OCTOBER, '--policy', 'nope.yaml'], '--policy nope.yaml: there is no such file'],
    ];
    for (const [args, message] of cases) {
      const { status, stderr } = replay(...args);
      expect(stderr, args.join(' ')).toContain(message);
      expect(stderr).toContain('usage: npm run policy:replay');
      expect(status, args.join(' ')).toBe(2);
    }
    const noDatabase = run('policy-replay.ts', OCTOBER, dir, {
      ...env,
      DATABASE_URL: `file:${join(dir, 'none.db')}`,
    });
    expect(noDatabase.stderr).toContain(`There is no database at ${join(dir, 'none.db')}`);
    expect(noDatabase.status).toBe(1);
  }, 120_000);
});
