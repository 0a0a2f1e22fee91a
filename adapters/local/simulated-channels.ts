import type { Policy } from '../../src/domain/policy.js';

/** A channel of the simulated workspace, as the page lists it. */
export interface SimulatedChannel {
  /** The channel id the policy names (`slack:C0SUPPORT`, `local:support`). */
  id: string;
  /** What people call it: the support channel's `name`, the level's name, or "digest". */
  name: string;
  kind: 'support' | 'escalation' | 'digest';
  /** For support and escalation channels: the path whose threads or cards it holds. */
  path?: string;
  /** For escalation channels: the level's 1-based position in its path. */
  level?: number;
}

/** Which platforms have a real adapter in this process; their channels are not simulated. */
export interface ConnectedPlatforms {
  slack: boolean;
  teams: boolean;
}

/**
 * The channels the local workspace simulates: every channel the policy names (support channels,
 * level channels, digest channels) whose platform has no adapter here, plus any `local:` channel.
 * Support channels come first, then the levels path by path, then the digest's; a channel named
 * twice (the team lead's channel that also gets the digest) is listed once, where it first appears.
 */
export function simulatedChannels(policy: Policy, connected: ConnectedPlatforms): SimulatedChannel[] {
  const simulated = (id: string) =>
    id.startsWith('local:') ||
    (id.startsWith('slack:') && !connected.slack) ||
    (id.startsWith('teams:') && !connected.teams);
  const channels: SimulatedChannel[] = [];
  const add = (channel: SimulatedChannel) => {
    if (simulated(channel.id) && !channels.some((c) => c.id === channel.id)) channels.push(channel);
  };
  for (const support of policy.supportChannels) {
    add({
      id: support.channel,
      name: support.name ?? `Support (${support.path})`,
      kind: 'support',
      path: support.path,
    });
  }
  for (const [name, path] of Object.entries(policy.paths)) {
    path.levels.forEach((level, index) => {
      if (level.channel)
        add({ id: level.channel, name: level.name, kind: 'escalation', path: name, level: index + 1 });
    });
  }
  for (const id of policy.digest?.channels ?? []) add({ id, name: 'digest', kind: 'digest' });
  return channels;
}
