/**
 * Tries an escalation policy on past threads before it is rolled out:
 *
 *   npm run policy:replay -- --from 2026-11-01 --to 2026-11-30 --policy new-policy.yaml [--json]
 *
 * The threads opened in the period (local dates in the policy time zone, both days included, as
 * `npm run export` reads them) are replayed through the policy's triggers, and what would have
 * escalated is printed next to what did. The database comes from DATABASE_URL (or `.env`), SQLite or
 * PostgreSQL, and is opened read-only: nothing is written, not even migrations, so it is safe
 * against production.
 *
 * Exit codes: 0 replayed (or --help), 1 configuration or database problem, 2 bad arguments.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { exportPeriod } from '../src/app/export/export-period.js';
import { describeReplay } from '../src/app/policy-replay/describe-replay.js';
import {
  parseReplayArgs,
  REPLAY_USAGE,
  ReplayUsageError,
} from '../src/app/policy-replay/parse-replay-args.js';
import { replayPolicy } from '../src/app/policy-replay/replay-policy.js';
import { loadConfig, loadPolicyFile, parseEnv } from '../src/config/index.js';
import { buildWorkCalendar } from '../src/config/work-calendar.js';
import { isPostgresUrl } from '../src/db/open-store.js';
import { openPgReplayReader } from '../src/db/postgres/replay-repository.js';
import type { ReplayReader } from '../src/db/shared/replay-rows.js';
import { openReplayReader } from '../src/db/sqlite/replay-repository.js';
import { requireExistingDatabase, runScript, ScriptError } from './script-runner.js';

async function main(argv: string[]): Promise<number> {
  const command = parseReplayArgs(argv);
  if (command.help) {
    console.log(REPLAY_USAGE);
    return 0;
  }
  const { env, policy, policyFile } = configFor(command.policy);
  requireExistingDatabase(env.databaseUrl);
  const calendar = buildWorkCalendar(policy);
  const period = exportPeriod(command.from, command.to, policy.timezone);

  let reader: ReplayReader;
  try {
    reader = isPostgresUrl(env.databaseUrl)
      ? await openPgReplayReader(env.databaseUrl)
      : openReplayReader(env.databaseUrl);
  } catch (error) {
    throw new ScriptError((error as Error).message);
  }
  let report: Awaited<ReturnType<typeof replayPolicy>>;
  try {
    report = await replayPolicy(reader, { policy, calendar, period, now: new Date() });
  } finally {
    await reader.close();
  }
  console.log(
    command.json
      ? JSON.stringify({ policyFile, ...report }, null, 2)
      : describeReplay(report, basename(policyFile)),
  );
  return 0;
}

/** The environment as for `npm start`; the policy from --policy when given, else POLICY_FILE. */
function configFor(policyArg: string | undefined) {
  if (policyArg === undefined) {
    const { env, policy } = loadConfig();
    return { env, policy, policyFile: env.policyFile };
  }
  const policyFile = resolve(policyArg);
  if (!existsSync(policyFile)) {
    throw new ReplayUsageError(
      `--policy ${policyArg}: there is no such file (${policyFile}); name the policy file to try, e.g. --policy escalation-policy.yaml.`,
    );
  }
  // loadConfig would also load POLICY_FILE, which is not the policy being tried (and may be broken).
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv(process.env);
  return { env, policy: loadPolicyFile(policyFile), policyFile };
}

await runScript(main, { error: ReplayUsageError, text: REPLAY_USAGE });
