/**
 * Writes the reusable answers resolvers wrote as Markdown, grouped by escalation path, for a wiki
 * or a help centre:
 *
 *   npm run knowledge:export -- --out knowledge.md
 *   npm run --silent knowledge:export -- --since 2026-11-01 > november-answers.md
 *
 * --since is a local date in the policy time zone. The database and the policy come from
 * DATABASE_URL (SQLite or PostgreSQL) and POLICY_FILE (or `.env`) exactly as for `npm start`.
 * Apart from applying pending migrations (as `npm start` would) it only reads, so it can run next
 * to a live Escalator. The Markdown goes to --out or standard output, the count to stderr.
 *
 * Exit codes: 0 written (or --help), 1 configuration or database problem, 2 bad arguments.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportKnowledge } from '../src/app/knowledge/export-markdown.js';
import {
  KNOWLEDGE_EXPORT_USAGE,
  KnowledgeExportUsageError,
  parseKnowledgeExportArgs,
} from '../src/app/knowledge/parse-knowledge-export-args.js';
import { loadConfig } from '../src/config/index.js';
import { openStore } from '../src/db/open-store.js';
import { requireExistingDatabase, runScript, ScriptError } from './script-runner.js';

async function main(argv: string[]): Promise<number> {
  const command = parseKnowledgeExportArgs(argv);
  if (command.help) {
    console.log(KNOWLEDGE_EXPORT_USAGE);
    return 0;
  }
  const { env, policy } = loadConfig();
  requireExistingDatabase(env.databaseUrl);
  const store = await openStore(env.databaseUrl);
  let exported: Awaited<ReturnType<typeof exportKnowledge>>;
  try {
    exported = await exportKnowledge(store, {
      timeZone: policy.timezone,
      ...(command.since ? { since: command.since } : {}),
    });
  } finally {
    await store.close();
  }

  if (command.out === undefined) process.stdout.write(exported.markdown);
  else {
    await writeFile(command.out, exported.markdown, 'utf8').catch((error: Error) => {
      throw new ScriptError(`Could not write --out ${command.out}: ${error.message}`);
    });
  }

  const where = command.out === undefined ? 'standard output' : resolve(command.out);
  const count = `${exported.answers} answer${exported.answers === 1 ? '' : 's'}`;
  const paths = `${exported.paths} path${exported.paths === 1 ? '' : 's'}`;
  const since = command.since ? ` resolved since ${command.since} (${policy.timezone})` : '';
  console.error(`Wrote ${count} in ${paths}${since} to ${where}.`);
  return 0;
}

await runScript(main, { error: KnowledgeExportUsageError, text: KNOWLEDGE_EXPORT_USAGE });
