/**
 * The command line of `npm run policy:check`. Every problem is a `PolicyCheckUsageError` whose
 * message says what to type instead; the script prints it with the usage and exits 2.
 */

export const POLICY_CHECK_USAGE = `usage: npm run policy:check -- FILE.yaml

Checks an escalation policy file with the loader Escalator itself uses, then explains it in plain
words (business hours, paths and levels, priorities, triggers, digest, retention) and warns about
settings that are valid but probably not meant. Nothing is started and no database is opened.

  FILE.yaml   the policy to check, such as escalation-policy.yaml
  --help      show this text

Exit codes: 0 valid (warnings may be printed), 1 invalid (every problem with its line and key),
2 bad arguments or no such file.`;

export class PolicyCheckUsageError extends Error {}

export type PolicyCheckCommand = { help: true } | { help: false; file: string };

/** Parses `process.argv.slice(2)`; throws `PolicyCheckUsageError` saying what to fix. */
export function parsePolicyCheckArgs(argv: readonly string[]): PolicyCheckCommand {
  const files: string[] = [];
  let help = false;
  let afterTerminator = false;
  for (const arg of argv) {
    if (!afterTerminator && arg === '--') afterTerminator = true;
    else if (!afterTerminator && (arg === '--help' || arg === '-h')) help = true;
    else if (!afterTerminator && arg.startsWith('-') && arg !== '-') {
      throw new PolicyCheckUsageError(
        `Unknown option ${arg}: give the policy file only, such as npm run policy:check -- escalation-policy.yaml.`,
      );
    } else files.push(arg);
  }
  if (help) return { help: true };
  if (files.length === 0) {
    throw new PolicyCheckUsageError(
      'Missing the policy file: name it, such as npm run policy:check -- escalation-policy.yaml.',
    );
  }
  if (files.length > 1) {
    throw new PolicyCheckUsageError(
      `One file at a time: got ${files.map((f) => `"${f}"`).join(', ')}; run the check once per file.`,
    );
  }
  if (files[0]!.trim() === '') {
    throw new PolicyCheckUsageError(
      'The file name is empty: name the policy file, such as escalation-policy.yaml.',
    );
  }
  return { help: false, file: files[0]! };
}
