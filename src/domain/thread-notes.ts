import { type Escalation, levelOf } from './escalation.js';
import { ROOT_CAUSE_LABELS } from './policy.js';
import { oneLine, truncate } from './text.js';
import { mention } from './transitions.js';

/**
 * Short notes posted into the original support thread so the frontline agent always knows where
 * the escalation stands and never has to ask the specialist (or the customer) again.
 */
export const threadNotes = {
  escalated(e: Escalation): string {
    return `🔺 Escalated to *${levelOf(e).name}* as #${e.number} (${e.priority}) by ${mention(e.createdBy)}: ${short(e.reason)}`;
  },
  claimed(e: Escalation): string {
    return `👋 ${mention(e.claimedBy)} (${levelOf(e).name}) claimed escalation #${e.number} and is on it.`;
  },
  resolved(e: Escalation): string {
    const cause = e.rootCause ? ` Root cause: ${ROOT_CAUSE_LABELS[e.rootCause]}.` : '';
    return `✅ Escalation #${e.number} resolved by ${mention(e.resolvedBy)}: ${short(e.resolutionNote ?? '')}${cause}`;
  },
  bounced(e: Escalation, backTo: Escalation | null): string {
    const where = backTo ? `back to *${levelOf(backTo).name}* as #${backTo.number}` : 'back to the frontline';
    return `↩️ Escalation #${e.number} was bounced ${where} by ${mention(e.bouncedBy)}: ${short(e.bounceReason ?? '')}`;
  },
  climbed(from: Escalation, to: Escalation, waited: string): string {
    return `⏫ Escalation #${from.number} was unclaimed at ${levelOf(from).name} for ${waited}, so it went to *${levelOf(to).name}* as #${to.number}.`;
  },
  dismissed(e: Escalation, actor: string, reason: string | null): string {
    return `🚫 Escalation #${e.number} was closed as not an escalation by ${mention(actor)}${reason ? `: ${short(reason)}` : '.'}`;
  },
  withdrawn(e: Escalation, actor: string, reason: string | null): string {
    return `⬅️ ${mention(actor)} withdrew escalation #${e.number} (${levelOf(e).name})${reason ? `: ${short(reason)}` : '.'} The thread is back with the frontline.`;
  },
  escalatedFurther(from: Escalation, to: Escalation, actor: string): string {
    return `⏫ Escalation #${from.number} was escalated further to *${levelOf(to).name}* as #${to.number} by ${mention(actor)}.`;
  },
};

function short(text: string): string {
  return truncate(oneLine(text), 400);
}
