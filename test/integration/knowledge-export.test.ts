/**
 * `npm run knowledge:export` end to end: answers written by the real resolve use case into a real
 * database, then the real script run as its own process, configured by DATABASE_URL and
 * POLICY_FILE only (as `npm run export` is).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEscalation } from '../../src/app/act-on-escalation.js';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import type { RootCause } from '../../src/domain/policy.js';
import { instantAtLocalTime } from '../../src/domain/sla-clock.js';
import { openIssue, people } from '../support/core/fixtures.js';
import { createTestContext, EXAMPLE_POLICY_FILE, type TestContext } from '../support/core/test-context.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'knowledge-export.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** The example policy's time zone. */
const sydney = (date: string, time: string) => instantAtLocalTime(date, time, 'Australia/Sydney');

let world: TestContext;
let dir: string;

/** A thread escalated and resolved at `at` by Sam, with a reusable answer when given. */
async function resolvedAt(
  at: Date,
  problem: string,
  rootCause: RootCause,
  options: { answer?: string; path?: string } = {},
): Promise<number> {
  world.clock.set(at);
  const issue = await openIssue(world.ctx, problem);
  const escalation = await escalateIssue(world.ctx, {
    issueId: issue.id,
    reason: 'Needs a specialist',
    ...(options.path ? { path: options.path } : {}),
    actor: people.agent.id,
    source: 'slack',
  });
  await resolveEscalation(
    world.ctx,
    escalation.id,
    { actor: people.specialist.id, source: 'slack' },
    { note: 'Fixed it', rootCause, ...(options.answer ? { answer: options.answer } : {}) },
  );
  return escalation.number;
}

const numbers = {} as { cache: number; hash: number; refund: number; noAnswer: number; old: number };

beforeAll(async () => {
  world = await createTestContext();
  dir = mkdtempSync(join(tmpdir(), 'escalator-knowledge-export-'));
  await world.store.people.save(people.specialist.id, 'Sam Specialist', new Date('2026-01-01T00:00:00Z'));
  // 20 February: before --since 2026-03-01.
  numbers.old = await resolvedAt(
    sydney('2026-02-20', '10:00'),
    'Old question about invoices',
    'knowledge_gap',
    {
      answer: 'An answer from February.',
    },
  );
  // 00:30 on 1 March in Sydney (13:30 UTC on 28 February): on the --since day, local time.
  numbers.cache = await resolvedAt(
    sydney('2026-03-01', '00:30'),
    'CSV export fails with error 500',
    'knowledge_gap',
    {
      answer: 'Open Settings › Data and press "Clear export cache".\nExports work again a minute later.',
    },
  );
  numbers.refund = await resolvedAt(sydney('2026-03-03', '11:00'), 'Refund over 500 AUD', 'authority_gap', {
    answer: 'Team leads approve refunds up to 2,000 AUD: ask in #support-leads.',
    path: 'management',
  });
  numbers.noAnswer = await resolvedAt(sydney('2026-03-04', '09:00'), 'Login page down', 'system_issue');
  numbers.hash = await resolvedAt(
    sydney('2026-03-05', '15:00'),
    '#1 priority: dashboard is empty',
    'knowledge_gap',
    {
      answer: '# Reload the dashboard\n1. Clear the filters\n2. Pick *All accounts*',
    },
  );
});

afterAll(async () => {
  await world?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run knowledge:export -- <args>` as a process in the temporary folder, with only this environment. */
function runExport(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...args], {
    // Not the repository root: a developer's `.env` there must not change what the test reads.
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: world.dbUrl,
      POLICY_FILE: EXAMPLE_POLICY_FILE,
      ...env,
    },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run knowledge:export', () => {
  it('writes every answer as Markdown, a section per path in alphabetical order, oldest first', () => {
    const { status, stdout, stderr } = runExport([]);
    expect(stderr).toContain('Wrote 4 answers in 2 paths to standard output.');
    expect(status).toBe(0);
    const headings = stdout.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual([
      '# Escalator knowledge base',
      '## management',
      '### Refund over 500 AUD',
      '## tech',
      '### Old question about invoices',
      '### CSV export fails with error 500',
      '### \\#1 priority: dashboard is empty',
    ]);
    // A resolution without an answer is not knowledge to export.
    expect(stdout).not.toContain('Login page down');
  });

  it('gives each answer its text, then where it came from in the policy time zone', () => {
    const { stdout } = runExport([]);
    expect(stdout).toContain(
      [
        '### CSV export fails with error 500',
        '',
        'Open Settings › Data and press "Clear export cache".\\',
        'Exports work again a minute later.',
        '',
        `<sub>From escalation #${numbers.cache}, resolved by Sam Specialist on 2026-03-01 · Knowledge gap</sub>`,
      ].join('\n'),
    );
    expect(stdout).toContain(
      `<sub>From escalation #${numbers.refund}, resolved by Sam Specialist on 2026-03-03 · Authority gap</sub>`,
    );
    // The answer that starts with "#" and numbers its steps stays text: no heading, no list.
    expect(stdout).toContain(
      '\\# Reload the dashboard\\\n1\\. Clear the filters\\\n2\\. Pick \\*All accounts\\*',
    );
  });

  it('--since keeps the answers resolved from that local day on; --out writes the file and says where', () => {
    const { status, stdout, stderr } = runExport(['--since', '2026-03-01', '--out', 'answers.md']);
    expect(status).toBe(0);
    expect(stdout).toBe('');
    const file = join(dir, 'answers.md');
    expect(stderr).toContain(
      `Wrote 3 answers in 2 paths resolved since 2026-03-01 (Australia/Sydney) to ${file}.`,
    );
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('Only escalations resolved on or after 2026-03-01.');
    expect(written).toContain('### CSV export fails with error 500');
    expect(written).not.toContain('Old question about invoices');
  });

  it.each([
    [
      ['--since', '1 March'],
      '--since "1 March" is not a date: write it as YYYY-MM-DD, e.g. --since 2026-11-01.',
    ],
    [['--format', 'html'], 'Unknown option --format: the options are --since, --out and --help.'],
    [['--out'], '--out needs a value, e.g. --out knowledge.md.'],
  ])('refuses %j with what to type instead, the usage, and exit code 2', (args, message) => {
    const { status, stdout, stderr } = runExport(args);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: npm run knowledge:export -- [--since YYYY-MM-DD] [--out FILE.md]');
    expect(stdout).toBe('');
    expect(status).toBe(2);
  });

  it('prints the usage with --help', () => {
    const { status, stdout } = runExport(['--help']);
    expect(stdout).toContain('usage: npm run knowledge:export');
    expect(status).toBe(0);
  });

  it('refuses a database file that does not exist instead of exporting an empty one', () => {
    const missing = join(dir, 'nowhere.db');
    const { status, stderr } = runExport([], { DATABASE_URL: `file:${missing}` });
    expect(stderr).toContain(`There is no database at ${missing}: set DATABASE_URL`);
    expect(status).toBe(1);
    expect(existsSync(missing)).toBe(false);
  });
});
