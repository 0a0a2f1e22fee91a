/**
 * The command line shared by the scripts that take a period (`npm run export`,
 * `npm run policy:replay`): `--from YYYY-MM-DD --to YYYY-MM-DD`, the script's own options, and
 * `--help`; and the option reader under it, for scripts without a period (`npm run knowledge:export`). Every problem is thrown as the script's usage error, with a message that says what to
 * type instead; the script prints it with its usage and exits 2.
 */
import { parseArgs } from 'node:util';

export interface ScriptArgsSpec<Value extends string, Flag extends string> {
  /** Options that take a value, each with an example (`--out escalations.csv`). */
  values: Record<Value, string>;
  /** Options without a value (`--json`). */
  flags: readonly Flag[];
  /** What a stray argument should have been, e.g. "give dates as --from YYYY-MM-DD --to YYYY-MM-DD". */
  positionalHint: string;
  /** The script's usage error, so it prints the usage beside the message. */
  error: new (
    message: string,
  ) => Error;
}

/** A script's options as given: values (each at most once) and flags; or only a request for help. */
export type ScriptArgs<Value extends string, Flag extends string> =
  | { help: true }
  | { help: false; values: Partial<Record<Value, string>>; flags: Record<Flag, boolean> };

/** The period scripts' options: --from and --to besides their own. */
export type PeriodArgsSpec<Value extends string, Flag extends string> = ScriptArgsSpec<Value, Flag>;

export type PeriodArgs<Value extends string, Flag extends string> =
  | { help: true }
  | {
      help: false;
      /** First local date of the period, YYYY-MM-DD. */
      from: string;
      /** Last local date of the period (included), YYYY-MM-DD. */
      to: string;
      values: Partial<Record<Value, string>>;
      flags: Record<Flag, boolean>;
    };

const DATE_EXAMPLES = { from: '--from 2026-11-01', to: '--to 2026-11-30' };

/**
 * Parses `process.argv.slice(2)` against `spec`: `--help`, the value options and the flags; throws
 * `spec.error` saying what to fix (an unknown option, a missing or repeated value, a stray word).
 */
export function parseScriptArgs<Value extends string, Flag extends string>(
  argv: readonly string[],
  spec: ScriptArgsSpec<Value, Flag>,
): ScriptArgs<Value, Flag> {
  const fail = (message: string) => new spec.error(message);
  const examples: Record<string, string> = spec.values;
  const valueNames = Object.keys(examples);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const name of valueNames) options[name] = { type: 'string' };
  for (const flag of spec.flags) options[flag] = { type: 'boolean' };
  // Not strict: the checks below word their own messages, which say what to type instead.
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const values: Record<string, string> = {};
  const flags = Object.fromEntries(spec.flags.map((flag) => [flag, false])) as Record<Flag, boolean>;
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional')
      throw fail(`Unexpected argument "${token.value}": ${spec.positionalHint}.`);
    if (token.name === 'help' || token.name === 'h') {
      help = true;
      continue;
    }
    const flag = spec.flags.find((f) => f === token.name);
    if (flag) {
      if (token.inlineValue) throw fail(`--${flag} takes no value: write --${flag} alone.`);
      flags[flag] = true;
      continue;
    }
    const name = valueNames.find((option) => option === token.name);
    if (!name) {
      const known = [...valueNames, ...spec.flags].map((o) => `--${o}`).join(', ');
      throw fail(`Unknown option ${token.rawName}: the options are ${known} and --help.`);
    }
    // Without `=`, a following option is not a value: `--from --to 2026-11-30` lacks the --from date.
    const value = token.inlineValue || !token.value?.startsWith('-') ? token.value : undefined;
    if (value === undefined || value.trim() === '') {
      throw fail(`${token.rawName} needs a value, e.g. ${examples[name]}.`);
    }
    if (values[name] !== undefined) throw fail(`--${name} is given twice: give it once.`);
    values[name] = value;
  }
  if (help) return { help: true };
  return { help: false, values: values as Partial<Record<Value, string>>, flags };
}

/** Parses `process.argv.slice(2)` against `spec` and `--from`/`--to`; throws `spec.error` saying what to fix. */
export function parsePeriodArgs<Value extends string, Flag extends string>(
  argv: readonly string[],
  spec: PeriodArgsSpec<Value, Flag>,
): PeriodArgs<Value, Flag> {
  const fail = (message: string) => new spec.error(message);
  const examples: Record<string, string> = { ...DATE_EXAMPLES, ...spec.values };
  const parsed = parseScriptArgs(argv, { ...spec, values: examples });
  if (parsed.help) return { help: true };
  const values: Record<string, string | undefined> = parsed.values;
  const flags = parsed.flags as Record<Flag, boolean>;

  const date = (name: 'from' | 'to', meaning: string): string => {
    const value = values[name];
    if (value === undefined) throw fail(`Missing --${name}: give ${meaning}, e.g. ${examples[name]}.`);
    if (!isCalendarDate(value)) {
      throw fail(`--${name} "${value}" is not a date: write it as YYYY-MM-DD, e.g. ${examples[name]}.`);
    }
    return value;
  };
  const from = date('from', 'the first day of the period');
  const to = date('to', 'the last day of the period (included)');
  if (to < from) {
    throw fail(
      `--to ${to} is before --from ${from}: --from is the first day and --to the last day of the period.`,
    );
  }
  const { from: _from, to: _to, ...own } = values;
  return { help: false, from, to, values: own as Partial<Record<Value, string>>, flags };
}

/** `YYYY-MM-DD` naming a day that exists (2026-02-30 does not). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
