/**
 * The command line of `npm run policy:replay`, in the manner of `npm run export`
 * (src/app/export/parse-export-args.ts): every problem is a `ReplayUsageError` whose message says
 * what to type instead; the script prints it with the usage and exits 2.
 */
import { parseArgs } from 'node:util';

export const REPLAY_USAGE = `usage: npm run policy:replay -- --from YYYY-MM-DD --to YYYY-MM-DD [--policy FILE.yaml] [--json]

Replays the threads opened from --from to --to through an escalation policy and prints what would
have escalated (issue, trigger, evidence, path, level, priority) next to what did: "would escalate,
did not", "escalated, would not", "same issue, different trigger or path", then counts per trigger.
Only reads the database (it is opened read-only), so it is safe to run against production.

  --from YYYY-MM-DD   first day of the period (local date in the policy time zone)
  --to YYYY-MM-DD     last day of the period (included)
  --policy FILE       the policy to try (default: POLICY_FILE, as for npm start)
  --json              print the report as JSON instead of text
  --help              show this text

The database comes from DATABASE_URL (or .env), as for npm start.
Exit codes: 0 replayed, 1 configuration or database problem, 2 bad arguments.`;

export class ReplayUsageError extends Error {}

export type ReplayCommand =
  | { help: true }
  | {
      help: false;
      from: string;
      to: string;
      /** Undefined: POLICY_FILE. */
      policy?: string;
      json: boolean;
    };

const VALUE_OPTIONS = ['from', 'to', 'policy'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const EXAMPLE: Record<ValueOption, string> = {
  from: '--from 2026-11-01',
  to: '--to 2026-11-30',
  policy: '--policy escalation-policy.yaml',
};

/** Parses `process.argv.slice(2)`; throws `ReplayUsageError` saying what to fix. */
export function parseReplayArgs(argv: readonly string[]): ReplayCommand {
  const { tokens } = parseArgs({
    args: [...argv],
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      policy: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Partial<Record<ValueOption, string>> = {};
  let help = false;
  let json = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new ReplayUsageError(
        `Unexpected argument "${token.value}": give the period as --from YYYY-MM-DD --to YYYY-MM-DD and the policy as --policy FILE.yaml.`,
      );
    }
    if (token.name === 'help' || token.name === 'h') {
      help = true;
      continue;
    }
    if (token.name === 'json') {
      if (token.inlineValue) throw new ReplayUsageError('--json takes no value: write --json alone.');
      json = true;
      continue;
    }
    const name = VALUE_OPTIONS.find((option) => option === token.name);
    if (!name) {
      throw new ReplayUsageError(
        `Unknown option ${token.rawName}: the options are --from, --to, --policy, --json and --help.`,
      );
    }
    const value = token.inlineValue || !token.value?.startsWith('-') ? token.value : undefined;
    if (value === undefined || value.trim() === '') {
      throw new ReplayUsageError(`${token.rawName} needs a value, e.g. ${EXAMPLE[name]}.`);
    }
    if (values[name] !== undefined) throw new ReplayUsageError(`--${name} is given twice: give it once.`);
    values[name] = value;
  }
  if (help) return { help: true };

  const from = requiredDate(values, 'from', 'the first day of the period');
  const to = requiredDate(values, 'to', 'the last day of the period (included)');
  if (to < from) {
    throw new ReplayUsageError(
      `--to ${to} is before --from ${from}: --from is the first day and --to the last day of the period.`,
    );
  }
  return { help: false, from, to, json, ...(values.policy !== undefined ? { policy: values.policy } : {}) };
}

function requiredDate(
  values: Partial<Record<ValueOption, string>>,
  name: 'from' | 'to',
  meaning: string,
): string {
  const value = values[name];
  if (value === undefined)
    throw new ReplayUsageError(`Missing --${name}: give ${meaning}, e.g. ${EXAMPLE[name]}.`);
  if (!isCalendarDate(value)) {
    throw new ReplayUsageError(
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
