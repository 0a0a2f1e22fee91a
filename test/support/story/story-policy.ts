import { loadPolicyFile } from '../../../src/config/load-policy.js';
import type { Policy } from '../../../src/domain/policy.js';
import { TEAMS_IDS } from '../teams/activities.js';

export type Layout = 'slack' | 'teams' | 'local' | 'slack-to-teams' | 'teams-to-slack';

const TEAMS_CHANNEL: Record<string, string> = {
  'slack:C0SUPPORT': `teams:${TEAMS_IDS.channels.support}`,
  'slack:C0L2': `teams:${TEAMS_IDS.channels.l2}`,
  'slack:C0L3': `teams:${TEAMS_IDS.channels.l3}`,
  'slack:C0LEADS': `teams:${TEAMS_IDS.channels.leads}`,
  'slack:C0HEAD': `teams:${TEAMS_IDS.channels.head}`,
};

/**
 * The example policy, with its channels moved to where a story needs them: all on Slack, all on
 * Teams, all in the local workspace, or support on one platform and the escalation levels on the other.
 */
export function storyPolicy(layout: Layout): Policy {
  const policy = loadPolicyFile('escalation-policy.example.yaml');
  if (layout === 'local') return inLocalWorkspace(policy);
  const supportOnTeams = layout === 'teams' || layout === 'teams-to-slack';
  const levelsOnTeams = layout === 'teams' || layout === 'slack-to-teams';
  const move = (channel: string, toTeams: boolean) =>
    toTeams ? (TEAMS_CHANNEL[channel] ?? channel) : channel;
  const { users } = TEAMS_IDS;
  return {
    ...policy,
    // On Teams everyone shares one tenant, so staff are listed by person.
    staff: {
      ...policy.staff,
      userIds: [
        ...policy.staff.userIds,
        ...[users.agent, users.specialist, users.otherSpecialist].map((u) => `teams:${u.aadObjectId}`),
      ],
    },
    supportChannels: policy.supportChannels.map((c) => ({ ...c, channel: move(c.channel, supportOnTeams) })),
    // Team leads sit with the escalation levels.
    ...(policy.digest
      ? { digest: { ...policy.digest, channels: policy.digest.channels.map((c) => move(c, levelsOnTeams)) } }
      : {}),
    paths: Object.fromEntries(
      Object.entries(policy.paths).map(([name, path]) => [
        name,
        {
          ...path,
          levels: path.levels.map((l) => (l.channel ? { ...l, channel: move(l.channel, levelsOnTeams) } : l)),
        },
      ]),
    ),
  };
}

/**
 * The example policy with every channel (support, levels, digest) moved to a `local:` id of the same
 * name, so the local workspace simulates them beside real Slack and Teams adapters. Staff stay as
 * they are: the workspace tells the core each persona's role itself.
 */
function inLocalWorkspace(policy: Policy): Policy {
  const move = (channel: string) => channel.replace(/^slack:/, 'local:');
  return {
    ...policy,
    supportChannels: policy.supportChannels.map((c) => ({ ...c, channel: move(c.channel) })),
    ...(policy.digest ? { digest: { ...policy.digest, channels: policy.digest.channels.map(move) } } : {}),
    paths: Object.fromEntries(
      Object.entries(policy.paths).map(([name, path]) => [
        name,
        { ...path, levels: path.levels.map((l) => (l.channel ? { ...l, channel: move(l.channel) } : l)) },
      ]),
    ),
  };
}
