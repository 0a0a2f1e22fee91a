import type { ThreadRef } from '../../src/domain/ids.js';

/**
 * A link that opens a support thread, whichever platform it lives on (a Teams card can point at
 * a Slack thread in a mixed deployment, and the other way round). A thread in a channel the local
 * workspace simulates (`simulated`, and every `local:` channel) opens there, whatever its prefix:
 * with no Slack credentials, `slack:C0SUPPORT` lives in the local workspace, not on slack.com.
 */
export function threadUrl(
  thread: ThreadRef,
  slackWorkspaceUrl = 'https://slack.com/',
  simulated: (channel: string) => boolean = () => false,
): string {
  if (simulated(thread.channel) || thread.channel.startsWith('local:')) return localThreadUrl(thread);
  if (thread.channel.startsWith('slack:')) {
    // slack.com/archives redirects to the right workspace, so it works without the domain.
    const base = slackWorkspaceUrl.endsWith('/') ? slackWorkspaceUrl : `${slackWorkspaceUrl}/`;
    return `${base}archives/${thread.channel.slice(6)}/p${thread.threadId.replace('.', '')}`;
  }
  if (thread.channel.startsWith('teams:')) {
    const channel = encodeURIComponent(thread.channel.slice(6));
    return `https://teams.microsoft.com/l/message/${channel}/${thread.threadId}?parentMessageId=${thread.threadId}`;
  }
  return localThreadUrl(thread);
}

/** Where the local workspace opens a thread: `/local/threads/<channel>/<thread>`, both encoded. */
export function localThreadUrl(thread: ThreadRef): string {
  return `/local/threads/${encodeURIComponent(thread.channel)}/${encodeURIComponent(thread.threadId)}`;
}
