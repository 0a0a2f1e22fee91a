/**
 * Configuration entry point: environment + escalation policy file -> typed config. `loadConfig` is
 * the one place in the program that reads `process.env` (through its default argument).
 */
import { existsSync } from 'node:fs';
import type { Policy } from '../domain/policy.js';
import { type Env, parseEnv } from './env.js';
import { loadPolicyFile } from './load-policy.js';

export { ConfigError } from './config-error.js';
export { DURATION_HINT, formatDuration, parseDuration } from './duration.js';
export {
  type Env,
  LOG_LEVELS,
  type LogLevel,
  parseEnv,
  type SlackEnv,
  type SummaryEnv,
  TEAMS_APP_TYPES,
  type TeamsAppType,
  type TeamsEnv,
} from './env.js';
export { loadPolicyFile, parsePolicy } from './load-policy.js';

export interface Config {
  env: Env;
  policy: Policy;
}

/** Validates the environment, then loads the policy file it names. Throws `ConfigError` on any problem. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // A `.env` file in the working directory fills in what the real environment leaves unset.
  if (source === process.env && existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv(source);
  return { env, policy: loadPolicyFile(env.policyFile) };
}
