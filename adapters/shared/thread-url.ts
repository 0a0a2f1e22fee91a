import type { ThreadRef } from '../../src/domain/ids.js';

/**
 * A link that opens a support thread, whichever platform it lives on (a Teams card can point at
 * a Slack thread in a mixed deployment, and the other way round).
 */
export function threadUrl(thread: ThreadRef, slackWorkspaceUrl = 'https://slack.com/'): string {
  if (thread.channel.startsWith('slack:')) {
    // slack.com/archives redirects to the right workspace, so it works without the domain.
    const base = slackWorkspaceUrl.endsWith('/') ? slackWorkspaceUrl : `${slackWorkspaceUrl}/`;
    return `${base}archives/${thread.channel.slice(6)}/p${thread.threadId.replace('.', '')}`;
  }
  if (thread.channel.startsWith('teams:')) {
    const channel = encodeURIComponent(thread.channel.slice(6));
    return `https://teams.microsoft.com/l/message/${channel}/${thread.threadId}?parentMessageId=${thread.threadId}`;
  }
  return `/local/threads/${encodeURIComponent(thread.channel)}/${encodeURIComponent(thread.threadId)}`;
}
