import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the page hears about: a message stored or changed, to fetch again. */
export interface LocalEvent {
  channel: string;
  threadId: string | null;
  id: string;
}

/** How often an idle stream gets a comment line, so proxies and browsers keep it open. */
export const HEARTBEAT_MS = 15_000;

/**
 * The Server-Sent Events stream of the local workspace (`GET /local/api/events`): one `data:` line
 * per stored or updated message, a comment line every 15 s. `close()` ends every stream, so a
 * graceful stop does not wait for browsers that would keep them open forever.
 */
export class LiveFeed {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly heartbeatMs = HEARTBEAT_MS) {}

  /** Sends `event` to every open stream. */
  publish(event: LocalEvent): void {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of this.clients) res.write(line);
  }

  /** Answers `req` with a stream that stays open until the browser leaves or `close()`. */
  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx and the like would otherwise hold the events back in a buffer.
      'x-accel-buffering': 'no',
    });
    // The browser's EventSource reconnects after this long if the stream drops.
    res.write('retry: 3000\n: connected\n\n');
    this.clients.add(res);
    const leave = () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopHeartbeat();
    };
    req.once('close', leave);
    res.once('close', leave);
    this.heartbeat ??= setInterval(() => {
      for (const client of this.clients) client.write(': heartbeat\n\n');
    }, this.heartbeatMs).unref();
  }

  /** Open streams (for tests and the shutdown). */
  get size(): number {
    return this.clients.size;
  }

  /** Ends every stream and the heartbeat. */
  close(): void {
    this.stopHeartbeat();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
