import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'triggers');
/** The held-out set: written without reading the detectors, never used for tuning. */
const HOLDOUT = join(FIXTURES, 'holdout');
const SCRIPT = join(ROOT, 'scripts', 'eval-triggers.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const KINDS = ['manager_request', 'high_value', 'legal', 'dissatisfaction'] as const;
type Kind = (typeof KINDS)[number];
const FILES = [...KINDS, 'plain'].map((name) => `${name}.jsonl`);
const FIELDS = ['text', 'labels', 'authorEmail', 'authorTeamId', 'recent', 'note'];

interface Fixture {
  where: string;
  text: string;
  labels: Kind[];
  authorEmail?: string;
  authorTeamId?: string;
  recent?: string[];
  note?: string;
}

/** Every non-blank line of every fixture file in `dir`, parsed as JSON (a bad line throws, naming itself). */
function readLines(dir = FIXTURES): { where: string; value: unknown }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${file}:${i + 1}`, line }))
        .filter(({ line }) => line.trim() !== '')
        .map(({ where, line }) => {
          try {
            return { where, value: JSON.parse(line) as unknown };
          } catch (error) {
            throw new Error(`${where} is not valid JSON: ${(error as Error).message}`);
          }
        }),
    );
}

/** Why a parsed line is not a fixture, or undefined when it is one. */
function problemOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) return `unknown fields ${unknown.join(', ')}`;
  if (typeof o.text !== 'string' || o.text.trim() === '') return 'text is not a non-empty string';
  if (!Array.isArray(o.labels)) return 'labels is not a list';
  const bad = o.labels.filter((label) => !KINDS.includes(label as Kind));
  if (bad.length > 0) return `unknown labels ${JSON.stringify(bad)}`;
  if (new Set(o.labels).size !== o.labels.length) return 'a label is listed twice';
  for (const key of ['authorEmail', 'authorTeamId', 'note']) {
    if (o[key] !== undefined && typeof o[key] !== 'string') return `${key} is not a string`;
  }
  if (o.recent !== undefined && !(Array.isArray(o.recent) && o.recent.every((t) => typeof t === 'string'))) {
    return 'recent is not a list of strings';
  }
  return undefined;
}

const lines = readLines();
const fixturesOf = (parsed: { where: string; value: unknown }[]): Fixture[] =>
  parsed
    .filter(({ value }) => problemOf(value) === undefined)
    .map(({ where, value }) => ({ where, ...(value as Omit<Fixture, 'where'>) }));
const fixtures = fixturesOf(lines);
const positives = (kind: Kind) => fixtures.filter((f) => f.labels.includes(kind));
const negatives = fixtures.filter((f) => f.labels.length === 0);
const find = (pattern: RegExp) => fixtures.filter((f) => pattern.test(f.text));

describe('test/fixtures/triggers', () => {
  it('has one file per content trigger plus plain.jsonl, none empty', () => {
    const present = readdirSync(FIXTURES).filter((name) => name.endsWith('.jsonl'));
    expect(present.sort()).toEqual([...FILES].sort());
    for (const file of FILES) expect(readFileSync(join(FIXTURES, file), 'utf8').trim(), file).not.toBe('');
  });

  it('has a valid fixture on every line: text, known labels, typed optional fields', () => {
    const problems = lines
      .map(({ where, value }) => ({ where, problem: problemOf(value) }))
      .filter(({ problem }) => problem !== undefined)
      .map(({ where, problem }) => `${where}: ${problem}`);
    expect(problems).toEqual([]);
  });

  it('has at least 260 messages, 40 positives per trigger and 80 that should fire nothing', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(260);
    for (const kind of KINDS) expect(positives(kind).length, kind).toBeGreaterThanOrEqual(40);
    expect(negatives.length).toBeGreaterThanOrEqual(80);
  });

  it('has each message once', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const f of fixtures) {
      const key = f.text.trim().toLowerCase();
      if (seen.has(key)) duplicates.push(`${f.where} repeats ${seen.get(key)}`);
      else seen.set(key, f.where);
    }
    expect(duplicates).toEqual([]);
  });

  it('includes messages with several labels', () => {
    expect(fixtures.filter((f) => f.labels.length > 1).length).toBeGreaterThanOrEqual(5);
  });

  it('includes the tricky negatives: quotes, negation, other managers, harmless legal words, mild complaints', () => {
    const quiet = (pattern: RegExp) => negatives.filter((f) => pattern.test(f.text)).length;
    expect(quiet(/^(>|&gt;)/m)).toBeGreaterThanOrEqual(3);
    expect(quiet(/\bno need for a manager\b/i)).toBeGreaterThanOrEqual(1);
    expect(quiet(/\bnot going to cancel\b/i)).toBeGreaterThanOrEqual(1);
    expect(
      quiet(/\b(account|package|password|office) manager\b|\bmanager dashboard\b/i),
    ).toBeGreaterThanOrEqual(4);
    expect(quiet(/\bfire up\b|\blegal name\b|\bburn rate\b|\bsmoke test\b/i)).toBeGreaterThanOrEqual(4);
    expect(quiet(/\border 12500\b|\berror 50000\b|#10000\b|\b10k requests\b/i)).toBeGreaterThanOrEqual(4);
    expect(negatives.filter((f) => /mild/i.test(f.note ?? '')).length).toBeGreaterThanOrEqual(3);
  });

  it('labels the example policy: listed account acme.com (and subdomains) is high_value, USD is not compared', () => {
    const acme = fixtures.filter((f) => /@([a-z0-9-]+\.)*acme\.com$/i.test(f.authorEmail ?? ''));
    expect(acme.length).toBeGreaterThanOrEqual(10);
    expect(acme.some((f) => /@eu\.acme\.com$/i.test(f.authorEmail ?? ''))).toBe(true);
    expect(acme.filter((f) => !f.labels.includes('high_value')).map((f) => f.where)).toEqual([]);
    for (const amount of [
      /\$12,500\b/,
      /\bAUD 12k\b/,
      /\b12\.5K dollars\b/,
      /\bA\$15,000\b/,
      /\b15,000 AUD\b/,
    ]) {
      expect(
        find(amount).some((f) => f.labels.includes('high_value')),
        String(amount),
      ).toBe(true);
    }
    expect(find(/\bUSD 9,999\.99\b/).map((f) => f.labels.includes('high_value'))).toEqual([false]);
  });
});

const holdoutLines = readLines(HOLDOUT);
const holdout = fixturesOf(holdoutLines);

/** The words of a message, for telling a copied message from a new one. */
const wordsOf = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9$']+/g) ?? []);
/** Shared words / all words of the two messages (Jaccard), 0..1. */
function overlap(a: Set<string>, b: Set<string>): number {
  const shared = [...a].filter((word) => b.has(word)).length;
  return shared / (a.size + b.size - shared || 1);
}

describe('test/fixtures/triggers/holdout (held-out, not used for tuning)', () => {
  const holdoutPositives = (kind: Kind) => holdout.filter((f) => f.labels.includes(kind));
  const holdoutNegatives = holdout.filter((f) => f.labels.length === 0);
  const quiet = (pattern: RegExp) => holdoutNegatives.filter((f) => pattern.test(f.text)).length;

  it('has one file per content trigger plus plain.jsonl, none empty', () => {
    const present = readdirSync(HOLDOUT).filter((name) => name.endsWith('.jsonl'));
    expect(present.sort()).toEqual([...FILES].sort());
    for (const file of FILES) expect(readFileSync(join(HOLDOUT, file), 'utf8').trim(), file).not.toBe('');
  });

  it('has a valid fixture on every line: text, known labels, typed optional fields', () => {
    const problems = holdoutLines
      .map(({ where, value }) => ({ where, problem: problemOf(value) }))
      .filter(({ problem }) => problem !== undefined)
      .map(({ where, problem }) => `holdout/${where}: ${problem}`);
    expect(problems).toEqual([]);
    expect(holdout.length).toBe(holdoutLines.length);
  });

  it('has at least 30 positives per trigger and 60 messages that should fire nothing', () => {
    for (const kind of KINDS) expect(holdoutPositives(kind).length, kind).toBeGreaterThanOrEqual(30);
    expect(holdoutNegatives.length).toBeGreaterThanOrEqual(60);
    expect(holdout.filter((f) => f.labels.length > 1).length).toBeGreaterThanOrEqual(5);
  });

  it('has each message once, none copied or lightly reworded from the tuning set', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const f of holdout) {
      const key = f.text.trim().toLowerCase();
      if (seen.has(key)) duplicates.push(`holdout/${f.where} repeats holdout/${seen.get(key)}`);
      else seen.set(key, f.where);
    }
    expect(duplicates).toEqual([]);

    const tuning = fixtures.map((f) => ({ where: f.where, words: wordsOf(f.text) }));
    const copies = holdout.flatMap((h) => {
      const words = wordsOf(h.text);
      return tuning
        .filter((t) => overlap(words, t.words) >= 0.6)
        .map((t) => `holdout/${h.where} is close to ${t.where}`);
    });
    expect(copies).toEqual([]);
  });

  it('includes the tricky cases: quotes, negation, code, other senses, other currencies, the threshold', () => {
    expect(quiet(/^(>|&gt;)/m)).toBeGreaterThanOrEqual(2);
    expect(quiet(/```/)).toBeGreaterThanOrEqual(1);
    expect(holdoutNegatives.filter((f) => /negat/i.test(f.note ?? '')).length).toBeGreaterThanOrEqual(4);
    expect(holdoutNegatives.filter((f) => /mild/i.test(f.note ?? '')).length).toBeGreaterThanOrEqual(3);
    expect(quiet(/[£€¥]|\bUS\$|\bNZ\$|\bUSD\b/)).toBeGreaterThanOrEqual(4);
    expect(quiet(/\$10,000\b|\$10k\b|\bAUD 9,999\b/)).toBeGreaterThanOrEqual(3);
    expect(
      holdout.filter((f) => f.recent !== undefined && f.recent.length > 0).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('labels the example policy: acme.com and its subdomains are high_value, look-alike domains are not', () => {
    const acme = holdout.filter((f) => /@([a-z0-9-]+\.)*acme\.com$/i.test(f.authorEmail ?? ''));
    expect(acme.length).toBeGreaterThanOrEqual(4);
    expect(acme.some((f) => /@[a-z0-9-]+\.acme\.com$/i.test(f.authorEmail ?? ''))).toBe(true);
    expect(acme.filter((f) => !f.labels.includes('high_value')).map((f) => f.where)).toEqual([]);
    const lookalikes = holdout.filter((f) => /acme\.com\.au$|@notacme\.com$/i.test(f.authorEmail ?? ''));
    expect(lookalikes.length).toBeGreaterThanOrEqual(2);
    expect(lookalikes.filter((f) => f.labels.includes('high_value')).map((f) => f.where)).toEqual([]);
  });
});

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-eval-'));
  tempDirs.push(dir);
  return dir;
}

/** Runs the script as `npm run eval:triggers` does. */
function runEval(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const RATE = String.raw`(\d\.\d{3}|n/a)`;

describe('npm run eval:triggers', { timeout: 90_000 }, () => {
  it('prints a row per trigger (TP, FP, FN, precision, recall, PASS/MISS) and the totals, exiting 0', () => {
    const { code, stdout, stderr } = runEval();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const kind of KINDS) {
      expect(stdout).toMatch(
        new RegExp(`^${kind}\\s+\\d+\\s+\\d+\\s+\\d+\\s+${RATE}\\s+${RATE}\\s+.*\\b(PASS|MISS)$`, 'm'),
      );
    }
    expect(stdout).toMatch(new RegExp(`^overall\\s+\\d+\\s+\\d+\\s+\\d+\\s+${RATE}\\s+${RATE}$`, 'm'));
    expect(stdout).toContain(`${fixtures.length} messages`);
  });

  it('prints a second table for the held-out set, titled as such, after the tuning set', () => {
    const { code, stdout, stderr } = runEval();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const tuningAt = stdout.search(/^== tuning set .*test\/fixtures\/triggers\/\*\.jsonl ==$/m);
    const holdoutAt = stdout.search(
      /^== held-out \(not used for tuning\): .*test\/fixtures\/triggers\/holdout\/\*\.jsonl ==$/m,
    );
    expect(tuningAt).toBeGreaterThanOrEqual(0);
    expect(holdoutAt).toBeGreaterThan(tuningAt);
    const [tuningPart, holdoutPart] = [stdout.slice(tuningAt, holdoutAt), stdout.slice(holdoutAt)];
    for (const part of [tuningPart, holdoutPart]) {
      for (const kind of KINDS) {
        expect(part).toMatch(
          new RegExp(`^${kind}\\s+\\d+\\s+\\d+\\s+\\d+\\s+${RATE}\\s+${RATE}\\s+.*\\b(PASS|MISS)$`, 'm'),
        );
      }
      expect(
        part.match(new RegExp(`^overall\\s+\\d+\\s+\\d+\\s+\\d+\\s+${RATE}\\s+${RATE}$`, 'gm')),
      ).toHaveLength(1);
    }
    expect(tuningPart).toContain(`${fixtures.length} messages`);
    expect(holdoutPart).toContain(`${holdout.length} messages`);
    expect(holdoutPart).toMatch(/^tuning -> held-out, overall: precision \S+ -> \S+, recall \S+ -> \S+$/m);
  });

  it('lists the false positives and negatives of every trigger with --verbose', () => {
    const { code, stdout } = runEval('--verbose');
    expect(code).toBe(0);
    for (const kind of KINDS) {
      expect(stdout).toMatch(new RegExp(`^${kind}: \\d+ false positives?$`, 'm'));
      expect(stdout).toMatch(new RegExp(`^${kind}: \\d+ false negatives?$`, 'm'));
    }
    const holdoutMistakes = stdout.slice(
      stdout.indexOf('-- mistakes on the held-out (not used for tuning) --'),
    );
    expect(holdoutMistakes).not.toBe(stdout);
    for (const kind of KINDS)
      expect(holdoutMistakes).toMatch(new RegExp(`^${kind}: \\d+ false negatives?$`, 'm'));
    // A held-out mistake names its file under holdout/, so it is not mistaken for a tuning fixture.
    for (const where of holdoutMistakes.match(/^ {2}F[PN] \S+/gm) ?? []) expect(where).toMatch(/ holdout\//);
  });

  it('with --fixtures DIR reads DIR/holdout as the held-out set when it exists, and only DIR otherwise', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'a.jsonl'),
      '{ "text": "can I speak to your manager", "labels": ["manager_request"] }\n',
    );
    const alone = runEval('--fixtures', dir);
    expect(alone.code).toBe(0);
    expect(alone.stdout).not.toContain('== held-out');
    expect(alone.stdout).toContain('no held-out set');
    expect(alone.stdout.match(/^overall\s/gm)).toHaveLength(1);

    mkdirSync(join(dir, 'holdout'));
    writeFileSync(
      join(dir, 'holdout', 'b.jsonl'),
      '{ "text": "hello", "labels": [] }\n{ "text": "hi", "labels": [] }\n',
    );
    const both = runEval('--fixtures', dir);
    expect(both.code).toBe(0);
    expect(both.stdout).toContain('== held-out (not used for tuning)');
    expect(both.stdout.match(/^overall\s/gm)).toHaveLength(2);
    expect(both.stdout).toContain('2 messages: 0 labelled, 2 expected to fire nothing');

    writeFileSync(join(dir, 'holdout', 'b.jsonl'), '{ "text": "oops", "labels": ["legl"] }\n');
    const bad = runEval('--fixtures', dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('holdout/b.jsonl:1');
  });

  it('exits 1 naming the file and line of a malformed fixture', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.jsonl'), '{ "text": "hello", "labels": [] }\n');
    writeFileSync(
      join(dir, 'bad.jsonl'),
      '{ "text": "can I speak to your manager", "labels": ["manager_request"] }\n{ "text": "oops", "labels": ["managr_request"] }\n',
    );
    const { code, stderr } = runEval('--fixtures', dir);
    expect(code).toBe(1);
    expect(stderr).toContain('bad.jsonl:2');
    expect(stderr).toContain('managr_request');

    writeFileSync(join(dir, 'bad.jsonl'), '{ "text": "not closed", "labels": []\n');
    const broken = runEval('--fixtures', dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('bad.jsonl:1');
  });

  it('says there is no production feedback yet when the database has no trigger_feedback table', () => {
    const file = join(tempDir(), 'escalator.db');
    const db = new Database(file);
    db.exec('create table issues (id text)');
    db.close();
    const { code, stdout } = runEval('--db', `file:${file}`);
    expect(code).toBe(0);
    expect(stdout).toContain('no production feedback yet');

    const missing = runEval('--db', `file:${join(tempDir(), 'none.db')}`);
    expect(missing.code).toBe(0);
    expect(missing.stdout).toContain('no production feedback yet');
  });

  it('prints the per-trigger precision seen in production: 1 - "Not an escalation" verdicts / firings', () => {
    const file = join(tempDir(), 'escalator.db');
    const db = new Database(file);
    db.exec('create table trigger_firings (kind text)');
    db.exec('create table trigger_feedback (kind text, verdict text)');
    const fire = db.prepare('insert into trigger_firings (kind) values (?)');
    for (let i = 0; i < 4; i++) fire.run('legal');
    fire.run('manager_request');
    db.prepare('insert into trigger_feedback (kind, verdict) values (?, ?)').run('legal', 'false_positive');
    db.close();
    const { code, stdout } = runEval('--db', `file:${file}`);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+legal\s+4\s+1\s+0\.750\b/m);
    expect(stdout).toMatch(/^\s+manager_request\s+1\s+0\s+1\.000\b/m);
  });
});
