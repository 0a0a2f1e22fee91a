/**
 * The command line of `npm run export`. Every problem is an `ExportUsageError` whose message says
 * what to type instead; the script prints it with the usage and exits 2.
 */
import { parseArgs } from 'node:util';

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

const VALUE_OPTIONS = ['from', 'to', 'out'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const EXAMPLE: Record<ValueOption, string> = {
  from: '--from 2026-11-01',
  to: '--to 2026-11-30',
  out: '--out escalations.csv',
};

/** Parses `process.argv.slice(2)`; throws `ExportUsageError` saying what to fix. */
export function parseExportArgs(argv: readonly string[]): ExportCommand {
  // Not strict: the checks below word their own messages, which say what to type instead.
  const { tokens } = parseArgs({
    args: [...argv],
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Partial<Record<ValueOption, string>> = {};
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new ExportUsageError(
        `Unexpected argument "${token.value}": give dates as --from YYYY-MM-DD --to YYYY-MM-DD.`,
      );
    }
    if (token.name === 'help' || token.name === 'h') {
      help = true;
      continue;
    }
    const name = VALUE_OPTIONS.find((option) => option === token.name);
    if (!name) {
      throw new ExportUsageError(
        `Unknown option ${token.rawName}: the options are --from, --to, --out and --help.`,
      );
    }
    // Without `=`, a following option is not a value: `--from --to 2026-11-30` lacks the --from date.
    const value = token.inlineValue || !token.value?.startsWith('-') ? token.value : undefined;
    if (value === undefined || value.trim() === '') {
      throw new ExportUsageError(`${token.rawName} needs a value, e.g. ${EXAMPLE[name]}.`);
    }
    if (values[name] !== undefined) {
      throw new ExportUsageError(`--${name} is given twice: give it once.`);
    }
    values[name] = value;
  }
  if (help) return { help: true };

  const from = requiredDate(values, 'from', 'the first day of the period');
  const to = requiredDate(values, 'to', 'the last day of the period (included)');
  if (to < from) {
    throw new ExportUsageError(
      `--to ${to} is before --from ${from}: --from is the first day and --to the last day of the period.`,
    );
  }
  return { help: false, from, to, ...(values.out !== undefined ? { out: values.out } : {}) };
}

function requiredDate(
  values: Partial<Record<ValueOption, string>>,
  name: 'from' | 'to',
  meaning: string,
): string {
  const value = values[name];
  if (value === undefined)
    throw new ExportUsageError(`Missing --${name}: give ${meaning}, e.g. ${EXAMPLE[name]}.`);
  if (!isCalendarDate(value)) {
    throw new ExportUsageError(
      `--${name} "${value}" is not a date: write it as YYYY-MM-DD, e.g. ${EXAMPLE[name]}.`,
    );
  }
  return value;
}

/** `YYYY-MM-DD` naming a day that exists (2026-02-30 does not). */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
