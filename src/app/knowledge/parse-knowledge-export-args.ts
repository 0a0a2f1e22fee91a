/**
 * The command line of `npm run knowledge:export`. Every problem is a `KnowledgeExportUsageError`
 * whose message names the argument and says what to type instead; the script prints it with the
 * usage and exits 2, as `npm run export` does.
 */
import { parseArgs } from 'node:util';

export const KNOWLEDGE_EXPORT_USAGE = `usage: npm run knowledge:export -- [--since YYYY-MM-DD] [--out FILE.md]

Writes the reusable answers that resolvers wrote when resolving escalations as one Markdown
document: a section per escalation path (alphabetical), an answer under a heading taken from the
customer's problem, and where it came from (escalation, resolver, date, root cause).

  --since YYYY-MM-DD  only answers resolved on or after that day (a local date in the policy
                      time zone); default: every answer
  --out FILE          write the Markdown to FILE (default: standard output; then run
                      \`npm run --silent knowledge:export -- ...\` so npm's banner stays out of it)
  --help              show this text

The database and the policy come from DATABASE_URL and POLICY_FILE (or .env), as for npm start.`;

export class KnowledgeExportUsageError extends Error {}

export type KnowledgeExportCommand =
  | { help: true }
  | {
      help: false;
      /** First local date of the answers, YYYY-MM-DD; undefined for all of them. */
      since?: string;
      /** Undefined: standard output. */
      out?: string;
    };

const EXAMPLES = { since: '--since 2026-11-01', out: '--out knowledge.md' } as const;
type ValueOption = keyof typeof EXAMPLES;

/** Parses `process.argv.slice(2)`; throws `KnowledgeExportUsageError` saying what to fix. */
export function parseKnowledgeExportArgs(argv: readonly string[]): KnowledgeExportCommand {
  const fail = (message: string) => new KnowledgeExportUsageError(message);
  // Not strict: the checks below word their own messages, which say what to type instead.
  const { tokens } = parseArgs({
    args: [...argv],
    options: { help: { type: 'boolean', short: 'h' }, since: { type: 'string' }, out: { type: 'string' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Partial<Record<ValueOption, string>> = {};
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw fail(
        `Unexpected argument "${token.value}": options are written --since YYYY-MM-DD and --out FILE.`,
      );
    }
    if (token.name === 'help' || token.name === 'h') {
      help = true;
      continue;
    }
    const name = (Object.keys(EXAMPLES) as ValueOption[]).find((o) => o === token.name);
    if (!name) throw fail(`Unknown option ${token.rawName}: the options are --since, --out and --help.`);
    // Without `=`, a following option is not a value: `--since --out x.md` lacks the date.
    const value = token.inlineValue || !token.value?.startsWith('-') ? token.value : undefined;
    if (value === undefined || value.trim() === '') {
      throw fail(`${token.rawName} needs a value, e.g. ${EXAMPLES[name]}.`);
    }
    if (values[name] !== undefined) throw fail(`--${name} is given twice: give it once.`);
    values[name] = value;
  }
  if (help) return { help: true };
  const { since, out } = values;
  if (since !== undefined && !isCalendarDate(since)) {
    throw fail(`--since "${since}" is not a date: write it as YYYY-MM-DD, e.g. ${EXAMPLES.since}.`);
  }
  return {
    help: false,
    ...(since !== undefined ? { since } : {}),
    ...(out !== undefined ? { out } : {}),
  };
}

/** `YYYY-MM-DD` naming a day that exists (2026-02-30 does not). */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
