import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { verifySlackRequest } from '@slack/bolt';
import type { Logger } from '../../src/ports/logger.js';
import { currentRequest } from '../../src/server/request-context.js';

/**
 * The largest body `/slack/events` takes. Slack's payloads are far smaller: a message at Slack's
 * 40,000-character limit with its rich-text blocks is about 200 KB.
 */
export const SLACK_MAX_BODY_BYTES = 1024 * 1024;

/** Slack's replay window: a signature older or newer than this is refused. */
export const SLACK_MAX_CLOCK_SKEW_S = 5 * 60;

export interface SlackGuardOptions {
  signingSecret: string;
  log: Logger;
  maxBodyBytes?: number;
  /** Unix milliseconds; real time (Slack signs with real time), replaceable in unit tests. */
  now?: () => number;
}

/** What Slack sends to the Request URL, named after Bolt's own routing (App.processEvent). */
export type SlackPayloadKind =
  | 'event'
  | 'command'
  | 'options'
  | 'action'
  | 'shortcut'
  | 'view'
  | 'url_verification'
  | 'app_rate_limited';

/**
 * Checks in front of Bolt's HTTPReceiver, for what Bolt does not refuse itself: a signature dated in
 * the future (Bolt checks only the past), bodies Bolt cannot route (Bolt leaves them unanswered for
 * 3 s, then says 404; JSON `null` even crashes its listener), a body over the limit (Bolt's default
 * is 4 MB), and methods other than POST (Bolt throws out of the request listener). Every refusal is
 * logged with the request's id; what passes reaches Bolt with its body already read.
 */
export function guardSlackRequests(bolt: RequestListener, options: SlackGuardOptions): RequestListener {
  const limit = options.maxBodyBytes ?? SLACK_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  return (req, res) => {
    const log = currentRequest()?.log ?? options.log;
    const refuse = (status: number, why: string, detail: object = {}) => {
      log.warn({ adapter: 'slack', status, ...detail }, `Slack request refused: ${why}`);
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: why }));
    };
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return refuse(405, `${req.method} is not allowed; Slack POSTs`);
    }
    void readBody(req, limit).then(
      (raw) => {
        if (raw === 'too_large') {
          res.setHeader('connection', 'close');
          return refuse(413, `body larger than ${limit} bytes`, { limit });
        }
        const text = raw.toString('utf8');
        const form = req.headers['content-type'] === 'application/x-www-form-urlencoded';
        // Slack's SSL check is unsigned by design; Bolt answers it and drops anything else in it.
        if (form && parseQuery(text).ssl_check === '1') return passOn(bolt, req, res, raw);

        const signatureProblem = checkSignature(req, text, options.signingSecret, now());
        if (signatureProblem) return refuse(401, signatureProblem);

        const body = parseBody(text, form);
        if (body === undefined) return refuse(400, 'the body is not valid JSON (or form data)');
        const kind = payloadKind(body);
        if (!kind) {
          const type = isRecord(body) && typeof body.type === 'string' ? body.type : typeof body;
          return refuse(400, 'Escalator does not know this kind of Slack payload', { type });
        }
        if (kind === 'app_rate_limited') {
          // Slack is dropping our events for a while; nothing to do but say so loudly.
          log.warn({ adapter: 'slack', body }, 'Slack is rate-limiting event delivery to this app');
          res.writeHead(200).end();
          return;
        }
        passOn(bolt, req, res, raw);
      },
      (error: Error) => refuse(400, `the body could not be read: ${error.message}`),
    );
  };
}

/** Bolt reuses a body already read when it finds it as `rawBody` (its BufferedIncomingMessage). */
function passOn(bolt: RequestListener, req: IncomingMessage, res: ServerResponse, raw: Buffer) {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
  bolt(req, res);
}

/** The reason a request is not from Slack, or undefined when it is. */
export function checkSignature(
  req: IncomingMessage,
  body: string,
  signingSecret: string,
  nowMs: number,
): string | undefined {
  const header = req.headers['x-slack-request-timestamp'];
  const signature = req.headers['x-slack-signature'];
  if (typeof header !== 'string' || typeof signature !== 'string') return 'the request is not signed';
  const timestamp = Number(header);
  if (!/^\d{1,12}$/.test(header) || !Number.isSafeInteger(timestamp)) return 'bad request timestamp';
  const skew = timestamp - Math.floor(nowMs / 1000);
  if (skew < -SLACK_MAX_CLOCK_SKEW_S) return 'the signature is more than 5 minutes old (a replay?)';
  if (skew > SLACK_MAX_CLOCK_SKEW_S) return 'the signature is dated more than 5 minutes ahead';
  try {
    verifySlackRequest({
      signingSecret,
      body,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
    return undefined;
  } catch {
    return 'the signature does not match';
  }
}

/** Parsed as Bolt parses it: form fields, or the JSON in a `payload` field, or JSON. */
function parseBody(text: string, form: boolean): unknown {
  try {
    if (!form) return JSON.parse(text);
    const fields = parseQuery(text);
    return typeof fields.payload === 'string' ? JSON.parse(fields.payload) : { ...fields };
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kind of a parsed body, or undefined when Bolt could not route it to any listener. */
export function payloadKind(body: unknown): SlackPayloadKind | undefined {
  if (!isRecord(body)) return undefined;
  if (body.type === 'url_verification')
    return typeof body.challenge === 'string' ? 'url_verification' : undefined;
  if (body.type === 'app_rate_limited') return 'app_rate_limited';
  if (isRecord(body.event) && typeof body.event.type === 'string') return 'event';
  if (typeof body.command === 'string') return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options';
  if (Array.isArray(body.actions) || body.type === 'dialog_submission') return 'action';
  if (body.type === 'shortcut' || body.type === 'message_action') return 'shortcut';
  if ((body.type === 'view_submission' || body.type === 'view_closed') && isRecord(body.view)) return 'view';
  return undefined;
}

/** The body, or `too_large` as soon as it passes `limit` bytes (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd);
      req.resume(); // keep reading into nothing, so the client gets the answer rather than a reset
      resolve('too_large');
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}
