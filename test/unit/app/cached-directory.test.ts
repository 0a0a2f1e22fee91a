import { describe, expect, it } from 'vitest';
import { CachedDirectory, MEMBERS_TTL_MS } from '../../../src/app/cached-directory.js';
import type { DirectoryPort } from '../../../src/ports/directory-port.js';
import { ManualClock } from '../../support/core/manual-clock.js';

/** A platform directory that counts its reads and can be made to fail. */
function platform(members: Record<string, string[]>) {
  const reads: string[] = [];
  let failing = false;
  const read = async (id: string) => {
    reads.push(id);
    if (failing) throw new Error('platform down');
    return new Set(members[id] ?? []);
  };
  const port: DirectoryPort = { channelMembers: read, groupMembers: read };
  return { port, reads, fail: (on: boolean) => (failing = on), members };
}

describe('CachedDirectory', () => {
  it('reads a channel once per TTL, and again after it', async () => {
    const slack = platform({ 'slack:C0L2': ['slack:U0BOB'] });
    const clock = new ManualClock('2026-03-02T00:00:00.000Z');
    const directory = new CachedDirectory({ slack: slack.port }, clock);

    expect((await directory.channelMembers('slack:C0L2')).has('slack:U0BOB')).toBe(true);
    clock.advance(MEMBERS_TTL_MS - 1);
    slack.members['slack:C0L2'] = [];
    expect((await directory.channelMembers('slack:C0L2')).has('slack:U0BOB')).toBe(true);
    expect(slack.reads).toHaveLength(1);

    clock.advance(1);
    expect((await directory.channelMembers('slack:C0L2')).has('slack:U0BOB')).toBe(false);
    expect(slack.reads).toHaveLength(2);
  });

  it('lets concurrent lookups share one read', async () => {
    const slack = platform({ 'slack:C0L2': ['slack:U0BOB'] });
    const directory = new CachedDirectory({ slack: slack.port }, new ManualClock());
    await Promise.all(Array.from({ length: 5 }, () => directory.channelMembers('slack:C0L2')));
    expect(slack.reads).toEqual(['slack:C0L2']);
  });

  it('does not keep a failed read: the next lookup asks again', async () => {
    const teams = platform({ 'teams:19:l2@thread.tacv2': ['teams:b1'] });
    const directory = new CachedDirectory({ teams: teams.port }, new ManualClock());
    teams.fail(true);
    await expect(directory.channelMembers('teams:19:l2@thread.tacv2')).rejects.toThrow('platform down');
    teams.fail(false);
    expect((await directory.channelMembers('teams:19:l2@thread.tacv2')).has('teams:b1')).toBe(true);
    expect(teams.reads).toHaveLength(2);
  });

  it('forgets by id prefix: one channel, or a whole platform', async () => {
    const slack = platform({ 'slack:C0L2': [], 'slack:C0L3': [], 'slack:S0ONCALL': [] });
    const teams = platform({ 'teams:19:l2@thread.tacv2': [] });
    const directory = new CachedDirectory({ slack: slack.port, teams: teams.port }, new ManualClock());
    const readAll = () =>
      Promise.all([
        directory.channelMembers('slack:C0L2'),
        directory.channelMembers('slack:C0L3'),
        directory.groupMembers('slack:S0ONCALL'),
        directory.channelMembers('teams:19:l2@thread.tacv2'),
      ]);
    await readAll();
    directory.forget('slack:C0L2');
    directory.forget('teams:');
    await readAll();
    expect(slack.reads.sort()).toEqual(['slack:C0L2', 'slack:C0L2', 'slack:C0L3', 'slack:S0ONCALL']);
    expect(teams.reads).toHaveLength(2);
  });

  it('keeps channels and groups apart, and fails clearly for a platform that is not connected', async () => {
    const slack = platform({ 'slack:C0L2': ['slack:U0BOB'] });
    const directory = new CachedDirectory({ slack: slack.port }, new ManualClock());
    await directory.channelMembers('slack:C0L2');
    await directory.groupMembers('slack:C0L2');
    expect(slack.reads).toHaveLength(2);
    await expect(directory.channelMembers('teams:19:l2@thread.tacv2')).rejects.toThrow(
      'teams is not connected, so the members of teams:19:l2@thread.tacv2 cannot be read',
    );
  });
});
