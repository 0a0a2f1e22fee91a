import type { ThreadLookup } from '../../src/app/find-threads.js';
import type { Escalation } from '../../src/domain/escalation.js';
import type { Policy } from '../../src/domain/policy.js';

/** What Teams users are told when something cannot be done, each saying what to do instead. */
export const teamsReplies = {
  channelsOnly:
    'Escalator works in team channels: use "@Escalator escalate <reason>" in the customer\'s thread, or ⋯ → More actions → Escalate on a message.',
  usage:
    'To escalate this thread, write "@Escalator escalate <reason>" in it (optionally "escalate to <path> P2 <reason>").',
  notSupportChannel(policy: Policy): string {
    const count = policy.supportChannels.filter((c) => c.channel.startsWith('teams:')).length;
    return count > 0
      ? 'Escalator only tracks threads in the support channels named in its policy; this channel is not one of them.'
      : 'No Teams channel is a support channel in the escalation policy yet; ask an admin to add this one (supportChannels).';
  },
  untracked:
    'Escalator has not seen this thread (it started before the app was added to the team). Ask the customer to reply in the thread, then escalate again.',
  lookup(lookup: Exclude<ThreadLookup, { found: true }>, policy: Policy): string {
    return lookup.why === 'not_a_support_channel'
      ? teamsReplies.notSupportChannel(policy)
      : teamsReplies.untracked;
  },
  alreadyEscalated(issueNumber: number, active: Escalation, names: Map<string, string>): string {
    const level = active.pathSnapshot.levels[active.level]?.name ?? active.path;
    const state = active.claimedBy
      ? `claimed by ${names.get(active.claimedBy) ?? 'someone'}`
      : 'waiting to be claimed';
    return `Issue #${issueNumber} is already escalated as #${active.number} (${level}, ${state}).`;
  },
};
