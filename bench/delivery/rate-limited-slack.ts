import { type FakeSlackApi, startFakeSlackApi } from '../../test/support/slack/index.js';

export interface RateLimitedSlack {
  api: FakeSlackApi;
  /** Arrival times (ms) of the posts Slack took, per channel id, oldest first. */
  accepted(): Map<string, number[]>;
  /** How many posts it answered with 429 because they came too soon after the previous one. */
  rateLimited(): number;
  close(): Promise<void>;
}

/**
 * The loopback fake Slack Web API, holding each channel to one `chat.postMessage` per `intervalMs`
 * as Slack does: measured between *arrivals*, whatever the caller's network did to them. A post
 * that arrives sooner after the last one it took is answered 429 with `Retry-After: 1` and not
 * posted; it does not count against the channel.
 */
export async function startRateLimitedSlack(intervalMs: number): Promise<RateLimitedSlack> {
  // Wall-clock message stamps, as Slack's: the card lookup after a 429 reads history by time.
  const api = await startFakeSlackApi({ wallClockTs: true });
  const lastTaken = new Map<string, number>();
  api.failWhen(
    'chat.postMessage',
    (args) => {
      const channel = String(args.channel);
      const now = Date.now();
      const last = lastTaken.get(channel);
      if (last !== undefined && now - last < intervalMs) return true;
      lastTaken.set(channel, now);
      return false;
    },
    { rateLimited: 1 },
    Number.POSITIVE_INFINITY,
  );
  const posts = () => api.callsTo('chat.postMessage');
  return {
    api,
    accepted() {
      const byChannel = new Map<string, number[]>();
      for (const call of posts()) {
        if (call.failed) continue;
        const channel = String(call.args.channel);
        byChannel.set(channel, [...(byChannel.get(channel) ?? []), call.at]);
      }
      return byChannel;
    },
    rateLimited: () => posts().filter((call) => call.fault && 'rateLimited' in call.fault).length,
    close: () => api.close(),
  };
}
