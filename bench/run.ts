/**
 * `npm run bench`: every benchmark of bench/*.bench.ts, one table of figures (the median of the
 * runs), each beside its baseline measured in the same run and the goal it is held to.
 *
 *   npm run bench                      all of them, full sizes
 *   npm run bench -- --quick           smaller sizes, a quick check (about a minute)
 *   npm run bench -- --runs 5          the median of 5 runs (default 3)
 *   npm run bench -- --only checker    the benchmarks whose file name contains "checker"
 *   npm run bench -- --json out.json   also write the figures as JSON
 *   npm run bench -- --database postgres://postgres@127.0.0.1:5432/postgres
 *                                      the same on PostgreSQL instead of SQLite files: each run gets
 *                                      a database of its own on that server, dropped afterwards (the
 *                                      URL's own database is only connected to, never written)
 *
 * Figures depend on the machine: compare ratios, not absolute numbers, across machines.
 */
import { writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isPostgresUrl, redactedDatabaseUrl } from '../src/db/open-store.js';
import type { BenchFigure, BenchOptions } from './bench-result.js';
import { describeServer } from './seed/postgres-server.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    json: { type: 'string' },
    database: { type: 'string' },
  },
});
if (values.database !== undefined && !isPostgresUrl(values.database)) {
  console.error(
    '--database takes a PostgreSQL server URL (postgres://user@host:5432/postgres); SQLite is the default.',
  );
  process.exit(2);
}
const options: BenchOptions = {
  quick: values.quick ?? false,
  runs: Math.max(1, Number(values.runs) || 3),
  ...(values.database ? { database: values.database } : {}),
};
const database = options.database ? await describeServer(options.database) : 'SQLite';

const here = import.meta.dirname;
const modules = (await readdir(here))
  .filter((f) => f.endsWith('.bench.ts') && (!values.only || f.includes(values.only)))
  .sort(benchOrder);

console.log(
  `Escalator benchmarks · ${database} · ${options.quick ? 'quick' : 'full'} · median of ${options.runs} · Node ${process.version} · ${cpus().length} cores · ${Math.round(totalmem() / 2 ** 30)} GB`,
);
const figures: BenchFigure[] = [];
const started = Date.now();
for (const file of modules) {
  const at = Date.now();
  process.stdout.write(`\n▶ ${file} … `);
  const bench = (await import(join(here, file))) as { run(options: BenchOptions): Promise<BenchFigure[]> };
  try {
    const results = await bench.run(options);
    figures.push(...results);
    console.log(`${((Date.now() - at) / 1000).toFixed(1)} s`);
    printTable(results);
  } catch (error) {
    console.log('failed');
    console.error(error);
    process.exitCode = 1;
  }
}

console.log(`\nAll figures (${((Date.now() - started) / 1000).toFixed(0)} s in all):`);
printTable(figures);
const missed = figures.filter((f) => !f.met);
console.log(
  missed.length === 0
    ? '\nEvery goal met.'
    : `\n${missed.length} goal(s) missed: ${missed.map((f) => f.name).join('; ')}`,
);
if (values.json) {
  // The server URL may hold a password.
  const written = {
    ...options,
    ...(options.database ? { database: redactedDatabaseUrl(options.database) } : {}),
  };
  writeFileSync(values.json, `${JSON.stringify({ options: written, database, figures }, null, 2)}\n`);
}
// A benchmark that failed half-way can leave a server, a child process or a timer behind, which
// would keep the run from ending after its table is printed.
process.exit(process.exitCode ?? 0);

function printTable(rows: BenchFigure[]): void {
  const table = rows.map((f) => ({
    figure: f.name,
    median: `${format(f.value)} ${f.unit}`,
    runs: f.runs.map(format).join(' / '),
    baseline: f.baseline ? `${format(f.baseline.value)} ${f.baseline.name}` : '',
    ratio: f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}x`,
    goal: f.goal,
    met: f.met ? 'yes' : 'NO',
    note: f.note ?? '',
  }));
  const columns = Object.keys(table[0] ?? {}) as Array<keyof (typeof table)[number]>;
  if (columns.length === 0) return;
  const widths = columns.map((c) => Math.max(c.length, ...table.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of table) console.log(line(columns.map((c) => row[c])));
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** In the order of the issue: ack latency, ingest, checker, digest, memory, delivery. */
function benchOrder(a: string, b: string): number {
  const order = ['ack', 'ingest', 'checker', 'digest', 'memory', 'delivery'];
  const rank = (f: string) => {
    const i = order.findIndex((o) => f.startsWith(o));
    return i < 0 ? order.length : i;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}
