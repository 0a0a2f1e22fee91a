import type { FakeSlackApi } from '../slack/index.js';

/**
 * Who is in which Slack channel and user group, as the fake Slack Web API answers
 * `conversations.members` (in pages of two, so every lookup pages as a big channel does) and
 * `usergroups.users.list`. One per fake; the handlers are added with `fake.setHandler`.
 *
 * By default the specialists (U0BOB, U0CAROL) sit in every escalation channel of the story policy
 * and the agent (U0ALICE) with the customer in the support channel, so people act where they may.
 */
export class SlackMembers {
  private static readonly byFake = new WeakMap<FakeSlackApi, SlackMembers>();
  private readonly channels = new Map<string, string[]>([
    ['C0SUPPORT', ['U0ALICE', 'U0CUSTOMER']],
    ...['C0L2', 'C0L3', 'C0LEADS', 'C0HEAD'].map((c) => [c, ['U0BOB', 'U0CAROL']] as [string, string[]]),
  ]);
  private readonly groups = new Map<string, string[]>();
  private gate: Promise<void> | undefined;

  /** The members of this fake, answering from now on. */
  static of(fake: FakeSlackApi): SlackMembers {
    let members = SlackMembers.byFake.get(fake);
    if (!members) {
      members = new SlackMembers(fake);
      SlackMembers.byFake.set(fake, members);
    }
    return members;
  }

  private constructor(fake: FakeSlackApi) {
    const PAGE = 2;
    fake.setHandler('conversations.members', async (args) => {
      await this.gate;
      const channel = String(args.channel ?? '');
      const all = this.channels.get(channel);
      if (!all) return { ok: false, error: 'channel_not_found' };
      const start = Number(args.cursor ? String(args.cursor).slice('page:'.length) : 0);
      const next = start + PAGE < all.length ? `page:${start + PAGE}` : '';
      return { members: all.slice(start, start + PAGE), response_metadata: { next_cursor: next } };
    });
    fake.setHandler('usergroups.users.list', (args) => {
      const users = this.groups.get(String(args.usergroup ?? ''));
      return users ? { users: [...users] } : { ok: false, error: 'no_such_subteam' };
    });
  }

  /** Holds every `conversations.members` answer until the returned function is called. */
  hold(): () => void {
    let release = () => {};
    this.gate = new Promise((resolve) => {
      release = resolve;
    });
    return () => {
      this.gate = undefined;
      release();
    };
  }

  /** Raw Slack ids: `setChannel('C0L2', ['U0BOB'])`. */
  setChannel(channel: string, users: string[]): void {
    this.channels.set(channel, [...users]);
  }

  /** The members of a channel now (raw ids; empty for a channel the fake does not know). */
  channel(channel: string): string[] {
    return [...(this.channels.get(channel) ?? [])];
  }

  setGroup(group: string, users: string[]): void {
    this.groups.set(group, [...users]);
  }
}
