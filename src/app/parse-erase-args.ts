/**
 * The command line of `npm run erase`. Every problem is an `EraseUsageError` whose message says
 * what to type instead; the script prints it with the usage and exits 2.
 */
import { parseArgs } from 'node:util';
import { personIdProblem } from './erase-person.js';

export const ERASE_USAGE = `usage: npm run erase -- --user slack:U0123ABCD [--dry-run]

Erases one person: deletes their messages and their directory entry (name, e-mail), removes the
words that quote them from the escalations of threads where they were the customer, and replaces
their id everywhere else with a pseudonym (erased:…), so every count and digest figure stays.
Prints what it removed, per table.

  --user ID    the person: slack:<member id> (U… or W…), or teams:<Entra object id>
               (teams:29:… for a Teams user without one)
  --dry-run    count what would be removed and change nothing
  --help       show this text

The database comes from DATABASE_URL (or .env), as for npm start. Erasing takes the database's
write lock for a moment; Escalator may keep running.`;

export class EraseUsageError extends Error {}

export type EraseCommand = { help: true } | { help: false; personId: string; dryRun: boolean };

/** Parses `process.argv.slice(2)`; throws `EraseUsageError` saying what to fix. */
export function parseEraseArgs(argv: readonly string[]): EraseCommand {
  const { tokens } = parseArgs({
    args: [...argv],
    options: {
      user: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let personId: string | undefined;
  let dryRun = false;
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new EraseUsageError(
        `Unexpected argument "${token.value}": name the person with --user, e.g. --user slack:U0123ABCD.`,
      );
    }
    if (token.name === 'help' || token.name === 'h') help = true;
    else if (token.name === 'dry-run') dryRun = true;
    else if (token.name === 'user') {
      // Without `=`, a following option is not a value: `--user --dry-run` lacks the person.
      const value = token.inlineValue || !token.value?.startsWith('-') ? token.value?.trim() : undefined;
      if (!value) throw new EraseUsageError('--user needs a person id, e.g. --user slack:U0123ABCD.');
      if (personId !== undefined && personId !== value) {
        throw new EraseUsageError('--user is given twice: erase one person at a time.');
      }
      personId = value;
    } else {
      throw new EraseUsageError(
        `Unknown option ${token.rawName}: the options are --user, --dry-run and --help.`,
      );
    }
  }
  if (help) return { help: true };
  if (personId === undefined) {
    throw new EraseUsageError(
      'Missing --user: say whom to erase, e.g. --user slack:U0123ABCD or --user teams:<Entra object id>.',
    );
  }
  const problem = personIdProblem(personId);
  if (problem) throw new EraseUsageError(`--user ${problem}.`);
  return { help: false, personId, dryRun };
}
