import { EscalatorError } from '../domain/errors.js';
import { type Escalation, levelOf } from '../domain/escalation.js';
import { newId } from '../domain/ids.js';
import type { Policy } from '../domain/policy.js';
import { responderOf } from '../domain/responders.js';
import { ACTION_VERBS, type EscalationAction } from '../domain/transitions.js';
import type { Actor } from './act-on-escalation.js';
import type { AppContext } from './context.js';
import { channelToken } from './digest/digest-figures.js';

type Verdict = { allowed: true } | { allowed: false; detail: string; message: (verb: string) => string };

const ALLOWED: Verdict = { allowed: true };

/**
 * Only people allowed at an escalation's level may claim, resolve, bounce back, escalate further
 * or dismiss it: the level's `responders` when the policy lists them, else the members of the
 * level's channel. Anyone else is refused with a coded error written for them, and the refusal is
 * kept in the audit trail (`refused_<action>`); the escalation itself is not touched.
 *
 * Membership is read before the change's transaction (a platform call must not hold the database)
 * and that is safe: an escalation never changes level, a new level is a new escalation.
 */
export async function authorizeResponder(
  ctx: AppContext,
  escalationId: string,
  who: Actor,
  action: EscalationAction,
): Promise<void> {
  // The checker acts by the policy itself (ladder steps, priority raises).
  if (who.source === 'checker' || who.source === 'system') return;
  const escalation = await ctx.store.escalations.get(escalationId);
  if (!escalation) return; // the use case itself says it no longer exists
  const verdict = await mayActAt(ctx, escalation, who.actor);
  if (verdict.allowed) return;
  await recordRefusal(ctx, escalation, who, action, verdict.detail);
  throw new EscalatorError('not_allowed', verdict.message(doing(action, escalation.number)));
}

/** "claim escalation #12", "close escalation #12 as not an escalation". */
function doing(action: EscalationAction, number: number): string {
  if (action === 'dismiss') return `close escalation #${number} as not an escalation`;
  return `${ACTION_VERBS[action]} escalation #${number}`;
}

/** Keeps a refused attempt in the escalation's audit trail, without changing the escalation. */
export async function recordRefusal(
  ctx: AppContext,
  escalation: Escalation,
  who: Actor,
  action: EscalationAction,
  detail: string,
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.store.transaction((tx) =>
    tx.events.append({
      id: newId('evt', at),
      escalationId: escalation.id,
      action: `refused_${action}`,
      fromStatus: escalation.status,
      toStatus: escalation.status,
      actor: who.actor,
      source: who.source,
      detail,
      at,
    }),
  );
}

/**
 * Who may act at the escalation's level. The level is the one the card was posted for; its
 * `responders` come from the policy in force (a person taken off the list loses the right on
 * cards posted before), falling back to the path as it was when the policy no longer has the level.
 */
export function levelRules(policy: Policy, e: Escalation) {
  const posted = levelOf(e);
  const current = policy.paths[e.path]?.levels[e.level];
  const responders = current?.name === posted.name ? current.responders : posted.responders;
  return { name: posted.name, channel: posted.channel, responders };
}

async function mayActAt(ctx: AppContext, e: Escalation, actor: string): Promise<Verdict> {
  const level = levelRules(ctx.policy, e);
  const person = responderOf(actor)?.id ?? actor;
  // Rosters name people as the platform does; the policy's Entra ids were lower-cased.
  const isIn = (members: ReadonlySet<string>) => members.has(actor) || members.has(person);
  if (level.responders) {
    const listed = level.responders.map(responderOf).filter((r) => r !== undefined);
    if (listed.some((r) => r.kind === 'person' && r.id === person)) return ALLOWED;
    const failures: string[] = [];
    for (const group of listed.filter((r) => r.kind === 'group')) {
      if (!ctx.directory) continue;
      try {
        if (isIn(await ctx.directory.groupMembers(group.id))) return ALLOWED;
      } catch (error) {
        failures.push(`${group.id}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) return lookupFailed(failures.join('; '));
    return {
      allowed: false,
      detail: `not a responder of ${level.name}`,
      message: (what) =>
        `Only the responders of ${level.name} can ${what}; the escalation policy lists who they are.`,
    };
  }
  // A core wired to no platform (core tests) cannot read channels: the default is not checked.
  if (!ctx.directory) return ALLOWED;
  if (!level.channel) {
    return {
      allowed: false,
      detail: `${level.name} has no channel and no responders`,
      message: (what) =>
        `Nobody can ${what} from chat: ${level.name} has no channel. List its responders in the escalation policy.`,
    };
  }
  let members: ReadonlySet<string>;
  try {
    members = await ctx.directory.channelMembers(level.channel);
  } catch (error) {
    return lookupFailed(`${level.channel}: ${(error as Error).message}`);
  }
  if (isIn(members)) return ALLOWED;
  const channel = level.channel;
  return {
    allowed: false,
    detail: `not a member of ${channel}`,
    message: (what) => `Only members of ${channelToken(channel, `the ${level.name} channel`)} can ${what}.`,
  };
}

/** The platform did not say who the members are: refuse (never guess), and say it may pass later. */
function lookupFailed(why: string): Verdict {
  return {
    allowed: false,
    detail: `membership lookup failed: ${why}`,
    message: (what) =>
      `Escalator could not check just now whether you can ${what} (the chat platform did not answer). Try again in a moment.`,
  };
}
