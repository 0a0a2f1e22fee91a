/**
 * Who belongs to a channel or a group, as the platform says now. The core asks it to decide who
 * may act on an escalation card (`src/app/authorize-responder.ts`), always through the short cache
 * of `src/app/cached-directory.ts`. Ids are platform-prefixed: channels `slack:C0123` or
 * `teams:19:…@thread.tacv2`, people `slack:U0123` or `teams:<Entra object id>` (as actors are named).
 */
export interface DirectoryPort {
  /** The members of a channel. */
  channelMembers(channel: string): Promise<ReadonlySet<string>>;
  /** The members of a group: a Slack user group (`slack:S0123`) or a Teams team (`teams:19:…`, its id). */
  groupMembers(group: string): Promise<ReadonlySet<string>>;
}

/** The directory the core holds: platform lookups behind a cache that membership events clear. */
export interface Directory extends DirectoryPort {
  /** Forgets cached members of every channel or group whose id starts with `prefix` (`teams:` for all of Teams). */
  forget(prefix: string): void;
}
