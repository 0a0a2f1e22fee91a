import type { AppContext } from './context.js';

/**
 * What adapters learn about people and conversations as activities arrive: display names (so cards
 * show "Alice", not an id) and how to reach a channel later (Teams needs a conversation reference).
 */
export async function rememberPerson(ctx: AppContext, id: string, name: string | undefined): Promise<void> {
  if (name?.trim()) await ctx.store.people.save(id, name.trim(), ctx.clock.now());
}

export function namesOf(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  return ctx.store.people.names([...new Set(ids)]);
}

export async function rememberConversation(
  ctx: AppContext,
  channel: string,
  platform: string,
  data: Record<string, unknown>,
): Promise<void> {
  await ctx.store.conversationRefs.save(channel, platform, data, ctx.clock.now());
}

/** The stored reference of a channel, or failing that the latest one of the platform. */
export async function conversationFor(
  ctx: AppContext,
  channel: string,
  platform: string,
): Promise<{ data: Record<string, unknown>; exact: boolean } | undefined> {
  const exact = await ctx.store.conversationRefs.get(channel);
  if (exact) return { data: exact, exact: true };
  const latest = await ctx.store.conversationRefs.latest(platform);
  return latest ? { data: latest, exact: false } : undefined;
}
