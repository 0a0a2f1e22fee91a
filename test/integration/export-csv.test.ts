/**
 * `npm run export` end to end: escalations written by the real use cases into a real database,
 * then the real script run as its own process, configured by DATABASE_URL and POLICY_FILE only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimEscalation, escalateFurther, resolveEscalation } from '../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import { recordCsat } from '../../src/app/record-csat.js';
import { parsePolicy } from '../../src/config/load-policy.js';
import type { Escalation } from '../../src/domain/escalation.js';
import type { Issue } from '../../src/domain/issue.js';
import { openIssue, people } from '../support/core/fixtures.js';
import { createTestContext, EXAMPLE_POLICY_FILE, type TestContext } from '../support/core/test-context.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'export.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MINUTE = 60_000;

/** Level names people typed into the policy file: quotes, a comma, emoji, Arabic, a leading `=`. */
const L1_NAME = 'L2 "Tech", nights ☕';
const L2_NAME = '=L3 Engineering 🛠️ هندسة';
/** Why it fired, as a customer-facing trigger could word it: every character CSV has to escape. */
const AWKWARD_WHY = '=HYPERLINK("https://evil.example"), "refund", now\r\nשלום 👋🏽 العميل غاضب';

/** The example policy (time zone Australia/Sydney: +11 in November) with awkward level names. */
function policyText(): string {
  const text = readFileSync(EXAMPLE_POLICY_FILE, 'utf8')
    .replace('name: L2 Tech,', `name: ${JSON.stringify(L1_NAME)},`)
    .replace('name: L3 Engineering,', `name: ${JSON.stringify(L2_NAME)},`);
  const named = [L1_NAME, L2_NAME].every((name) => text.includes(JSON.stringify(name)));
  if (!named || !text.includes('timezone: Australia/Sydney')) {
    throw new Error('the example policy changed: update this test');
  }
  return text;
}

let world: TestContext;
let dir: string;
let policyFile: string;
const seeded = {} as {
  /** 23:59:59.999 on 31 October in Sydney: the day before the period. */
  before: Escalation;
  /** Opened at Sydney midnight starting 1 November, escalated further, resolved, rated. */
  first: { issue: Issue; l1: Escalation; l2: Escalation };
  /** 23:59 on 30 November in Sydney, still open. */
  last: { issue: Issue; escalation: Escalation };
  /** Sydney midnight starting 1 December: the day after the period. */
  after: Escalation;
};

async function escalateAt(at: string, options: { why?: string } = {}) {
  world.clock.set(at);
  const issue = await openIssue(world.ctx);
  const escalation = await escalateIssue(world.ctx, {
    issueId: issue.id,
    reason: 'Export bug, needs engineering',
    actor: people.agent.id,
    source: 'slack',
    reasonCategory: 'knowledge_gap',
    ...(options.why ? { evidence: { summary: options.why } } : {}),
  });
  return { issue, escalation };
}

beforeAll(async () => {
  const text = policyText();
  world = await createTestContext({ policy: parsePolicy(text, 'export-policy.yaml') });
  dir = mkdtempSync(join(tmpdir(), 'escalator-export-'));
  policyFile = join(dir, 'export-policy.yaml');
  writeFileSync(policyFile, text);

  seeded.before = (await escalateAt('2026-10-31T12:59:59.999Z')).escalation;

  const first = await escalateAt('2026-10-31T13:00:00.000Z', { why: AWKWARD_WHY });
  const specialist = { actor: people.specialist.id, source: 'slack' as const };
  const engineer = { actor: people.engineer.id, source: 'slack' as const };
  world.clock.advance(12.5 * MINUTE);
  await claimEscalation(world.ctx, first.escalation.id, specialist);
  world.clock.advance(7.5 * MINUTE);
  const further = await escalateFurther(world.ctx, first.escalation.id, specialist, { reason: 'needs code' });
  world.clock.advance(100 * MINUTE);
  await resolveEscalation(world.ctx, further.followUp!.id, engineer, {
    note: 'Patched the exporter, "v2.1", deployed',
    rootCause: 'system_issue',
  });
  await recordCsat(world.ctx, {
    escalationId: further.followUp!.id,
    score: 5,
    respondent: people.customer.id,
    source: 'slack',
  });
  seeded.first = {
    issue: first.issue,
    l1: (await world.store.escalations.get(first.escalation.id))!,
    l2: (await world.store.escalations.get(further.followUp!.id))!,
  };

  seeded.last = await escalateAt('2026-11-30T12:59:00.000Z');
  seeded.after = (await escalateAt('2026-11-30T13:00:00.000Z')).escalation;
});

afterAll(async () => {
  await world?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run export -- <args>` as a process in the temporary folder, with only this environment. */
function runExport(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...args], {
    // Not the repository root: a developer's `.env` there must not change what the test reads.
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: world.dbUrl,
      POLICY_FILE: policyFile,
      ...env,
    },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function rowsOf(csv: string): Record<string, string>[] {
  return parse(csv, { columns: true }) as Record<string, string>[];
}

const NOVEMBER = ['--from', '2026-11-01', '--to', '2026-11-30'];
let november: ReturnType<typeof runExport> | undefined;
/** The November export to standard output, run once for the tests that only read it. */
const exportNovember = () => {
  november ??= runExport(NOVEMBER);
  return november;
};

describe('npm run export', () => {
  it('writes every escalation step of the period, local dates of the policy time zone, both days included', () => {
    const { status, stdout, stderr } = exportNovember();
    expect(stderr).toContain(
      'Wrote 3 escalations created 2026-11-01 to 2026-11-30 (Australia/Sydney) to standard output.',
    );
    expect(status).toBe(0);
    expect(stdout.endsWith('\r\n')).toBe(true);

    const rows = rowsOf(stdout);
    expect(rows.map((row) => row.escalation_id)).toEqual([
      seeded.first.l1.id,
      seeded.first.l2.id,
      seeded.last.escalation.id,
    ]);
    const exported = rows.map((row) => row.escalation_id);
    expect(exported).not.toContain(seeded.before.id);
    expect(exported).not.toContain(seeded.after.id);
  });

  it('round-trips awkward text, timings, root cause and CSAT through a CSV parser', () => {
    const [l1, l2, last] = rowsOf(exportNovember().stdout);
    const { issue, l2: step2 } = seeded.first;
    expect(l1).toMatchObject({
      escalation: String(seeded.first.l1.number),
      issue: String(issue.number),
      issue_id: issue.id,
      support_channel: 'slack:C0SUPPORT',
      thread_id: issue.threadId,
      customer: people.customer.id,
      type: 'functional',
      path: 'tech',
      level: '1',
      level_name: L1_NAME,
      trigger: 'manual',
      status: 'superseded',
      reason_category: 'knowledge_gap',
      created_by: people.agent.id,
      created_at: '2026-10-31T13:00:00.000Z',
      created_local_date: '2026-11-01',
      claimed_by: people.specialist.id,
      claimed_at: '2026-10-31T13:12:30.000Z',
      minutes_to_claim: '12.5',
      resolved_at: '',
      csat: '',
      // The formula guard: the spreadsheet shows this as text instead of running it.
      why: `'${AWKWARD_WHY}`,
    });
    expect(l2).toMatchObject({
      escalation: String(step2.number),
      issue: String(issue.number),
      level: '2',
      level_name: `'${L2_NAME}`,
      status: 'resolved',
      parent_escalation_id: seeded.first.l1.id,
      created_at: '2026-10-31T13:20:00.000Z',
      resolved_by: people.engineer.id,
      resolved_at: '2026-10-31T15:00:00.000Z',
      minutes_to_resolve: '100',
      root_cause: 'system_issue',
      csat: '5',
    });
    expect(last).toMatchObject({
      escalation: String(seeded.last.escalation.number),
      issue: String(seeded.last.issue.number),
      status: 'open',
      created_at: '2026-11-30T12:59:00.000Z',
      created_local_date: '2026-11-30',
      claimed_at: '',
      ack_due_at: seeded.last.escalation.ackDueAt!.toISOString(),
      root_cause: '',
    });
  });

  it('exports one local day when --from and --to are the same', () => {
    const rows = rowsOf(runExport(['--from', '2026-11-30', '--to', '2026-11-30']).stdout);
    expect(rows.map((row) => row.escalation_id)).toEqual([seeded.last.escalation.id]);
  });

  it('writes the file named by --out and says where', () => {
    const { status, stdout, stderr } = runExport([...NOVEMBER, '--out', 'november.csv']);
    const file = join(dir, 'november.csv');
    expect(stderr).toContain(
      `Wrote 3 escalations created 2026-11-01 to 2026-11-30 (Australia/Sydney) to ${file}.`,
    );
    expect(status).toBe(0);
    expect(stdout).toBe('');
    const rows = rowsOf(readFileSync(file, 'utf8'));
    expect(rows.map((row) => row.escalation_id)).toEqual([
      seeded.first.l1.id,
      seeded.first.l2.id,
      seeded.last.escalation.id,
    ]);
  });

  it.each([
    [['--to', '2026-11-30'], 'Missing --from: give the first day of the period, e.g. --from 2026-11-01.'],
    [
      ['--from', '2026-11-1', '--to', '2026-11-30'],
      '--from "2026-11-1" is not a date: write it as YYYY-MM-DD',
    ],
    [['--from', '2026-11-30', '--to', '2026-11-01'], '--to 2026-11-01 is before --from 2026-11-30'],
    [
      [...NOVEMBER, '--format', 'xlsx'],
      'Unknown option --format: the options are --from, --to, --out and --help.',
    ],
  ])('exits 2 on %j, saying what to fix', (args, message) => {
    const { status, stdout, stderr } = runExport(args);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv]');
    expect(status).toBe(2);
    expect(stdout).toBe('');
  });

  it('prints the usage with --help', () => {
    const { status, stdout } = runExport(['--help']);
    expect(stdout).toContain('usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv]');
    expect(status).toBe(0);
  });

  it('refuses a database file that does not exist instead of exporting an empty one', () => {
    const missing = join(dir, 'nope', 'escalator.db');
    const { status, stderr } = runExport(NOVEMBER, { DATABASE_URL: `file:${missing}` });
    expect(stderr).toContain(`There is no database at ${missing}: set DATABASE_URL`);
    expect(status).toBe(1);
    expect(existsSync(missing)).toBe(false);
  });
});
