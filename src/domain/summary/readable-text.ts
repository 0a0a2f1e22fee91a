/**
 * Chat text as a summary quotes it: platform markup made readable, code and quoted lines left out,
 * whitespace collapsed to one line, e-mail addresses masked. Quotes keep the writer's own words and
 * case; only what would break a card (half a link, a code fence) or leak an address is changed.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** `customer@acme.com` -> `c***@acme.com`: enough to recognise, not enough to reuse. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  return `${address[0]}***@${address.slice(at + 1).toLowerCase()}`;
}

/** Every e-mail address in `text` masked. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, maskEmail);
}

/** Every e-mail address in `text`, as written, in order. */
export function findEmails(text: string): Array<{ text: string; index: number }> {
  return [...text.matchAll(EMAIL)].map((m) => ({ text: m[0], index: m.index }));
}

/**
 * Slack's angle-bracket tokens as a reader sees them: `<https://x|label>` -> `label`, `<#C1|general>`
 * -> `#general`, `<!here>` -> `@here` (never a live ping on a card), `<@U1>` -> the core's mention
 * token `<@slack:U1>` (renderers turn it into a name or a mention).
 */
function readableSlackTokens(text: string): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|([^<>\n]*))?>/g, (_, id: string, name?: string) =>
      name ? `@${name}` : `<@slack:${id}>`,
    )
    .replace(/<#[A-Za-z0-9]+\|([^<>\n]*)>/g, '#$1')
    .replace(/<#[A-Za-z0-9]+>/g, '#channel')
    .replace(/<!(here|channel|everyone)(?:\|[^<>\n]*)?>/g, '@$1')
    .replace(/<![^<>|\n]*\|([^<>\n]*)>/g, '$1')
    .replace(/<![^<>\n]*>/g, '')
    .replace(/<(?:https?|mailto|tel):[^<>|\n]*\|([^<>\n]*)>/gi, '$1')
    .replace(/<((?:https?|mailto|tel):[^<>|\n]*)>/gi, (_, url: string) => url.replace(/^mailto:/i, ''));
}

/**
 * One line of readable text out of a chat message. Code blocks become `[code]`; lines quoted with
 * `>` are left out (they are someone else's words) unless the whole message is a quote.
 */
export function readableText(text: string): string {
  const source = String(text ?? '').replace(/\r\n?/g, '\n');
  let out = source.replace(/```[\s\S]*?(?:```|$)/g, ' [code] ');
  out = readableSlackTokens(out);
  const lines = out.split('\n');
  const own = lines.filter((line) => !/^\s*(?:>|&gt;)/.test(line));
  out = (own.some((line) => line.trim() !== '') ? own : lines).join(' ');
  return maskEmails(out.replace(/\s+/g, ' ').trim());
}

/** Marker appended when a quote had to be shortened. */
export const CUT_MARKER = '… (cut to fit)';

/**
 * `text` cut to at most `max` characters, preferring the end of a sentence, then a word boundary,
 * and saying so with `marker` (after a space when the cut falls after a sentence). Never splits a
 * surrogate pair.
 */
export function condense(text: string, max: number, marker = CUT_MARKER): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const room = Math.max(0, max - marker.length - 1);
  const head = text.slice(0, room + 1);
  // The end of the last whole sentence that keeps at least 60% of the room.
  let end = -1;
  for (const m of head.matchAll(/[.!?。](?=\s)/g)) if (m.index + 1 <= room) end = m.index + 1;
  if (end < room * 0.6) {
    const space = head.lastIndexOf(' ', room);
    end = space >= room * 0.6 ? space : room;
  }
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const kept = text.slice(0, end).trimEnd();
  return { text: `${kept}${/[.!?。]$/.test(kept) ? ' ' : ''}${marker}`, cut: true };
}

/** `2h 5m`, `3d 4h`, `45s`: a duration as people say it. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h${minutes % 60 ? ` ${minutes % 60}m` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days}d${hours % 24 ? ` ${hours % 24}h` : ''}`;
}
