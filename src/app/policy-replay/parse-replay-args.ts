/**
 * The command line of `npm run policy:replay`, in the manner of `npm run export`
 * (src/app/export/parse-export-args.ts): every problem is a `ReplayUsageError` whose message says
 * what to type instead; the script prints it with the usage and exits 2.
 */
import { parsePeriodArgs } from '../period-args.js';

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

/** Parses `process.argv.slice(2)`; throws `ReplayUsageError` saying what to fix. */
export function parseReplayArgs(argv: readonly string[]): ReplayCommand {
  const args = parsePeriodArgs(argv, {
    values: { policy: '--policy escalation-policy.yaml' },
    flags: ['json'],
    positionalHint:
      'give the period as --from YYYY-MM-DD --to YYYY-MM-DD and the policy as --policy FILE.yaml',
    error: ReplayUsageError,
  });
  if (args.help) return { help: true };
  return {
    help: false,
    from: args.from,
    to: args.to,
    json: args.flags.json,
    ...(args.values.policy !== undefined ? { policy: args.values.policy } : {}),
  };
}
