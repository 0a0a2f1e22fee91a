import { describe, expect, it } from 'vitest';
import { simulatedChannels } from '../../../adapters/local/simulated-channels.js';
import { threadUrl } from '../../../adapters/shared/thread-url.js';
import { storyPolicy } from '../../support/story/story-policy.js';

describe('which channels the local workspace simulates', () => {
  it('with no platform connected: every channel of the policy, named for people', () => {
    const channels = simulatedChannels(storyPolicy('slack'), { slack: false, teams: false });
    expect(channels).toEqual([
      { id: 'slack:C0SUPPORT', name: 'Support (tech)', kind: 'support', path: 'tech' },
      { id: 'slack:C0L2', name: 'L2 Tech', kind: 'escalation', path: 'tech', level: 1 },
      { id: 'slack:C0L3', name: 'L3 Engineering', kind: 'escalation', path: 'tech', level: 2 },
      // The digest goes to the team lead's channel: listed once, as the level.
      { id: 'slack:C0LEADS', name: 'Team lead', kind: 'escalation', path: 'management', level: 1 },
      { id: 'slack:C0HEAD', name: 'Head of Support', kind: 'escalation', path: 'management', level: 2 },
    ]);
  });

  it('beside a connected platform: only the channels of the others, and local: ones', () => {
    const policy = storyPolicy('slack-to-teams');
    const named = {
      ...policy,
      supportChannels: [...policy.supportChannels, { channel: 'local:try', path: 'tech', name: 'try-it' }],
      digest: { schedule: '0 9 * * mon', channels: ['local:digest'] },
    };
    const channels = simulatedChannels(named, { slack: true, teams: false });
    expect(channels[0]).toEqual({ id: 'local:try', name: 'try-it', kind: 'support', path: 'tech' });
    expect(channels.every((c) => c.id.startsWith('teams:') || c.id.startsWith('local:'))).toBe(true);
    expect(channels.at(-1)).toEqual({ id: 'local:digest', name: 'digest', kind: 'digest' });
    expect(simulatedChannels(named, { slack: true, teams: true }).map((c) => c.id)).toEqual([
      'local:try',
      'local:digest',
    ]);
  });
});

describe('threadUrl', () => {
  const thread = { channel: 'slack:C0SUPPORT', threadId: '1770000000.000100' };
  it('links a simulated channel to the local workspace, whatever its prefix', () => {
    expect(threadUrl(thread, undefined, (c) => c === 'slack:C0SUPPORT')).toBe(
      '/local/threads/slack%3AC0SUPPORT/1770000000.000100',
    );
    expect(threadUrl({ channel: 'local:try', threadId: 'lm_1' })).toBe('/local/threads/local%3Atry/lm_1');
  });
  it('keeps Slack links for the channels of a connected Slack', () => {
    expect(threadUrl(thread, undefined, () => false)).toBe(
      'https://slack.com/archives/C0SUPPORT/p1770000000000100',
    );
  });
});
