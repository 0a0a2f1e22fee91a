/**
 * The command line of `npm run knowledge:export`. Every problem is a `KnowledgeExportUsageError`
 * whose message names the argument and says what to type instead; the script prints it with the
 * usage and exits 2, as `npm run export` does.
 */
import { isCalendarDate, parseScriptArgs } from '../period-args.js';

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

/** Parses `process.argv.slice(2)`; throws `KnowledgeExportUsageError` saying what to fix. */
export function parseKnowledgeExportArgs(argv: readonly string[]): KnowledgeExportCommand {
  const parsed = parseScriptArgs(argv, {
    values: { since: '--since 2026-11-01', out: '--out knowledge.md' },
    flags: [],
    positionalHint: 'options are written --since YYYY-MM-DD and --out FILE',
    error: KnowledgeExportUsageError,
  });
  if (parsed.help) return { help: true };
  const { since, out } = parsed.values;
  if (since !== undefined && !isCalendarDate(since)) {
    throw new KnowledgeExportUsageError(
      `--since "${since}" is not a date: write it as YYYY-MM-DD, e.g. --since 2026-11-01.`,
    );
  }
  return {
    help: false,
    ...(since !== undefined ? { since } : {}),
    ...(out !== undefined ? { out } : {}),
  };
}
