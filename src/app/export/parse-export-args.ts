/**
 * The command line of `npm run export`. Every problem is an `ExportUsageError` whose message says
 * what to type instead; the script prints it with the usage and exits 2.
 */
import { parsePeriodArgs } from '../period-args.js';

export const EXPORT_USAGE = `usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv]

Writes every escalation created from --from to --to as CSV (RFC 4180, UTF-8), one row per
escalation step. Both dates are local dates in the policy time zone and both days are included:
--from 2026-11-01 --to 2026-11-30 is all of November.

  --from YYYY-MM-DD   first day of the period
  --to YYYY-MM-DD     last day of the period (included)
  --out FILE          write the CSV to FILE (default: standard output; then run
                      \`npm run --silent export -- ...\` so npm's banner stays out of it)
  --help              show this text

The database and the policy come from DATABASE_URL and POLICY_FILE (or .env), as for npm start.`;

export class ExportUsageError extends Error {}

export type ExportCommand =
  | { help: true }
  | {
      help: false;
      /** First local date of the period, YYYY-MM-DD. */
      from: string;
      /** Last local date of the period (included), YYYY-MM-DD. */
      to: string;
      /** Undefined: standard output. */
      out?: string;
    };

/** Parses `process.argv.slice(2)`; throws `ExportUsageError` saying what to fix. */
export function parseExportArgs(argv: readonly string[]): ExportCommand {
  const args = parsePeriodArgs(argv, {
    values: { out: '--out escalations.csv' },
    flags: [],
    positionalHint: 'give dates as --from YYYY-MM-DD --to YYYY-MM-DD',
    error: ExportUsageError,
  });
  if (args.help) return { help: true };
  return {
    help: false,
    from: args.from,
    to: args.to,
    ...(args.values.out !== undefined ? { out: args.values.out } : {}),
  };
}
