/**
 * Checks an escalation policy before it is rolled out, and says what it means in plain words:
 *
 *   npm run policy:check -- escalation-policy.yaml
 *
 * The file is read by the loader Escalator uses at start (src/config/load-policy.ts), so what
 * passes here starts there, and every problem is reported the way the service reports it: line,
 * key and what to write instead. A valid file is explained section by section, followed by warnings
 * for settings that are valid but probably not meant. Reads nothing else: no database, no network.
 *
 * Exit codes: 0 valid (or --help), 1 invalid, 2 bad arguments or no such file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { explainPolicy } from '../src/app/policy-explain/explain-policy.js';
import { locateKey } from '../src/app/policy-explain/locate-key.js';
import {
  POLICY_CHECK_USAGE,
  PolicyCheckUsageError,
  parsePolicyCheckArgs,
} from '../src/app/policy-explain/parse-check-args.js';
import { policyWarnings } from '../src/app/policy-explain/policy-warnings.js';
import { loadPolicyFile } from '../src/config/load-policy.js';
import { buildWorkCalendar } from '../src/config/work-calendar.js';
import { runScript } from './script-runner.js';

async function main(argv: string[]): Promise<number> {
  const command = parsePolicyCheckArgs(argv);
  if (command.help) {
    console.log(POLICY_CHECK_USAGE);
    return 0;
  }
  const path = resolve(command.file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new PolicyCheckUsageError(
      `There is no policy file at ${path}: check the name, or start from escalation-policy.example.yaml.`,
    );
  }
  // ConfigError (every problem with its line and key) goes to runScript: printed as is, exit 1.
  const policy = loadPolicyFile(path);
  const calendar = buildWorkCalendar(policy);

  const out: string[] = [`${basename(path)} is a valid escalation policy. In plain words:`];
  for (const section of explainPolicy(policy, { calendar, now: new Date() })) {
    out.push('', section.title, ...section.lines.map((line) => `  ${line}`));
  }
  const warnings = policyWarnings(policy);
  const where = locateKey(readFileSync(path, 'utf8'));
  out.push('');
  if (warnings.length === 0) {
    out.push('No warnings.');
  } else {
    out.push(`Warnings (${warnings.length}): valid, but probably not what you meant`);
    for (const warning of warnings) {
      const line = where(warning.at);
      out.push(`  - ${line ? `${line}: ` : ''}${keyPath(warning.at)}: ${warning.message}`);
    }
  }
  console.log(out.join('\n'));
  return 0;
}

/** ['paths', 'tech', 'levels', 1, 'ackWithin'] -> paths.tech.levels[1].ackWithin, as the loader writes it. */
function keyPath(path: readonly (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

await runScript(main, { error: PolicyCheckUsageError, text: POLICY_CHECK_USAGE });
