import { renderChannels } from '../shared/channels.js';
import { renderPeople } from '../shared/people.js';

/** Slack ids inside the core are prefixed (`slack:C0123`); these convert at the boundary. */
export const toCore = (id: string) => `slack:${id}`;

export function toSlack(prefixedId: string): string {
  if (!prefixedId.startsWith('slack:')) throw new Error(`"${prefixedId}" is not a Slack id`);
  return prefixedId.slice('slack:'.length);
}

/**
 * Core text holds `<@slack:U0123>` and `<#slack:C0123|label>` tokens: Slack people and channels
 * become native mentions, others their names.
 */
export function slackMentions(text: string, names: Map<string, string> = new Map()): string {
  const withChannels = renderChannels(text, (id) =>
    id.startsWith('slack:') ? `<#${id.slice(6)}>` : undefined,
  );
  return renderPeople(withChannels, names, (id) =>
    id.startsWith('slack:') ? `<@${id.slice(6)}>` : undefined,
  );
}

/**
 * Reads a Slack message link (`https://acme.slack.com/archives/C0123/p1700000000000100`, with or
 * without `?thread_ts=`, with or without Slack's `<…>` link markup) into the thread it points at.
 */
export function parsePermalink(text: string): { channel: string; threadTs: string } | undefined {
  const match = /https:\/\/[^\s<>|]*\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})(?:\?([^\s<>|]*))?/.exec(text);
  if (!match) return undefined;
  const [, channel, seconds, micros, query] = match;
  const threadTs = query ? new URLSearchParams(query).get('thread_ts') : null;
  return { channel: channel!, threadTs: threadTs ?? `${seconds}.${micros}` };
}

/** Slack `ts` ("1700000000.000100") as a Date. */
export function tsToDate(ts: string): Date {
  return new Date(Math.round(Number.parseFloat(ts) * 1000));
}
