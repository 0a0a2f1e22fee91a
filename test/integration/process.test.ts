import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/core/database-project.js';
import { FreshDatabases } from '../support/core/fresh-database.js';
import { freePort, type SpawnedEscalator, spawnEscalator } from '../support/process/spawn-escalator.js';
import {
  type FakeSlackApi,
  messageEvent,
  sendEvent,
  slackTs,
  startFakeSlackApi,
} from '../support/slack/index.js';

/** The service as an admin runs it: `npm start` in its own process, configured by the environment. */
describe('running Escalator as a process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-process-'));
  let running: SpawnedEscalator | undefined;
  let fake: FakeSlackApi | undefined;
  const databases = new FreshDatabases();
  afterEach(async () => {
    running?.child.kill('SIGKILL');
    await running?.exited;
    await fake?.close();
    running = undefined;
    fake = undefined;
    await databases.cleanup();
  });

  it('starts without Slack credentials, creates the database, answers health checks and says how to enable Slack', async () => {
    const port = await freePort();
    // A SQLite file in a folder that does not exist yet; on PostgreSQL an empty database.
    const file = join(dir, 'nested', 'escalator.db');
    const db = onPostgres ? await databases.url() : `file:${file}`;
    running = spawnEscalator({ PORT: String(port), DATABASE_URL: db });
    await running.waitForOutput('Escalator listening');
    expect(running.output()).toContain('set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
    expect(running.output()).toContain('set TEAMS_APP_ID and TEAMS_APP_PASSWORD');
    expect(existsSync(file)).toBe(!onPostgres);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, migrations: { ok: true } },
    });

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('with Slack credentials it takes signed events on /slack/events', async () => {
    fake = await startFakeSlackApi();
    const port = await freePort();
    running = spawnEscalator({
      PORT: String(port),
      DATABASE_URL: await databases.url(),
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_SIGNING_SECRET: 'process-secret',
      SLACK_API_URL: fake.url,
    });
    await running.waitForOutput('Escalator listening');
    expect(running.output()).toContain('Slack adapter enabled');
    const ts = slackTs();
    const response = await sendEvent(
      `http://127.0.0.1:${port}/slack/events`,
      'process-secret',
      messageEvent({ channel: 'C0SUPPORT', user: 'U0CUSTOMER', team: 'T0CUSTOMER', text: 'hello', ts }),
    );
    expect(response.status).toBe(200);
    await running.waitForOutput('issue opened');
  });

  it('with TEAMS_ALLOW_UNAUTHENTICATED=true it serves /api/messages and warns loudly', async () => {
    const port = await freePort();
    running = spawnEscalator({
      PORT: String(port),
      DATABASE_URL: await databases.url(),
      TEAMS_ALLOW_UNAUTHENTICATED: 'true',
    });
    await running.waitForOutput('Escalator listening');
    expect(running.output()).toContain('Teams adapter enabled');
    expect(running.output()).toContain('WITHOUT authentication');
    const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      body: 'not json',
    });
    expect(response.status).toBe(400);
  });

  it('refuses to start with a broken policy and names the key, the line and what is allowed', async () => {
    const policy = join(dir, 'broken.yaml');
    writeFileSync(
      policy,
      [
        'timezone: Australia/Sydney',
        'supportChannels:',
        '  - { channel: slack:C0SUPPORT, path: tech }',
        'priorities:',
        '  P3: { firstResponse: 4h, resolve: 3d }',
        'defaultPriority: P3',
        'paths:',
        '  tech:',
        '    type: functional',
        '    levels:',
        '      - { name: L2, channel: slack:C0L2, ackWithin: 30 minutes }',
      ].join('\n'),
    );
    running = spawnEscalator({
      PORT: String(await freePort()),
      POLICY_FILE: policy,
      DATABASE_URL: `file:${join(dir, 'p.db')}`,
    });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain('line 11');
    expect(running.output()).toContain('paths.tech.levels[0].ackWithin');
    expect(running.output()).toMatch(/30s, 15m, 4h/);
  });

  it('refuses to start with half the Slack credentials and names the missing variable', async () => {
    running = spawnEscalator({
      PORT: String(await freePort()),
      SLACK_BOT_TOKEN: 'xoxb-only',
      DATABASE_URL: `file:${join(dir, 'e.db')}`,
    });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain('SLACK_SIGNING_SECRET');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});
