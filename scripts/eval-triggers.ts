/**
 * Evaluates the content triggers against the labelled messages in `test/fixtures/triggers/*.jsonl`
 * and prints precision and recall per trigger, next to the targets. Then it does the same for the
 * held-out set in `test/fixtures/triggers/holdout/*.jsonl`, in a table of its own.
 *
 * The detectors were tuned against the first set, so its scores are optimistic. The held-out set was
 * written without looking at the detectors' lexicons and phrases and must never be used for tuning:
 * its table is the honest estimate. A message the held-out set gets wrong is fixed by a change that
 * generalises (and, if it is worth a fixture, a new line in the tuning set), never by a phrase that
 * matches that one message.
 *
 *   npm run eval:triggers                                   # both tables
 *   npm run eval:triggers -- --verbose                      # plus every false positive and negative
 *   npm run eval:triggers -- --db file:./data/escalator.db  # plus the precision seen in production
 *
 * Each fixture line is `{ "text", "labels": [...], "authorEmail"?, "authorTeamId"?, "recent"?, "note"? }`;
 * `labels` names the triggers a person expects to fire (empty for none). The policy is
 * `escalation-policy.example.yaml` (`--policy` for another) with every content trigger enabled.
 * `--fixtures DIR` evaluates `DIR/*.jsonl` instead, and `DIR/holdout/*.jsonl` as its held-out set
 * when that folder exists.
 *
 * It reports and does not gate: the exit code is 0 whatever the scores. A malformed fixture line
 * exits 1 naming the file and line; bad arguments exit 2.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadPolicyFile } from '../src/config/load-policy.js';
import type { Policy, Triggers } from '../src/domain/policy.js';
import { detectContentTriggers, type MessageContext, type TriggerHit } from '../src/domain/triggers/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_FIXTURES = join(ROOT, 'test', 'fixtures', 'triggers');
/** The held-out set's folder inside a fixtures folder. */
const HOLDOUT = 'holdout';
const HOLDOUT_TITLE = 'held-out (not used for tuning)';
const DEFAULT_POLICY = join(ROOT, 'escalation-policy.example.yaml');
/** Every fixture message is from this customer (not staff in the example policy). */
const AUTHOR_ID = 'slack:U0CUSTOMER';

const KINDS = ['manager_request', 'high_value', 'legal', 'dissatisfaction'] as const;
type Kind = (typeof KINDS)[number];
const TARGET = { precision: 0.9, recall: 0.85 };
const FIELDS = new Set(['text', 'labels', 'authorEmail', 'authorTeamId', 'recent', 'note']);

interface Fixture {
  /** `legal.jsonl:12`, for messages. */
  where: string;
  text: string;
  labels: Kind[];
  authorEmail?: string;
  authorTeamId?: string;
  recent: string[];
  note?: string;
}

/** A fixture line that is not what the format says; the message names the file and line. */
class FixtureError extends Error {}
class UsageError extends Error {}

const USAGE =
  'usage: npm run eval:triggers -- [--verbose] [--db file:./data/escalator.db] [--fixtures DIR] [--policy FILE]';

function parseFixtureLine(line: string, where: string): Fixture {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new FixtureError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FixtureError(`${where}: expected a JSON object such as { "text": "...", "labels": [] }`);
  }
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) {
    throw new FixtureError(
      `${where}: unknown field ${unknown.join(', ')}; allowed: ${[...FIELDS].join(', ')}`,
    );
  }
  if (typeof o.text !== 'string' || o.text.trim() === '') {
    throw new FixtureError(`${where}: "text" must be a non-empty string`);
  }
  if (!Array.isArray(o.labels)) {
    throw new FixtureError(`${where}: "labels" must be a list (empty when no trigger should fire)`);
  }
  for (const label of o.labels) {
    if (!KINDS.includes(label as Kind)) {
      throw new FixtureError(`${where}: unknown label ${JSON.stringify(label)}; known: ${KINDS.join(', ')}`);
    }
  }
  if (new Set(o.labels).size !== o.labels.length) throw new FixtureError(`${where}: a label is listed twice`);
  for (const key of ['authorEmail', 'authorTeamId', 'note'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'string') {
      throw new FixtureError(`${where}: "${key}" must be a string`);
    }
  }
  if (o.recent !== undefined && !(Array.isArray(o.recent) && o.recent.every((t) => typeof t === 'string'))) {
    throw new FixtureError(`${where}: "recent" must be a list of earlier customer messages (strings)`);
  }
  return {
    where,
    text: o.text,
    labels: o.labels as Kind[],
    ...(typeof o.authorEmail === 'string' ? { authorEmail: o.authorEmail } : {}),
    ...(typeof o.authorTeamId === 'string' ? { authorTeamId: o.authorTeamId } : {}),
    recent: (o.recent as string[] | undefined) ?? [],
    ...(typeof o.note === 'string' ? { note: o.note } : {}),
  };
}

/**
 * Every `*.jsonl` in `dir`, in name order; blank lines are skipped. `prefix` goes in front of each
 * fixture's `where` (`holdout/` for the held-out set).
 */
function readFixtures(dir: string, prefix = ''): Fixture[] {
  if (!existsSync(dir)) throw new FixtureError(`no fixture folder at ${dir}`);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
  if (files.length === 0) throw new FixtureError(`no *.jsonl files in ${dir}`);
  const fixtures: Fixture[] = [];
  for (const file of files) {
    const lines = readFileSync(join(dir, file), 'utf8').split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() !== '') fixtures.push(parseFixtureLine(line, `${prefix}${file}:${i + 1}`));
    });
  }
  return fixtures;
}

/**
 * The policy's triggers with every content trigger enabled. The example policy names them all; one
 * left out is added with no phrases of its own (so the built-in defaults apply), escalating to the
 * path the other triggers use.
 */
function contentTriggersOf(policy: Policy): { triggers: Triggers; added: string[] } {
  const triggers: Triggers = { ...policy.triggers };
  const path =
    Object.values(policy.triggers).find((t) => t !== undefined)?.path ?? Object.keys(policy.paths)[0] ?? '';
  const added: string[] = [];
  if (!triggers.managerRequest) {
    triggers.managerRequest = { path, phrases: [] };
    added.push('managerRequest');
  }
  if (!triggers.highValue) {
    triggers.highValue = { path, accounts: [] };
    added.push('highValue');
  }
  if (!triggers.legal) {
    triggers.legal = { path, phrases: [] };
    added.push('legal');
  }
  if (!triggers.dissatisfaction) {
    triggers.dissatisfaction = { path, phrases: [] };
    added.push('dissatisfaction');
  }
  return { triggers, added };
}

interface Outcome {
  fixture: Fixture;
  fired: Map<Kind, TriggerHit>;
}

function evaluate(fixtures: Fixture[], triggers: Triggers): Outcome[] {
  return fixtures.map((fixture) => {
    const message: MessageContext = {
      text: fixture.text,
      authorId: AUTHOR_ID,
      ...(fixture.authorEmail !== undefined ? { authorEmail: fixture.authorEmail } : {}),
      ...(fixture.authorTeamId !== undefined ? { authorTeamId: fixture.authorTeamId } : {}),
      recentCustomerTexts: fixture.recent,
    };
    let hits: TriggerHit[];
    try {
      hits = detectContentTriggers(message, triggers);
    } catch (error) {
      throw new Error(`the detectors threw on ${fixture.where}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const fired = new Map<Kind, TriggerHit>();
    for (const hit of hits) {
      const kind = hit.kind as string;
      if (KINDS.includes(kind as Kind) && !fired.has(kind as Kind)) fired.set(kind as Kind, hit);
    }
    return { fixture, fired };
  });
}

interface Score {
  kind: Kind;
  tp: number;
  fp: number;
  fn: number;
  falsePositives: Outcome[];
  falseNegatives: Outcome[];
}

function score(outcomes: Outcome[], kind: Kind): Score {
  const s: Score = { kind, tp: 0, fp: 0, fn: 0, falsePositives: [], falseNegatives: [] };
  for (const outcome of outcomes) {
    const expected = outcome.fixture.labels.includes(kind);
    const fired = outcome.fired.has(kind);
    if (expected && fired) s.tp++;
    else if (fired) {
      s.fp++;
      s.falsePositives.push(outcome);
    } else if (expected) {
      s.fn++;
      s.falseNegatives.push(outcome);
    }
  }
  return s;
}

/** `part / whole`, or undefined when nothing was counted (no firing, or no expected positive). */
const ratio = (part: number, whole: number): number | undefined => (whole === 0 ? undefined : part / whole);
const show3 = (value: number | undefined): string => (value === undefined ? 'n/a' : value.toFixed(3));

function rates(s: Score): { precision: number | undefined; recall: number | undefined } {
  return { precision: ratio(s.tp, s.tp + s.fp), recall: ratio(s.tp, s.tp + s.fn) };
}

/**
 * Both targets met. A trigger that never fired has no precision; it passes only if nothing was
 * expected of it either (and the fixtures always expect something, so that is a miss in practice).
 */
function meetsTargets(s: Score): boolean {
  const { precision, recall } = rates(s);
  return (
    s.tp + s.fp + s.fn > 0 &&
    (precision === undefined || precision >= TARGET.precision) &&
    (recall === undefined || recall >= TARGET.recall)
  );
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells
    .map((cell, i) => {
      const text = String(cell);
      // The first column reads left-aligned; numbers line up on the right.
      return i === 0 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!);
    })
    .join('  ')
    .trimEnd();
}

function table(scores: Score[], outcomes: Outcome[]): string[] {
  const widths = [15, 4, 4, 4, 9, 6, 15, 6];
  const target = `P>=${TARGET.precision.toFixed(2)} R>=${TARGET.recall.toFixed(2)}`;
  const lines = [row(['trigger', 'TP', 'FP', 'FN', 'precision', 'recall', 'target', 'result'], widths)];
  lines.push('-'.repeat(lines[0]!.length));
  for (const s of scores) {
    const { precision, recall } = rates(s);
    lines.push(
      row(
        [
          s.kind,
          s.tp,
          s.fp,
          s.fn,
          show3(precision),
          show3(recall),
          target,
          meetsTargets(s) ? 'PASS' : 'MISS',
        ],
        widths,
      ),
    );
  }
  const tp = scores.reduce((n, s) => n + s.tp, 0);
  const fp = scores.reduce((n, s) => n + s.fp, 0);
  const fn = scores.reduce((n, s) => n + s.fn, 0);
  lines.push('-'.repeat(lines[0]!.length));
  lines.push(row(['overall', tp, fp, fn, show3(ratio(tp, tp + fp)), show3(ratio(tp, tp + fn))], widths));

  const passes = scores.filter(meetsTargets);
  const unlabelled = outcomes.filter((o) => o.fixture.labels.length === 0);
  const exact = outcomes.filter(
    (o) => o.fixture.labels.length === o.fired.size && o.fixture.labels.every((k) => o.fired.has(k)),
  );
  const quiet = unlabelled.filter((o) => o.fired.size === 0);
  lines.push('');
  lines.push(
    `${outcomes.length} messages: ${outcomes.length - unlabelled.length} labelled, ${unlabelled.length} expected to fire nothing`,
  );
  lines.push(
    `${exact.length}/${outcomes.length} messages fired exactly their labels; ${quiet.length}/${unlabelled.length} unlabelled stayed quiet; ${passes.length}/${scores.length} triggers meet both targets`,
  );
  return lines;
}

function oneLineJson(value: unknown, max = 200): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Every false positive (with what the detector matched) and false negative, per trigger. */
function mistakes(scores: Score[]): string[] {
  const lines: string[] = [];
  for (const s of scores) {
    lines.push('', `${s.kind}: ${s.fp} false positive${s.fp === 1 ? '' : 's'}`);
    for (const o of s.falsePositives) {
      const { kind: _kind, ...evidence } = o.fired.get(s.kind)!;
      lines.push(`  FP ${o.fixture.where}  ${describe(o.fixture)}`);
      lines.push(`     fired with ${oneLineJson(evidence)}`);
      if (o.fixture.note) lines.push(`     note: ${o.fixture.note}`);
    }
    lines.push(`${s.kind}: ${s.fn} false negative${s.fn === 1 ? '' : 's'}`);
    for (const o of s.falseNegatives) {
      lines.push(`  FN ${o.fixture.where}  ${describe(o.fixture)}`);
      if (o.fixture.note) lines.push(`     note: ${o.fixture.note}`);
    }
  }
  return lines;
}

function describe(fixture: Fixture): string {
  const context = [
    fixture.authorEmail ? `from ${fixture.authorEmail}` : '',
    fixture.authorTeamId ? `team ${fixture.authorTeamId}` : '',
    fixture.recent.length > 0 ? `after ${oneLineJson(fixture.recent, 160)}` : '',
  ].filter((part) => part !== '');
  return `${JSON.stringify(fixture.text)}${context.length > 0 ? `  (${context.join(', ')})` : ''}`;
}

/** Verdicts that mean "this firing was wrong" (the "Not an escalation" button records `false_positive`). */
const FALSE_POSITIVE_VERDICT = /false|not|fp|reject|dismiss|wrong/i;

interface Feedback {
  fired?: number;
  falsePositives: number;
  confirmed: number;
  verdicts: string[];
}

/** Rows of a query, or undefined when its table does not exist (yet). */
function rowsOf<T>(db: Database.Database, query: string): T[] | undefined {
  try {
    return db.prepare(query).all() as T[];
  } catch (error) {
    if (/no such table/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * Per-trigger precision from the "Not an escalation" verdicts recorded in production:
 * 1 - false positives / firings (firings from `trigger_firings`), or, without that table,
 * confirmed / (confirmed + false positives). Never fails the run: anything missing is said and skipped.
 */
function productionFeedback(databaseUrl: string): string[] {
  const header = `Precision seen in production (${databaseUrl}):`;
  const path = databaseUrl.replace(/^file:/, '');
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:' && !existsSync(file)) {
    return [header, `  no production feedback yet (no database at ${file})`];
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const verdicts = rowsOf<{ kind: string; verdict: string; n: number }>(
      db,
      'select kind, verdict, count(*) as n from trigger_feedback group by kind, verdict',
    );
    if (verdicts === undefined) return [header, '  no production feedback yet (no trigger_feedback table)'];
    const firings = rowsOf<{ kind: string; n: number }>(
      db,
      'select kind, count(*) as n from trigger_firings group by kind',
    );

    const byKind = new Map<string, Feedback>();
    const entry = (kind: string): Feedback => {
      const found = byKind.get(kind) ?? { falsePositives: 0, confirmed: 0, verdicts: [] };
      byKind.set(kind, found);
      return found;
    };
    for (const r of firings ?? []) entry(r.kind).fired = r.n;
    for (const r of verdicts) {
      const e = entry(r.kind);
      if (FALSE_POSITIVE_VERDICT.test(r.verdict)) e.falsePositives += r.n;
      else e.confirmed += r.n;
      e.verdicts.push(`${r.verdict} ${r.n}`);
    }
    if (byKind.size === 0) return [header, '  no production feedback yet (nothing has fired)'];

    const precisionOf = (e: Feedback): number | undefined =>
      firings !== undefined
        ? ratio(Math.max(0, (e.fired ?? 0) - e.falsePositives), e.fired ?? 0)
        : ratio(e.confirmed, e.confirmed + e.falsePositives);
    const order = (k: string) => (KINDS.includes(k as Kind) ? KINDS.indexOf(k as Kind) : KINDS.length);
    const kinds = [...byKind.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    const widths = [15, 5, 14, 9];
    const lines = [
      header,
      `  ${row(['trigger', 'fired', 'false positive', 'precision', 'verdicts'], widths)}`,
    ];
    for (const kind of kinds) {
      const e = byKind.get(kind)!;
      const cells = [kind, e.fired ?? '?', e.falsePositives, show3(precisionOf(e)), e.verdicts.join(', ')];
      lines.push(`  ${row(cells, widths)}`);
    }
    if (verdicts.length === 0) lines.push('  (no "Not an escalation" verdicts recorded yet)');
    return lines;
  } catch (error) {
    return [header, `  production feedback could not be read: ${(error as Error).message}`];
  } finally {
    db?.close();
  }
}

interface EvaluatedSet {
  title: string;
  dir: string;
  outcomes: Outcome[];
  scores: Score[];
}

function scored(outcomes: Outcome[]): { outcomes: Outcome[]; scores: Score[] } {
  return { outcomes, scores: KINDS.map((kind) => score(outcomes, kind)) };
}

/** Overall precision and recall of the two sets side by side: the gap is how much the tuning flatters. */
function comparison(tuning: EvaluatedSet, holdout: EvaluatedSet): string[] {
  const overall = (set: EvaluatedSet) => {
    const tp = set.scores.reduce((n, s) => n + s.tp, 0);
    const fp = set.scores.reduce((n, s) => n + s.fp, 0);
    const fn = set.scores.reduce((n, s) => n + s.fn, 0);
    return { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
  };
  const t = overall(tuning);
  const h = overall(holdout);
  return [
    `tuning -> held-out, overall: precision ${show3(t.precision)} -> ${show3(h.precision)}, ` +
      `recall ${show3(t.recall)} -> ${show3(h.recall)}`,
    '(the held-out numbers are the estimate to trust; do not tune the detectors against that set)',
  ];
}

function main(argv: string[]): number {
  let values: { verbose?: boolean; db?: string; fixtures?: string; policy?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        verbose: { type: 'boolean', short: 'v' },
        db: { type: 'string' },
        fixtures: { type: 'string' },
        policy: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const fixturesDir = values.fixtures ? resolve(values.fixtures) : DEFAULT_FIXTURES;
  const holdoutDir = join(fixturesDir, HOLDOUT);
  const policyFile = values.policy ? resolve(values.policy) : DEFAULT_POLICY;

  // Both sets are read before anything is printed, so a malformed line in either fails the run.
  const fixtures = readFixtures(fixturesDir);
  const holdout = existsSync(holdoutDir) ? readFixtures(holdoutDir, `${HOLDOUT}/`) : undefined;
  const { triggers, added } = contentTriggersOf(loadPolicyFile(policyFile));
  const sets: EvaluatedSet[] = [
    {
      title: holdout ? 'tuning set (the detectors were tuned against it)' : 'fixtures',
      dir: fixturesDir,
      ...scored(evaluate(fixtures, triggers)),
    },
  ];
  if (holdout) sets.push({ title: HOLDOUT_TITLE, dir: holdoutDir, ...scored(evaluate(holdout, triggers)) });

  const shown = (p: string) => relative(process.cwd(), p) || basename(p);
  const out = [
    `Content triggers with the policy ${shown(policyFile)}`,
    ...(added.length > 0 ? [`(not named in the policy, enabled with defaults: ${added.join(', ')})`] : []),
  ];
  for (const set of sets) {
    const heading = `== ${set.title}: ${shown(set.dir)}/*.jsonl ==`;
    out.push('', heading, '', ...table(set.scores, set.outcomes));
  }
  if (!holdout) out.push('', `(no held-out set at ${shown(holdoutDir)})`);
  else out.push('', ...comparison(sets[0]!, sets[1]!));
  if (values.verbose) {
    for (const set of sets) {
      out.push('', `-- mistakes on the ${set.title} --`, ...mistakes(set.scores));
    }
  } else out.push('', '(--verbose lists every false positive and false negative)');
  if (values.db !== undefined) out.push('', ...productionFeedback(values.db));
  console.log(out.join('\n'));
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if (error instanceof FixtureError) {
    console.error(`Malformed fixture: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
