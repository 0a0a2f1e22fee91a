/**
 * A loopback fake of an OpenAI-compatible chat-completions endpoint, for the AI summary.
 *
 *   const ai = await startFakeChatCompletions();      // answers 'A short summary.' by default
 *   ai.answer('The customer was charged twice …');   // from now on
 *   ai.fail(500);  ai.hang();                         // or fail, or never answer
 *   ai.next({ hang: true }, { answer: 'late' });      // one-off behaviours, used first, in order
 *   const request = await ai.waitForRequest();        // what Escalator sent
 *   await ai.close();
 *
 * It records every request (path, headers, parsed body, when it came, whether the client gave up).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type CompletionBehaviour =
  /** HTTP 200 with `choices[0].message.content` set to this text. */
  | { answer: string; delayMs?: number }
  /** This HTTP status with an OpenAI-style error body. */
  | { status: number; message?: string }
  /** Never answer (the connection stays open until the client gives up or `close()`). */
  | { hang: true };

export interface ChatCompletionRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  authorization?: string;
  contentType?: string;
  body: {
    model?: string;
    messages?: Array<{ role: string; content: string }>;
    temperature?: number;
    max_tokens?: number;
    [key: string]: unknown;
  };
  /** `Date.now()` when the request arrived. */
  at: number;
  behaviour: CompletionBehaviour;
  /** True once the client closed the connection before an answer (its timeout fired). */
  abandoned: boolean;
}

export interface FakeChatCompletions {
  /** Base URL ending in `/v1`, as OpenAI's (`${url}/chat/completions` is the endpoint). */
  url: string;
  requests: ChatCompletionRequest[];
  /** Answer every following request with this summary. */
  answer(text: string): void;
  /** Fail every following request with this status (500 by default). */
  fail(status?: number): void;
  /** Leave every following request unanswered. */
  hang(): void;
  /** One-off behaviours for the next requests, before the standing one applies again. */
  next(...behaviours: CompletionBehaviour[]): void;
  /** Resolves with the `count`-th request (1-based) once it has arrived. */
  waitForRequest(count?: number, timeoutMs?: number): Promise<ChatCompletionRequest>;
  /** The user message (the thread) of a request. */
  threadOf(request: ChatCompletionRequest): string;
  close(): Promise<void>;
}

export async function startFakeChatCompletions(): Promise<FakeChatCompletions> {
  let standing: CompletionBehaviour = { answer: 'A short summary.' };
  const queued: CompletionBehaviour[] = [];
  const requests: ChatCompletionRequest[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: ChatCompletionRequest['body'] = {};
      try {
        body = JSON.parse(text) as ChatCompletionRequest['body'];
      } catch {
        body = { raw: text };
      }
      const behaviour = queued.shift() ?? standing;
      const request: ChatCompletionRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
        at: Date.now(),
        behaviour,
        abandoned: false,
      };
      requests.push(request);
      res.on('close', () => {
        if (!res.writableFinished) request.abandoned = true;
      });
      for (const wake of [...waiters]) wake();
      respond(res, request, behaviour);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function respond(res: ServerResponse, request: ChatCompletionRequest, behaviour: CompletionBehaviour) {
    if ('hang' in behaviour) return;
    if ('status' in behaviour) {
      const message = behaviour.message ?? 'The server had an error while processing your request.';
      json(res, behaviour.status, { error: { message, type: 'server_error', code: null } });
      return;
    }
    if (request.method !== 'POST' || !request.path.endsWith('/chat/completions')) {
      json(res, 404, { error: { message: `no route ${request.method} ${request.path}` } });
      return;
    }
    const send = () =>
      json(res, 200, {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.body.model ?? 'unknown',
        choices: [
          { index: 0, message: { role: 'assistant', content: behaviour.answer }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
      });
    if (behaviour.delayMs) setTimeout(send, behaviour.delayMs);
    else send();
  }

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    answer(text) {
      standing = { answer: text };
    },
    fail(status = 500) {
      standing = { status };
    },
    hang() {
      standing = { hang: true };
    },
    next(...behaviours) {
      queued.push(...behaviours);
    },
    waitForRequest(count = 1, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = requests[count - 1];
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`timed out after ${timeoutMs} ms waiting for request ${count}; got ${requests.length}`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    threadOf(request) {
      return request.body.messages?.find((m) => m.role === 'user')?.content ?? '';
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
