/**
 * Posts an activity to a bot's messaging endpoint the way the Bot Framework channel service does:
 * `POST` JSON, with `Authorization: Bearer <token>` when a token is given (sign one with
 * `startLocalOpenId().sign(...)` when the bot checks tokens).
 *
 *   const { status, body } = await postActivity(`${botUrl}/api/messages`, adaptiveCardInvoke({ ... }));
 */
import type { TeamsActivity } from './activities.js';

export interface PostActivityOptions {
  /** JWT sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Abort after this many milliseconds (default 10 s). */
  timeoutMs?: number;
}

export interface PostActivityResult {
  status: number;
  /** Parsed JSON when the answer was JSON (invoke responses), else the text, `undefined` when empty. */
  body: unknown;
  headers: Headers;
}

export async function postActivity(
  url: string,
  activity: TeamsActivity | Record<string, unknown>,
  options: PostActivityOptions = {},
): Promise<PostActivityResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let body: unknown;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, body, headers: response.headers };
}
