/** Mention tokens in core text: `<@slack:U0123>`, `<@teams:29:abc>`. */
const TOKEN = /<@((?:slack|teams|local):[^>]+)>/g;

/** The people a text (or a whole card, as JSON) mentions. */
export function mentionedIds(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((m) => m[1]!);
}

/**
 * Replaces mention tokens for a platform: its own people as native mentions (`native`), everyone
 * else by name, or a neutral word when the name is unknown.
 */
export function renderPeople(
  text: string,
  names: Map<string, string>,
  native: (id: string) => string | undefined,
): string {
  return text.replace(TOKEN, (_whole, id: string) => native(id) ?? names.get(id) ?? 'someone');
}
