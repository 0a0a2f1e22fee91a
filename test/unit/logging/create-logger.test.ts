import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
// botframework-connector's HTTP client: its errors carry the request config (headers, form body).
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.js';
import { loadPolicyFile } from '../../../src/config/load-policy.js';
import { configSecrets, createLogger, REDACTED } from '../../../src/logging/create-logger.js';
import { EXAMPLE_POLICY_FILE } from '../../support/core/test-context.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../support/slack/index.js';

/** Secrets as the environment holds them, each shaped like the real thing. */
const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx',
  SLACK_APP_TOKEN: 'xapp-1-A0ESCALATOR-1234567890-0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  SLACK_SIGNING_SECRET: '8f14e45fceea167a5a36dedd4bea2543',
  TEAMS_APP_PASSWORD: 'Xq8Q~s3cr3t.Pa55w0rd_for-the-bot~reg',
  SUMMARY_API_KEY: 'sk-proj-Summ4ryK3yThatMustNeverBeLogged',
  VENDOR_HOOK_SECRET: 'whsec_vendor_hook_signing_key_42',
} as const;
/** Things that are credentials without being in our configuration. */
const SLACK_VERIFICATION_TOKEN = 'Jhj5dZrVaK7ZwHHjRyZWjbDl';
const BOT_FRAMEWORK_JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJib3QifQ.c2lnbmF0dXJlLW9mLXRoZS1ib3Q';

const ENV = {
  ...SECRETS,
  SLACK_API_URL: 'https://slack.com/api/',
  TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555',
  SUMMARY_API_URL: 'https://api.openai.com/v1',
  SUMMARY_MODEL: 'gpt-4o-mini',
};

/** A logger that writes into an array, at trace level, knowing the given secret values. */
function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const log = createLogger({ level: 'trace', secrets, destination: { write: (line) => lines.push(line) } });
  return { log, text: () => lines.join(''), records: () => lines.map((l) => JSON.parse(l)) };
}

function leaked(text: string, values: readonly string[]): string[] {
  return values.filter((value) => text.includes(value));
}

describe('fields named like secrets are redacted in logged objects (pino redaction)', () => {
  // No secret values are known to these loggers: only the field names protect them.
  it('the configuration: tokens, signing secret, Teams password, API key; everything else stays readable', () => {
    const env = parseEnv(ENV);
    const { log, text, records } = capture();
    log.info({ env }, 'configuration');
    // Webhook secrets live under names the policy chooses: the value layer covers those (below).
    const { VENDOR_HOOK_SECRET: _named, ...environment } = ENV;
    log.info({ environment }, 'raw environment');
    expect(leaked(text(), Object.values(SECRETS))).toEqual([]);
    const [config] = records();
    expect(config.env.slack).toMatchObject({
      botToken: REDACTED,
      signingSecret: REDACTED,
      appToken: REDACTED,
    });
    expect(config.env.teams).toMatchObject({ appPassword: REDACTED, appId: ENV.TEAMS_APP_ID });
    expect(config.env.summary).toMatchObject({ apiKey: REDACTED, model: 'gpt-4o-mini' });
    expect(config.env.slack.apiUrl).toBe('https://slack.com/api/');
  });

  it("a Slack payload's verification token and an HTTP request's Authorization, cookie and signature headers", () => {
    const { log, text, records } = capture();
    log.warn(
      {
        body: {
          token: SLACK_VERIFICATION_TOKEN,
          team_id: 'T0HOME',
          event: { type: 'message', text: 'my tokens are gone', user: 'U0CUSTOMER' },
        },
        req: {
          method: 'POST',
          url: '/api/messages',
          headers: {
            authorization: `Bearer ${BOT_FRAMEWORK_JWT}`,
            cookie: 'session=abcdef123456',
            'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
          },
        },
      },
      'request refused',
    );
    // Five levels down, as an HTTP client error nests it: err.original.config.headers.Authorization.
    log.error(
      { err: { original: { config: { headers: { Authorization: `Bearer ${BOT_FRAMEWORK_JWT}` } } } } },
      'nested',
    );
    expect(
      leaked(text(), [SLACK_VERIFICATION_TOKEN, BOT_FRAMEWORK_JWT, 'abcdef123456', 'a2114d57b48e']),
    ).toEqual([]);
    const [refused] = records();
    expect(refused.body.event.text).toBe('my tokens are gone');
    expect(refused.req.url).toBe('/api/messages');
  });
});

describe('secret values are scrubbed from every line, also inside text', () => {
  let server: Server;
  let url: string;
  let fake: FakeSlackApi;
  beforeAll(async () => {
    // An OAuth token endpoint that refuses the bot's credentials, as Entra ID does for a wrong secret.
    server = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake = await startFakeSlackApi();
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fake.close();
  });

  it('HTTP client errors as the SDKs throw them: axios (request config, raw headers, form body) and Slack WebClient', async () => {
    const { log, text } = capture(Object.values(SECRETS));
    const axiosError = await axios
      .post(
        `${url}/oauth2/v2.0/token`,
        `grant_type=client_credentials&client_id=${ENV.TEAMS_APP_ID}&client_secret=${encodeURIComponent(SECRETS.TEAMS_APP_PASSWORD)}`,
        { headers: { Authorization: `Bearer ${BOT_FRAMEWORK_JWT}` } },
      )
      .catch((error: unknown) => error);
    // The error carries the password (the form body) and the bearer token (the headers, and the raw
    // request head as a string): logged as it is, both would be printed.
    const carried = axiosError as { config: { data: string }; request: { _header: string } };
    expect(carried.config.data).toContain(SECRETS.TEAMS_APP_PASSWORD);
    expect(carried.request._header).toContain(BOT_FRAMEWORK_JWT);
    log.error({ err: axiosError }, 'token request failed');

    fake.failNext('chat.postMessage', { error: 'invalid_auth' });
    fake.failNext('chat.update', { status: 500 });
    const slack = new WebClient(SECRETS.SLACK_BOT_TOKEN, {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
    });
    for (const call of [
      () => slack.chat.postMessage({ channel: 'C0L2', text: 'card' }),
      () => slack.chat.update({ channel: 'C0L2', ts: '1.2', text: 'card' }),
    ]) {
      log.error({ error: await call().catch((error: unknown) => error) }, 'Slack call failed');
    }

    const output = text();
    expect(output).toContain('token request failed');
    expect(output).toContain('invalid_auth');
    expect(leaked(output, [...Object.values(SECRETS), BOT_FRAMEWORK_JWT])).toEqual([]);
  });

  it('SDK debug lines that print whole payloads, and error messages that quote a secret', () => {
    const { log, text, records } = capture(Object.values(SECRETS));
    const envelope = {
      envelope_id: 'e1',
      type: 'events_api',
      payload: { token: SLACK_VERIFICATION_TOKEN, team_id: 'T0HOME', event: { type: 'message', text: 'hi' } },
    };
    // What @slack/socket-mode logs at debug level, through Bolt's logger (a string, not an object).
    log.debug({ bolt: true }, `Received a message on the WebSocket: ${JSON.stringify(envelope)}`);
    log.error({ error: `signature check failed with secret ${SECRETS.SLACK_SIGNING_SECRET}` }, 'refused');
    log.warn({}, `retrying https://hooks.example.com/x?token=${SECRETS.SLACK_BOT_TOKEN}&channel=C0L2`);
    log.info({ error: `vendor answered 401 for key ${SECRETS.VENDOR_HOOK_SECRET}` }, 'webhook failed');
    log.info({}, `calling summary endpoint with Authorization: Bearer ${SECRETS.SUMMARY_API_KEY}`);

    const output = text();
    expect(leaked(output, [...Object.values(SECRETS), SLACK_VERIFICATION_TOKEN])).toEqual([]);
    // Scrubbing keeps every line valid JSON and the rest of the text readable.
    const [debug, , retry] = records();
    expect(debug.msg).toContain('"type":"events_api"');
    expect(debug.msg).toContain(`"token":"${REDACTED}"`);
    expect(retry.msg).toBe(`retrying https://hooks.example.com/x?token=${REDACTED}&channel=C0L2`);
  });

  it('configSecrets hands the logger every secret of the configuration, webhook secrets from the policy included', () => {
    const env = parseEnv(ENV);
    const policy = loadPolicyFile(EXAMPLE_POLICY_FILE);
    const secrets = configSecrets(env, policy, (name) => (ENV as Record<string, string>)[name]);
    expect(new Set(secrets)).toEqual(new Set(Object.values(SECRETS)));

    const { log, text } = capture(secrets);
    for (const value of Object.values(SECRETS)) log.error({ error: `upstream said: ${value}` }, 'failed');
    expect(leaked(text(), Object.values(SECRETS))).toEqual([]);
  });
});
