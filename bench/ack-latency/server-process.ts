/**
 * One server under load, in a process of its own so the load generator never shares its event
 * loop (see `child-server.ts`, which forks this file):
 *
 *   escalator <database-url>
 *                     the real service (`startEscalator`, example policy, schedules on) on that
 *                     database (a fresh SQLite file or PostgreSQL database), its Slack adapter
 *                     pointed at a loopback fake Web API started here
 *   bare-bolt         the baseline: a Bolt App on its own HTTPReceiver with a no-op message listener
 *
 * It tells the parent `{ url }` over IPC once it listens, and stops cleanly on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { loadPolicyFile } from '../../src/config/index.js';
import { startEscalator } from '../../src/escalator.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { startFakeSlackApi } from '../../test/support/slack/index.js';
import {
  AGENT_TEAM,
  agentId,
  BENCH_SIGNING_SECRET,
  CUSTOMER_TEAM,
  customerId,
  PEOPLE,
} from './support-traffic.js';

const BOT_TOKEN = 'xoxb-bench';

const [kind, databaseUrl] = process.argv.slice(2);
const stop = kind === 'escalator' ? await serveEscalator(databaseUrl!) : await serveBareBolt();
process.once('SIGTERM', () => {
  stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

async function serveEscalator(databaseUrl: string): Promise<() => Promise<void>> {
  // Slack as the adapter sees it: auth.test at start, users.info once per new person.
  const fake = await startFakeSlackApi();
  for (let n = 1; n <= PEOPLE.customers; n += 1) {
    fake.addUser({ id: customerId(n), name: `customer${n}`, teamId: CUSTOMER_TEAM });
  }
  for (let n = 1; n <= PEOPLE.agents; n += 1)
    fake.addUser({ id: agentId(n), name: `agent${n}`, teamId: AGENT_TEAM });
  const running = await startEscalator({
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    policy: loadPolicyFile(new URL('../../escalation-policy.example.yaml', import.meta.url).pathname),
    slack: { botToken: BOT_TOKEN, signingSecret: BENCH_SIGNING_SECRET, apiUrl: fake.url },
    // As in production: info lines (one per request) on standard output, which the parent sends to a file.
    log: createLogger({ level: 'info', secrets: [BOT_TOKEN, BENCH_SIGNING_SECRET] }),
  });
  process.send?.({ url: `${running.url}/slack/events` });
  return async () => {
    await running.stop();
    await fake.close();
  };
}

async function serveBareBolt(): Promise<() => Promise<void>> {
  const receiver = new HTTPReceiver({ signingSecret: BENCH_SIGNING_SECRET, endpoints: '/slack/events' });
  const app = new App({
    token: BOT_TOKEN,
    botId: 'B0BOT',
    botUserId: 'U0BOT',
    // No auth.test at start: the baseline talks to nothing but its own HTTP server.
    tokenVerificationEnabled: false,
    receiver,
    logLevel: LogLevel.ERROR,
  });
  app.message(async () => {});
  const server = await receiver.start(0);
  const { port } = server.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}/slack/events` });
  return () => app.stop().then(() => undefined);
}
