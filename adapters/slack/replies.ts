import type { ThreadLookup } from '../../src/app/find-threads.js';
import type { Policy } from '../../src/domain/policy.js';
import { slackMentions } from './slack-ids.js';

/** The texts Slack users get when something cannot be done, each saying what to do instead. */
export const replies = {
  notSupportChannel(policy: Policy): string {
    const channels = policy.supportChannels
      .filter((c) => c.channel.startsWith('slack:'))
      .map((c) => `<#${c.channel.slice(6)}>`)
      .join(', ');
    return `Escalator only tracks threads in support channels (${channels || 'none on Slack yet'}). Run \`/escalate\` in one of them, or use the *Escalate thread* shortcut on the customer's message there.`;
  },
  untracked:
    'Escalator has not seen this thread (it started before the bot was invited, or its messages never reached Escalator). Make sure @escalator is in the channel, then ask the customer to reply in the thread, or pick a tracked thread with `/escalate`.',
  noOpenThreads: (channel: string) =>
    `There are no open threads in <#${channel}> to escalate. Threads that are already escalated are handled from their card; resolved threads reopen when the customer writes again.`,
  usage:
    'Usage: `/escalate` opens a form to pick the thread. `/escalate <thread link> <reason>` escalates that thread at once. Inside a thread, mention me: `@escalator escalate <reason>`.',
  mentionUsage:
    'To escalate this thread, write `@escalator escalate <reason>` in it (optionally `escalate to <path> P2 <reason>`).',
  mentionOutsideThread:
    "Mention me inside the customer's thread: `@escalator escalate <reason>`. In the channel itself, use `/escalate` to pick the thread.",
  lookup(lookup: Exclude<ThreadLookup, { found: true }>, policy: Policy): string {
    return lookup.why === 'not_a_support_channel' ? replies.notSupportChannel(policy) : replies.untracked;
  },
  /** Core error messages hold `<@slack:U…>` tokens. */
  fromCore: (message: string) => slackMentions(message),
};
