/**
 * Sign and send requests to our Bolt receiver the way Slack does.
 *
 * Slack signs `v0:{timestamp}:{raw body}` with HMAC-SHA256 keyed by the app's signing secret and
 * sends `x-slack-signature: v0=<hex>` and `x-slack-request-timestamp: <unix seconds>`.
 */
import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

export function signSlackRequest(
  secret: string,
  body: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const timestamp = String(Math.floor(timestampSeconds));
  const hex = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${hex}`, 'x-slack-request-timestamp': timestamp };
}

/** Options every send helper accepts. */
export interface SendOptions {
  /** Extra headers (they win over the computed ones, so a test can also send a broken signature). */
  headers?: Record<string, string>;
  /** Unix seconds to sign with; e.g. `now - 301` for a stale request. Defaults to now. */
  timestamp?: number;
  /** Send a signature made with a different secret (Bolt must answer 401). */
  badSignature?: boolean;
}

export interface PostToSlackEndpointOptions extends SendOptions {
  secret: string;
  body: string;
  contentType: string;
}

export interface SlackEndpointResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  headers: Headers;
}

export async function postToSlackEndpoint(
  url: string,
  { secret, body, contentType, headers, timestamp, badSignature }: PostToSlackEndpointOptions,
): Promise<SlackEndpointResponse> {
  const signature = signSlackRequest(badSignature ? `${secret}-wrong` : secret, body, timestamp);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signature,
      ...headers,
    },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    text,
    ...(json !== undefined ? { json } : {}),
    headers: response.headers,
  };
}

export interface SendEventOptions extends SendOptions {
  /** Slack's retry counter (1-3): adds `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`. */
  retryNum?: number;
  /** Defaults to `http_timeout` (others: `http_error`, `connection_failed`, `ssl_error`, ...). */
  retryReason?: string;
}

/** POST an Events API body (`event_callback`, `url_verification`, ...) as JSON. */
export function sendEvent(
  url: string,
  secret: string,
  eventCallback: unknown,
  { retryNum, retryReason = 'http_timeout', headers, ...rest }: SendEventOptions = {},
): Promise<SlackEndpointResponse> {
  const retryHeaders: Record<string, string> =
    retryNum !== undefined
      ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': retryReason }
      : {};
  return postToSlackEndpoint(url, {
    ...rest,
    secret,
    body: JSON.stringify(eventCallback),
    contentType: 'application/json',
    headers: { ...retryHeaders, ...headers },
  });
}

/** POST a slash command: the fields form-encoded in the given order, as Slack sends them. */
export function sendCommand(
  url: string,
  secret: string,
  fields: Record<string, string>,
  options: SendOptions = {},
): Promise<SlackEndpointResponse> {
  return postToSlackEndpoint(url, {
    ...options,
    secret,
    body: new URLSearchParams(fields).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
}

/** POST an interactivity payload (block_actions, message_action, view_submission, ...): `payload=<json>`. */
export function sendInteraction(
  url: string,
  secret: string,
  payload: unknown,
  options: SendOptions = {},
): Promise<SlackEndpointResponse> {
  return postToSlackEndpoint(url, {
    ...options,
    secret,
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
}

/** The handshake Slack sends when a Request URL is saved; Bolt answers with the challenge. */
export function sendUrlVerification(
  url: string,
  secret: string,
  challenge = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
  options: SendOptions = {},
): Promise<SlackEndpointResponse> {
  return sendEvent(
    url,
    secret,
    { token: 'Vr1fIcAt10nT0kEnLeGaCy00', challenge, type: 'url_verification' },
    options,
  );
}
