import { readFileSync } from 'node:fs';
import { validate } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parsePolicy } from '../../../src/config/load-policy.js';
import { startEscalator } from '../../../src/escalator.js';
import { checkerCron } from '../../../src/jobs/checker-schedule.js';
import { silentLogger } from '../../../src/ports/logger.js';
import { EXAMPLE_POLICY_FILE, examplePolicy } from '../../support/core/test-context.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('checkerCron: the policy’s checker.every as a six-field cron expression', () => {
  it.each([
    [5 * SECOND, '*/5 * * * * *'],
    [1 * SECOND, '*/1 * * * * *'],
    [30 * SECOND, '*/30 * * * * *'],
    [1 * MINUTE, '0 */1 * * * *'],
    [2 * MINUTE, '0 */2 * * * *'],
    [15 * MINUTE, '0 */15 * * * *'],
    [1 * HOUR, '0 0 */1 * * *'],
    [6 * HOUR, '0 0 */6 * * *'],
    [24 * HOUR, '0 0 */24 * * *'],
  ])('%d ms → %s (a valid node-cron expression)', (everyMs, expected) => {
    expect(checkerCron(everyMs)).toBe(expected);
    expect(validate(expected)).toBe(true);
  });

  it.each([
    [7 * SECOND, '7s'],
    [90 * SECOND, '90s'],
    [7 * MINUTE, '420s'],
    [45 * MINUTE, '2700s'],
    [5 * HOUR, '18000s'],
    [2 * 24 * HOUR, '172800s'],
    [1500, '1.5s'],
    [0, '0s'],
  ])('%d ms cannot be a cron step and says what is allowed', (everyMs, shown) => {
    expect(() => checkerCron(everyMs)).toThrow(
      `checker.every must divide a minute, an hour or a day evenly (such as 5s, 30s, 1m, 5m, 15m, 1h); got ${shown}`,
    );
  });

  it('the policy file accepts `checker: { every: 5s }`', () => {
    const yaml = examplePolicyYaml().replace('checker: { every: 1m }', 'checker: { every: 5s }');
    expect(parsePolicy(yaml, 'policy.yaml').checker.everyMs).toBe(5 * SECOND);
  });

  it('Escalator refuses to start with an interval cron cannot keep, before touching the database', async () => {
    const policy = { ...examplePolicy(), checker: { everyMs: 7 * SECOND } };
    const started = startEscalator({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: 'file:/nonexistent/dir/never-created.db',
      policy,
      log: silentLogger,
      schedules: false,
    });
    const error = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^checker\.every must divide a minute, an hour or a day evenly.*got 7s$/);
  });
});

function examplePolicyYaml(): string {
  return readFileSync(EXAMPLE_POLICY_FILE, 'utf8');
}
