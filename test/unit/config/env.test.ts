import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseEnv } from '../../../src/config/env.js';

const slack = { SLACK_BOT_TOKEN: 'xoxb-123', SLACK_SIGNING_SECRET: 'shh-secret' };

/** The problems `parseEnv` reports for a source (fails the test if it does not throw a ConfigError). */
function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected parseEnv to throw');
}

describe('parseEnv', () => {
  it('applies the defaults to an empty environment: no platform, so the local workspace is the front page', () => {
    expect(parseEnv({})).toEqual({
      port: 3000,
      databaseUrl: 'file:./data/escalator.db',
      policyFile: resolve(process.cwd(), 'escalation-policy.example.yaml'),
      localWorkspace: '/',
      logLevel: 'info',
    });
  });

  it('treats empty and blank strings as unset', () => {
    const env = parseEnv({
      PORT: '',
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '  ',
      LOG_LEVEL: '',
      TEAMS_APP_ID: '',
    });
    expect(env.port).toBe(3000);
    expect(env.slack).toBeUndefined();
    expect(env.teams).toBeUndefined();
  });

  it('accepts a PostgreSQL DATABASE_URL and refuses other schemes without echoing the URL', () => {
    for (const url of ['postgres://app:pw@db:5432/escalator?pool=5', 'postgresql://db/escalator']) {
      expect(parseEnv({ DATABASE_URL: url }).databaseUrl).toBe(url);
    }
    expect(problemsOf({ DATABASE_URL: 'mysql://app:s3cret@db/escalator' })).toEqual([
      expect.stringMatching(
        /^DATABASE_URL: mysql: is not a supported scheme: use file:<path> .* postgres:\/\//,
      ),
    ]);
    const [badPool] = problemsOf({ DATABASE_URL: 'postgres://app:s3cret@db/escalator?pool=0' });
    expect(badPool).toContain('DATABASE_URL: pool=0 is not allowed');
    expect(badPool).not.toContain('s3cret');
  });

  it('reads port, database, policy file (relative to cwd) and log level', () => {
    const env = parseEnv({
      PORT: '8080',
      DATABASE_URL: 'file:/tmp/x.db',
      POLICY_FILE: 'conf/p.yaml',
      LOG_LEVEL: 'debug',
    });
    expect(env).toMatchObject({
      port: 8080,
      databaseUrl: 'file:/tmp/x.db',
      policyFile: resolve(process.cwd(), 'conf/p.yaml'),
      logLevel: 'debug',
    });
  });

  it('enables Slack in HTTP mode with the bot token and signing secret', () => {
    expect(parseEnv(slack).slack).toEqual({
      botToken: 'xoxb-123',
      signingSecret: 'shh-secret',
      apiUrl: 'https://slack.com/api/',
    });
  });

  it('enables Socket Mode with an app token, and keeps a custom API URL ending in a slash', () => {
    const env = parseEnv({ ...slack, SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'http://127.0.0.1:4000/api' });
    expect(env.slack).toMatchObject({ appToken: 'xapp-1', apiUrl: 'http://127.0.0.1:4000/api/' });
  });

  it('enables Teams with app id and password', () => {
    expect(parseEnv({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw' }).teams).toEqual({
      appId: 'app',
      appPassword: 'pw',
      appType: 'MultiTenant',
      allowUnauthenticated: false,
    });
  });

  it('enables Teams with no credentials when TEAMS_ALLOW_UNAUTHENTICATED=true', () => {
    expect(parseEnv({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).teams).toEqual({
      appType: 'MultiTenant',
      allowUnauthenticated: true,
    });
    expect(parseEnv({ TEAMS_ALLOW_UNAUTHENTICATED: 'false' }).teams).toBeUndefined();
  });

  it.each([
    ['a bad port', { PORT: 'abc' }, 'PORT:', '0 to 65535'],
    ['a port out of range', { PORT: '70000' }, 'PORT:', '0 to 65535'],
    [
      'only the bot token',
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      'SLACK_SIGNING_SECRET: is missing',
      'SLACK_BOT_TOKEN',
    ],
    [
      'only the signing secret',
      { SLACK_SIGNING_SECRET: 's' },
      'SLACK_BOT_TOKEN: is missing',
      'SLACK_SIGNING_SECRET',
    ],
    [
      'an app token alone',
      { SLACK_APP_TOKEN: 'xapp-1' },
      'SLACK_APP_TOKEN:',
      'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET',
    ],
    ['a bot token of the wrong kind', { ...slack, SLACK_BOT_TOKEN: 'xoxp-1' }, 'SLACK_BOT_TOKEN:', 'xoxb-'],
    ['an app token of the wrong kind', { ...slack, SLACK_APP_TOKEN: 'xoxb-1' }, 'SLACK_APP_TOKEN:', 'xapp-'],
    ['a bad Slack API URL', { SLACK_API_URL: 'slack.com' }, 'SLACK_API_URL:', 'http(s) URL'],
    ['a Teams id alone', { TEAMS_APP_ID: 'app' }, 'TEAMS_APP_PASSWORD: is missing', 'TEAMS_APP_ID'],
    [
      'a Teams password alone',
      { TEAMS_APP_PASSWORD: 'pw' },
      'TEAMS_APP_ID: is missing',
      'TEAMS_APP_PASSWORD',
    ],
    [
      'a bad app type',
      { TEAMS_APP_TYPE: 'Single' },
      'TEAMS_APP_TYPE:',
      'MultiTenant, SingleTenant, UserAssignedMSI',
    ],
    [
      'single tenant without a tenant',
      { TEAMS_APP_ID: 'a', TEAMS_APP_PASSWORD: 'p', TEAMS_APP_TYPE: 'SingleTenant' },
      'TEAMS_APP_TENANT_ID:',
      'SingleTenant',
    ],
    [
      'a bad boolean',
      { TEAMS_ALLOW_UNAUTHENTICATED: 'yes' },
      'TEAMS_ALLOW_UNAUTHENTICATED:',
      'true or false',
    ],
    [
      'a bad log level',
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL:',
      'fatal, error, warn, info, debug, trace, silent',
    ],
  ])('rejects %s, naming the variable and the fix', (_, source, variable, fix) => {
    const problems = problemsOf(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(variable);
    expect(problems[0]).toContain(fix);
  });

  it('reports every problem at once, in one message', () => {
    const source = { PORT: 'x', LOG_LEVEL: 'loud', SLACK_BOT_TOKEN: 'xoxb-1', TEAMS_APP_PASSWORD: 'pw' };
    expect(problemsOf(source)).toHaveLength(4);
    expect(() => parseEnv(source)).toThrow(/^Environment variables are invalid:\n {2}- PORT: /);
  });

  it('never echoes a secret value', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxp-very-secret', SLACK_SIGNING_SECRET: 's' });
    expect(problems.join('\n')).not.toContain('very-secret');
  });

  it('accepts a user-assigned managed identity without a password', () => {
    const env = parseEnv({
      TEAMS_APP_ID: 'app',
      TEAMS_APP_TYPE: 'UserAssignedMSI',
      TEAMS_APP_TENANT_ID: 'tenant',
    });
    expect(env.teams).toMatchObject({ appId: 'app', tenantId: 'tenant', appType: 'UserAssignedMSI' });
  });

  describe('local workspace and dashboard token', () => {
    it.each([
      [{}, '/'],
      [{ LOCAL_WORKSPACE: 'false' }, undefined],
      [slack, undefined],
      [{ ...slack, LOCAL_WORKSPACE: 'true' }, '/local'],
      [{ TEAMS_ALLOW_UNAUTHENTICATED: 'true', LOCAL_WORKSPACE: 'true' }, '/local'],
    ])('%o serves the local workspace at %s', (source, expected) => {
      expect(parseEnv(source).localWorkspace).toBe(expected);
    });

    it('says what to type for a LOCAL_WORKSPACE that is not true or false', () => {
      expect(problemsOf({ LOCAL_WORKSPACE: 'yes' })).toContain(
        'LOCAL_WORKSPACE: "yes" is not allowed: use true or false (default: on only when no platform is configured)',
      );
    });

    it('keeps a long DASHBOARD_TOKEN and refuses a short one without echoing it', () => {
      expect(parseEnv({ DASHBOARD_TOKEN: 'a'.repeat(24) }).dashboardToken).toBe('a'.repeat(24));
      const message = problemsOf({ DASHBOARD_TOKEN: 'hunter2' }).join('\n');
      expect(message).toMatch(/^DASHBOARD_TOKEN: is too short: use at least 16 random characters/);
      expect(message).not.toContain('hunter2');
    });
  });
});
