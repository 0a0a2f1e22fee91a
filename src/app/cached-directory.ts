import { platformOf } from '../domain/ids.js';
import type { Clock } from '../ports/clock.js';
import type { Directory, DirectoryPort } from '../ports/directory-port.js';

/** How long a channel's or group's member list is trusted before it is read again. */
export const MEMBERS_TTL_MS = 60_000;

interface Entry {
  readAt: number;
  members: Promise<ReadonlySet<string>>;
}

/**
 * The platforms' member lists behind a short cache, so a click does not wait on paging through a
 * large channel every time, and a burst of clicks reads the list once (concurrent lookups share
 * one request). Failed lookups are not kept. Membership events (someone joined or left) clear an
 * entry at once; otherwise a removed person can still act for at most the TTL.
 */
export class CachedDirectory implements Directory {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /**
     * `local`: the simulated workspace, which answers for `local:` ids and for the channels of a
     * platform that has no adapter here (it simulates those).
     */
    private readonly platforms: { slack?: DirectoryPort; teams?: DirectoryPort; local?: DirectoryPort },
    private readonly clock: Clock,
    private readonly ttlMs = MEMBERS_TTL_MS,
  ) {}

  channelMembers(channel: string): Promise<ReadonlySet<string>> {
    return this.cached(channel, 'channel', (port) => port.channelMembers(channel));
  }

  groupMembers(group: string): Promise<ReadonlySet<string>> {
    return this.cached(group, 'group', (port) => port.groupMembers(group));
  }

  forget(prefix: string): void {
    for (const key of this.entries.keys()) {
      if (key.slice(key.indexOf(' ') + 1).startsWith(prefix)) this.entries.delete(key);
    }
  }

  private cached(
    id: string,
    kind: 'channel' | 'group',
    read: (port: DirectoryPort) => Promise<ReadonlySet<string>>,
  ): Promise<ReadonlySet<string>> {
    const key = `${kind} ${id}`;
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && now - hit.readAt < this.ttlMs) return hit.members;
    const entry: Entry = { readAt: now, members: Promise.resolve().then(() => read(this.portFor(id))) };
    this.entries.set(key, entry);
    entry.members.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.members;
  }

  private portFor(id: string): DirectoryPort {
    const platform = platformOf(id);
    const port = (platform === 'local' ? undefined : this.platforms[platform]) ?? this.platforms.local;
    if (!port) throw new Error(`${platform} is not connected, so the members of ${id} cannot be read`);
    return port;
  }
}
