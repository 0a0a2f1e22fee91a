import { type IncomingMessage, request } from 'node:http';
import { expect } from 'vitest';
import type { MessageView } from '../../../adapters/local/message-view.js';
import { type RunningEscalator, startEscalator } from '../../../src/escalator.js';
import { silentLogger } from '../../../src/ports/logger.js';
import { type FreshDatabase, freshDatabaseUrl } from '../core/fresh-database.js';
import { ManualClock } from '../core/manual-clock.js';
import { storyPolicy } from '../story/story-policy.js';

export const CASEY = 'local:U0CASEY';
export const JORDAN = 'local:U0JORDAN';
export const ALEX = 'local:U0ALEX';
export const SAM = 'local:U0SAM';
export const RILEY = 'local:U0RILEY';
export const SUPPORT = 'slack:C0SUPPORT';
export const L2 = 'slack:C0L2';
export const LEADS = 'slack:C0LEADS';

/**
 * An Escalator with no Slack and no Teams credentials (the example policy's channels), where the
 * local workspace stands in for both; requests go through real HTTP.
 */
export class LocalWorld {
  private database?: FreshDatabase;
  readonly clock = new ManualClock(new Date('2026-03-03T01:00:00.000Z')); // a Tuesday, noon in Sydney
  app!: RunningEscalator;
  private clientIds = 0;

  constructor(private readonly mountedAt: '/' | '/local' = '/') {}

  async boot(): Promise<this> {
    this.database ??= await freshDatabaseUrl();
    this.app = await startEscalator({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: this.database.url,
      policy: storyPolicy('slack'),
      localWorkspace: this.mountedAt,
      log: silentLogger,
      clock: this.clock,
      schedules: false,
    });
    return this;
  }

  async get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.app.url}${path}`, { headers });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text,
      json: () => JSON.parse(text),
    };
  }

  async post(path: string, body: unknown) {
    const response = await fetch(`${this.app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  /** Posts as a persona; a new clientId unless the test repeats one on purpose. */
  async say(authorId: string, channel: string, text: string, threadId?: string, clientId?: string) {
    return this.post('/local/api/messages', {
      channel,
      threadId,
      authorId,
      text,
      clientId: clientId ?? `client-${++this.clientIds}`,
    });
  }

  async messages(channel: string, thread?: string, as?: string): Promise<MessageView[]> {
    const query = new URLSearchParams({ channel, ...(thread ? { thread } : {}), ...(as ? { as } : {}) });
    const answer = await this.get(`/local/api/messages?${query}`);
    expect(answer.status).toBe(200);
    return answer.json().messages;
  }

  async act(body: Record<string, unknown>) {
    const answer = await this.post('/local/api/actions', body);
    await this.deliver();
    return answer;
  }

  /** Runs one checker tick and delivers what it queued, as the schedules would. */
  async tick(): Promise<void> {
    await this.app.checker.tick();
    await this.deliver();
  }

  async deliver(): Promise<void> {
    await this.app.dispatcher.kick();
  }

  async stop(): Promise<void> {
    await this.app.stop();
    await this.database?.cleanup();
  }
}

/** Opens the event stream and collects its `data:` lines. */
export function openEvents(
  url: string,
): Promise<{ events: Array<Record<string, string>>; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const events: Array<Record<string, string>> = [];
    const req = request(`${url}/local/api/events`, (response) => {
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of block.split('\n')) {
            if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)));
          }
          end = buffer.indexOf('\n\n');
        }
      });
      resolve({ events, response });
    });
    req.on('error', reject);
    req.end();
  });
}
