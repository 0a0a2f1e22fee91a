/**
 * Writes the escalations of a period as CSV, for spreadsheets and BI tools:
 *
 *   npm run export -- --from 2026-11-01 --to 2026-11-30 --out november.csv
 *   npm run --silent export -- --from 2026-11-01 --to 2026-11-30 > november.csv
 *
 * Dates are local dates in the policy time zone, both days included. The database and the policy
 * come from DATABASE_URL (SQLite or PostgreSQL) and POLICY_FILE (or `.env`) exactly as for `npm start`. Apart from applying
 * pending migrations (as `npm start` would) it only reads, so it can run next to a live Escalator.
 * The CSV goes to --out or standard output, the count to stderr.
 *
 * Exit codes: 0 written (or --help), 1 configuration or database problem, 2 bad arguments.
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { escalationCsvLines } from '../src/app/export/escalations-csv.js';
import { exportPeriod } from '../src/app/export/export-period.js';
import { EXPORT_USAGE, ExportUsageError, parseExportArgs } from '../src/app/export/parse-export-args.js';
import { loadConfig } from '../src/config/index.js';
import { openStore } from '../src/db/open-store.js';
import { requireExistingDatabase, runScript } from './script-runner.js';

async function main(argv: string[]): Promise<number> {
  const command = parseExportArgs(argv);
  if (command.help) {
    console.log(EXPORT_USAGE);
    return 0;
  }
  const { env, policy } = loadConfig();
  requireExistingDatabase(env.databaseUrl);
  const period = exportPeriod(command.from, command.to, policy.timezone);
  const store = await openStore(env.databaseUrl);
  let facts: Awaited<ReturnType<typeof store.analytics.listEscalationFacts>>;
  try {
    facts = await store.analytics.listEscalationFacts(period.start, period.end);
  } finally {
    await store.close();
  }

  const lines = Readable.from(escalationCsvLines(facts, { timeZone: policy.timezone }));
  const where = command.out === undefined ? 'standard output' : resolve(command.out);
  if (command.out === undefined) await pipeline(lines, process.stdout, { end: false });
  else await pipeline(lines, createWriteStream(command.out));

  const count = `${facts.length} escalation${facts.length === 1 ? '' : 's'}`;
  console.error(`Wrote ${count} created ${command.from} to ${command.to} (${policy.timezone}) to ${where}.`);
  return 0;
}

await runScript(main, { error: ExportUsageError, text: EXPORT_USAGE });
