/**
 * A loopback fake of Slack's Socket Mode link, next to the fake Web API.
 *
 *   const fake = await startFakeSlackApi();
 *   const socket = await startFakeSocketMode(fake); // answers apps.connections.open on `fake`
 *   // start the app with appToken 'xapp-…' and slackApiUrl: fake.url; its start() resolves on `hello`
 *   const ack = await socket.send({ type: 'events_api', payload: messageEvent({ ... }) });
 *   await socket.close();
 *
 * What it does, as Slack does (and as `@slack/socket-mode` 3.x expects):
 * - `apps.connections.open` needs an app-level token (`xapp-…`; a bot token gets
 *   `not_allowed_token_type`) and returns a one-use `ws://127.0.0.1:PORT/link?ticket=…` URL.
 * - On connect it sends `hello`; the client counts as connected only after that message.
 * - `send()` pushes an envelope (`events_api`, `slash_commands`, `interactive`) and resolves with the
 *   client's ack `{ envelope_id, payload }`; no ack within Slack's 3 seconds rejects.
 * - Pings are answered with pongs (the client pings every few seconds and drops a silent link).
 * - `disconnect()` and `close()` send a `disconnect` message first, then close the link with 1000.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { FAKE_SLACK, type FakeSlackApi } from './fake-slack-api.js';

export type SocketModeEnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** An envelope to push. Omitted fields get Slack's defaults (see `send`). */
export interface SocketModeEnvelopeInput {
  type: SocketModeEnvelopeType;
  /** `event_callback` body, slash command fields, or interaction payload (as objects, not forms). */
  payload: object;
  /** Default: a fresh UUID (a retry is a new envelope carrying the same `event_id`). */
  envelope_id?: string;
  accepts_response_payload?: boolean;
  /** `events_api` only by default (0); set it on other types to send it anyway. */
  retry_attempt?: number;
  /** `events_api` only by default (`''`); Slack uses e.g. `timeout` on retries. */
  retry_reason?: string;
}

/** The envelope as it went over the wire. */
export interface SocketModeEnvelope {
  envelope_id: string;
  type: SocketModeEnvelopeType;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
  payload: Record<string, unknown>;
}

/** What the client sent back; `payload` is the response body (`{}` when there is none). */
export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export type SocketModeDisconnectReason = 'refresh_requested' | 'link_disabled' | 'warning';

export interface StartFakeSocketModeOptions {
  /** `connection_info.app_id` in `hello` and `app_id` in the link URL. Default `A0ESCALATOR`. */
  appId?: string;
  /** When given, `apps.connections.open` accepts only this token (others get `invalid_auth`). */
  appToken?: string;
}

export interface SendEnvelopeOptions {
  /** How long to wait for the ack (Slack's limit is 3 s). Also bounds waiting for a connection. */
  timeoutMs?: number;
}

export interface FakeSocketMode {
  /** `ws://127.0.0.1:PORT/link` (what `apps.connections.open` returns, plus a ticket). */
  readonly url: string;
  readonly port: number;
  /** Links open right now that got `hello`. */
  readonly openConnections: number;
  /** Links accepted since start (reconnects count again). */
  readonly connectionCount: number;
  /** Every envelope sent, in order. */
  readonly envelopes: SocketModeEnvelope[];
  /** Every ack received, in order. */
  readonly acks: SocketModeAck[];
  /** Messages from the client that were not an ack of a pending envelope (should stay empty). */
  readonly unexpected: unknown[];
  /** Pings the client sent (answered with pongs). */
  readonly clientPings: number;
  /** Resolves once a link is open and has been sent `hello`. */
  waitForConnection(timeoutMs?: number): Promise<void>;
  /** Resolves once no link is open (e.g. after the app stopped). */
  waitForNoConnections(timeoutMs?: number): Promise<void>;
  /**
   * Pushes an envelope over the newest open link and resolves with the client's ack. Defaults:
   * `accepts_response_payload` is true for slash commands, view submissions and block suggestions;
   * `events_api` carries `retry_attempt: 0, retry_reason: ''`. Rejects when no ack arrives in
   * `timeoutMs` (3000), or when the link closes first.
   */
  send(envelope: SocketModeEnvelopeInput, options?: SendEnvelopeOptions): Promise<SocketModeAck>;
  /** Pings every open link; resolves when all answered with a pong. */
  ping(timeoutMs?: number): Promise<void>;
  /** Sends `disconnect` on every open link (the client closes it and reconnects unless stopping). */
  disconnect(reason?: SocketModeDisconnectReason): void;
  /**
   * Sends `disconnect` to links still open, closes them with 1000 (terminates any that do not
   * finish the close handshake quickly), rejects pending acks, stops the server and removes the
   * `apps.connections.open` handler. Safe to call twice.
   */
  close(): Promise<void>;
}

interface Link {
  ws: WebSocket;
  ready: boolean;
}

interface PendingAck {
  envelope: SocketModeEnvelope;
  link: Link;
  resolve: (ack: SocketModeAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  test: () => boolean;
  reject: (error: Error) => void;
}

const ACK_TIMEOUT_MS = 3000;
const CLOSE_GRACE_MS = 500;
const HOST = 'fake-applink-0';

export async function startFakeSocketMode(
  fake: FakeSlackApi,
  options: StartFakeSocketModeOptions = {},
): Promise<FakeSocketMode> {
  const appId = options.appId ?? FAKE_SLACK.appId;
  const tickets = new Set<string>();
  const links = new Set<Link>();
  const pending = new Map<string, PendingAck>();
  const waiters = new Set<Waiter>();
  const sockets = new Set<Socket>();
  const envelopes: SocketModeEnvelope[] = [];
  const acks: SocketModeAck[] = [];
  const unexpected: unknown[] = [];
  let connectionCount = 0;
  let clientPings = 0;
  let closing: Promise<void> | undefined;

  const server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('fake Socket Mode: WebSocket upgrades to /link only');
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (closing) return refuse('503 Service Unavailable');
    if (url.pathname !== '/link' && url.pathname !== '/link/') return refuse('404 Not Found');
    // A ticket from apps.connections.open works once, as Slack's do.
    if (!tickets.delete(ticket)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    const link: Link = { ws, ready: false };
    links.add(link);
    connectionCount += 1;
    ws.on('ping', () => {
      clientPings += 1; // ws answers with a pong by itself
    });
    ws.on('message', (data: RawData, isBinary: boolean) => onMessage(link, data, isBinary));
    ws.on('error', () => {
      // a reset link just closes; pending acks are rejected on close
    });
    ws.on('close', () => {
      links.delete(link);
      for (const [id, wait] of pending) {
        if (wait.link !== link) continue;
        pending.delete(id);
        clearTimeout(wait.timer);
        wait.reject(
          new Error(`the Socket Mode link closed before envelope ${id} (${wait.envelope.type}) was acked`),
        );
      }
      notify();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: links.size,
        debug_info: { host: HOST, build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: appId },
      }),
      () => {
        link.ready = ws.readyState === WebSocket.OPEN;
        notify();
      },
    );
  }

  function onMessage(link: Link, data: RawData, isBinary: boolean): void {
    const text = isBinary ? undefined : rawText(data);
    let message: unknown = text;
    try {
      message = text === undefined ? data : JSON.parse(text);
    } catch {
      // keep the raw text
    }
    const id = isObject(message) && typeof message.envelope_id === 'string' ? message.envelope_id : undefined;
    const wait = id ? pending.get(id) : undefined;
    if (!id || !wait || wait.link !== link || !isObject(message)) {
      unexpected.push(message);
      return;
    }
    pending.delete(id);
    clearTimeout(wait.timer);
    const ack: SocketModeAck = {
      envelope_id: id,
      ...(isObject(message.payload) ? { payload: message.payload } : {}),
    };
    acks.push(ack);
    wait.resolve(ack);
  }

  function notify(): void {
    for (const waiter of [...waiters]) {
      if (waiter.test()) waiters.delete(waiter);
    }
  }

  function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    if (closing) return Promise.reject(new Error(`fake Socket Mode is closed; waited for ${what}`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        test: () => {
          if (!check()) return false;
          clearTimeout(timer);
          resolve();
          return true;
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what} (open links: ${readyLinks().length})`,
          ),
        );
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  function readyLinks(): Link[] {
    return [...links].filter((l) => l.ready && l.ws.readyState === WebSocket.OPEN);
  }

  function disconnectMessage(reason: SocketModeDisconnectReason): string {
    return JSON.stringify({ type: 'disconnect', reason, debug_info: { host: HOST } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `ws://127.0.0.1:${port}/link`;

  fake.setHandler('apps.connections.open', (_args, call) => {
    if (!call.token?.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
    if (options.appToken && call.token !== options.appToken) return { ok: false, error: 'invalid_auth' };
    const ticket = randomBytes(16).toString('hex');
    tickets.add(ticket);
    return { ok: true, url: `${url}?ticket=${ticket}&app_id=${appId}` };
  });

  const socketMode: FakeSocketMode = {
    url,
    port,
    get openConnections() {
      return readyLinks().length;
    },
    get connectionCount() {
      return connectionCount;
    },
    envelopes,
    acks,
    unexpected,
    get clientPings() {
      return clientPings;
    },
    waitForConnection: (timeoutMs = 5000) =>
      waitUntil(() => readyLinks().length > 0, timeoutMs, 'a Socket Mode connection'),
    waitForNoConnections: (timeoutMs = 5000) =>
      waitUntil(() => links.size === 0, timeoutMs, 'every Socket Mode link to close'),

    async send(input, { timeoutMs = ACK_TIMEOUT_MS } = {}) {
      await socketMode.waitForConnection(timeoutMs);
      const link = readyLinks().at(-1)!;
      const events = input.type === 'events_api';
      const envelope: SocketModeEnvelope = {
        envelope_id: input.envelope_id ?? randomUUID(),
        type: input.type,
        accepts_response_payload: input.accepts_response_payload ?? acceptsResponsePayload(input),
        ...(events || input.retry_attempt !== undefined ? { retry_attempt: input.retry_attempt ?? 0 } : {}),
        ...(events || input.retry_reason !== undefined ? { retry_reason: input.retry_reason ?? '' } : {}),
        payload: structuredClone(input.payload) as Record<string, unknown>,
      };
      if (pending.has(envelope.envelope_id))
        throw new Error(`envelope ${envelope.envelope_id} is already pending`);
      envelopes.push(envelope);
      return new Promise<SocketModeAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelope.envelope_id);
          reject(
            new Error(
              `no ack for envelope ${envelope.envelope_id} (${envelope.type}) within ${timeoutMs} ms; unexpected messages: ${JSON.stringify(unexpected)}`,
            ),
          );
        }, timeoutMs);
        pending.set(envelope.envelope_id, { envelope, link, resolve, reject, timer });
        link.ws.send(JSON.stringify(envelope), (error) => {
          if (!error) return;
          const wait = pending.get(envelope.envelope_id);
          if (!wait) return;
          pending.delete(envelope.envelope_id);
          clearTimeout(timer);
          reject(error);
        });
      });
    },

    async ping(timeoutMs = 2000) {
      await Promise.all(
        readyLinks().map(
          (link) =>
            new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => {
                link.ws.off('pong', onPong);
                reject(new Error(`no pong within ${timeoutMs} ms`));
              }, timeoutMs);
              const onPong = () => {
                clearTimeout(timer);
                resolve();
              };
              link.ws.once('pong', onPong);
              link.ws.ping(Buffer.from(`ping from fake Slack (${Date.now()})`));
            }),
        ),
      );
    },

    disconnect(reason = 'refresh_requested') {
      for (const link of links) {
        if (link.ws.readyState === WebSocket.OPEN) link.ws.send(disconnectMessage(reason));
      }
    },

    close() {
      closing ??= (async () => {
        fake.setHandler('apps.connections.open', undefined);
        tickets.clear();
        for (const waiter of [...waiters])
          waiter.reject(new Error('fake Socket Mode was closed while waiting'));
        waiters.clear();
        for (const [id, wait] of pending) {
          clearTimeout(wait.timer);
          wait.reject(new Error(`fake Socket Mode closed before envelope ${id} was acked`));
        }
        pending.clear();
        await Promise.all(
          [...links].map(
            (link) =>
              new Promise<void>((resolve) => {
                const { ws } = link;
                if (ws.readyState === WebSocket.CLOSED) return resolve();
                const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
                ws.once('close', () => {
                  clearTimeout(timer);
                  resolve();
                });
                if (ws.readyState === WebSocket.OPEN) {
                  ws.send(disconnectMessage('link_disabled'));
                  ws.close(1000, 'fake Slack closing');
                }
              }),
          ),
        );
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
          for (const socket of sockets) socket.destroy();
        });
      })();
      return closing;
    },
  };
  return socketMode;
}

function acceptsResponsePayload(input: SocketModeEnvelopeInput): boolean {
  if (input.type === 'slash_commands') return true;
  if (input.type === 'interactive') {
    const { type } = input.payload as { type?: unknown };
    return type === 'view_submission' || type === 'block_suggestion';
  }
  return false;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
