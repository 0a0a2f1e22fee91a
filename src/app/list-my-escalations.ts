import { type Escalation, levelOf, type TriggerKind } from '../domain/escalation.js';
import { formatTime, oneLine, truncate } from '../domain/text.js';
import type { AppContext } from './context.js';

/** One line of "My escalations": enough to recognise the escalation and see what is due. */
export interface MyEscalationItem {
  escalationId: string;
  number: number;
  level: string;
  /** The escalation channel of its current level (core id), if the level has one. */
  channel: string | null;
  priority: string;
  trigger: string;
  /** The customer's first words in the thread. */
  preview: string;
  /** Deadlines formatted in the policy time zone. */
  claimBy: string | null;
  resolveBy: string | null;
}

export interface MyEscalations {
  /** Escalations I claimed and have not resolved yet. */
  claimed: MyEscalationItem[];
  /** Unclaimed escalations waiting in the given escalation channels. */
  unclaimed: MyEscalationItem[];
  /** How many more of each there are beyond the lists (kept short for Block Kit and cards). */
  moreClaimed: number;
  moreUnclaimed: number;
}

const TRIGGER_LABELS: Record<TriggerKind, string> = {
  manual: 'Manual',
  sla_breach: 'SLA breach',
  manager_request: 'Manager request',
  high_value: 'High value',
  systemic: 'Systemic',
  legal: 'Legal / compliance',
  dissatisfaction: 'Dissatisfaction',
  ack_timeout: 'Unclaimed',
  bounce: 'Bounced back',
};

/** At most this many rows are read per group; more than that is only counted as "more". */
const SCAN_LIMIT = 500;
const PREVIEW_CHARS = 80;

/**
 * My claimed escalations and the unclaimed ones in `channels` (core ids of escalation channels),
 * each group cut to `limit` items.
 */
export async function listMyEscalations(
  ctx: AppContext,
  input: { person: string; channels: readonly string[]; limit?: number },
): Promise<MyEscalations> {
  const limit = input.limit ?? 20;
  const wanted = new Set(input.channels);
  const claimed = await ctx.store.escalations.listClaimedBy(input.person, SCAN_LIMIT);
  const open = (await ctx.store.escalations.listOpen(SCAN_LIMIT)).filter((e) => {
    const channel = currentChannel(e);
    return channel !== null && wanted.has(channel);
  });
  return {
    claimed: await Promise.all(claimed.slice(0, limit).map((e) => toItem(ctx, e))),
    unclaimed: await Promise.all(open.slice(0, limit).map((e) => toItem(ctx, e))),
    moreClaimed: Math.max(0, claimed.length - limit),
    moreUnclaimed: Math.max(0, open.length - limit),
  };
}

/** The escalation channels of the policy (levels' channels) on one platform, e.g. `slack:`. */
export function escalationChannels(ctx: AppContext, prefix: string): string[] {
  const channels = new Set<string>();
  for (const path of Object.values(ctx.policy.paths)) {
    for (const level of path.levels) {
      if (level.channel?.startsWith(prefix)) channels.add(level.channel);
    }
  }
  return [...channels];
}

function currentChannel(e: Escalation): string | null {
  return e.pathSnapshot.levels[e.level]?.channel ?? e.cardChannel ?? null;
}

async function toItem(ctx: AppContext, e: Escalation): Promise<MyEscalationItem> {
  const messages = await ctx.store.messages.listForIssue(e.issueId);
  const first =
    messages.find((m) => m.authorRole === 'customer' && !m.deletedAt) ?? messages.find((m) => !m.deletedAt);
  const at = (d: Date | null) => (d ? formatTime(d, ctx.policy.timezone) : null);
  let level: string;
  try {
    level = levelOf(e).name;
  } catch {
    level = e.path;
  }
  return {
    escalationId: e.id,
    number: e.number,
    level,
    channel: currentChannel(e),
    priority: e.priority,
    trigger: TRIGGER_LABELS[e.trigger] ?? e.trigger,
    preview: truncate(oneLine(first?.text ?? '(no text)'), PREVIEW_CHARS),
    claimBy: e.status === 'open' ? at(e.ackDueAt) : null,
    resolveBy: at(e.resolveDueAt),
  };
}

/** The lists as plain lines (markdown), for chat answers such as Teams' `mine`. */
export function myEscalationsText(mine: MyEscalations, unclaimedScope: string): string {
  const line = (i: MyEscalationItem) => {
    const due = [i.claimBy && `claim by ${i.claimBy}`, i.resolveBy && `resolve by ${i.resolveBy}`]
      .filter(Boolean)
      .join(', ');
    return `- **#${i.number}** ${i.priority} · ${i.level} · ${i.trigger}: "${i.preview}"${due ? ` (${due})` : ''}`;
  };
  const group = (title: string, items: MyEscalationItem[], more: number, empty: string) =>
    [
      `**${title}**`,
      ...(items.length ? items.map(line) : [empty]),
      ...(more > 0 ? [`… and ${more} more`] : []),
    ].join('\n');
  return [
    group('Claimed by you', mine.claimed, mine.moreClaimed, 'Nothing claimed by you.'),
    group(
      `Unclaimed in ${unclaimedScope}`,
      mine.unclaimed,
      mine.moreUnclaimed,
      'Nothing waiting to be claimed.',
    ),
  ].join('\n\n');
}
