import type { Activity } from 'botbuilder';

/** Teams ids inside the core carry the `teams:` prefix: `teams:19:abc@thread.tacv2`, `teams:29:user`. */
export const toCore = (id: string) => `teams:${id}`;

export function toTeams(prefixedId: string): string {
  if (!prefixedId.startsWith('teams:')) throw new Error(`"${prefixedId}" is not a Teams id`);
  return prefixedId.slice('teams:'.length);
}

/** A channel conversation id names its thread: `19:abc@thread.tacv2;messageid=1700000000000`. */
export function splitConversationId(conversationId: string): { channelId: string; rootId?: string } {
  const [channelId = conversationId, suffix] = conversationId.split(';messageid=');
  return { channelId, rootId: suffix || undefined };
}

export function threadConversationId(channelId: string, rootId: string): string {
  return `${channelId};messageid=${rootId}`;
}

/** The channel (plain Teams id) an activity happened in, when it happened in a team channel. */
export function channelOf(activity: Partial<Activity>): string | undefined {
  const data = activity.channelData as { channel?: { id?: string }; teamsChannelId?: string } | undefined;
  return data?.channel?.id ?? data?.teamsChannelId ?? undefined;
}

/**
 * A channel of the team the activity came from, to learn how to reach the team: the activity's
 * channel, or for team events (the app being installed) the General channel, whose id is the team id.
 */
export function anyChannelOf(activity: Partial<Activity>): string | undefined {
  const data = activity.channelData as { team?: { id?: string } } | undefined;
  return channelOf(activity) ?? data?.team?.id ?? undefined;
}

/** The thread an activity (or a message it points at) belongs to: the root post's id. */
export function threadRootOf(activity: Partial<Activity>, messageId?: string): string | undefined {
  const fromConversation = activity.conversation?.id
    ? splitConversationId(activity.conversation.id).rootId
    : undefined;
  return fromConversation ?? activity.replyToId ?? messageId ?? activity.id;
}

/** Plain text of a Teams message: `<at>` mention tags and HTML removed, entities decoded. */
export function plainText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/g, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
