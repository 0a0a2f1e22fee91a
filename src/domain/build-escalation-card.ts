import type { Card, CardAction } from './card.js';
import { CONTENT_TRIGGERS, type Escalation, levelOf } from './escalation.js';
import type { Issue, ThreadMessage } from './issue.js';
import type { SimilarPast } from './knowledge.js';
import { ROOT_CAUSE_LABELS } from './policy.js';
import { summarizeThread, summarySections } from './summary/index.js';
import { formatAge, formatTime, oneLine, truncate } from './text.js';
import { mention } from './transitions.js';

export interface EscalationCardInput {
  escalation: Escalation;
  issue: Issue;
  /** The thread's messages, oldest first (deleted ones already left out). */
  messages: ThreadMessage[];
  /** Earlier escalations of the same issue, oldest first, for the history line. */
  history: Escalation[];
  /** The customer's rating after the resolution, once given. */
  csat?: { score: number; respondent: string };
  /** The earlier escalation this one repeats (for "Re-escalation of #N"). */
  reescalationOf?: { number: number; status: string };
  /** For a systemic escalation: the other threads it stands for. */
  clusterThreads?: Array<{ number: number; channel: string; threadId: string; preview: string }>;
  timeZone: string;
  /** Product names the thread summary picks out as key facts (the policy's `products`). */
  products?: readonly string[];
  /** The moment the card describes, for waiting times; default the escalation's last change. */
  now?: Date;
}

export const TRIGGER_LABELS: Record<Escalation['trigger'], string> = {
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

/** The card a specialist sees: everything needed to act without asking the customer again. */
export function buildEscalationCard(input: EscalationCardInput): Card {
  const { escalation: e, issue, messages, timeZone } = input;
  const level = levelOf(e);
  const at = (d: Date) => formatTime(d, timeZone);

  const fields = [
    { label: 'Customer', value: issue.customerId ? mention(issue.customerId) : 'unknown' },
    { label: 'Level', value: `${level.name} (${e.level + 1} of ${e.pathSnapshot.levels.length}, ${e.path})` },
    { label: 'Priority', value: e.priority },
    { label: 'Trigger', value: TRIGGER_LABELS[e.trigger] },
    { label: 'Escalated by', value: mention(e.createdBy) },
    { label: 'Opened', value: at(issue.openedAt) },
  ];
  if (e.ackDueAt && e.status === 'open') fields.push({ label: 'Claim by', value: at(e.ackDueAt) });
  if (e.resolveDueAt && (e.status === 'open' || e.status === 'claimed')) {
    fields.push({ label: 'Resolve by', value: at(e.resolveDueAt) });
  }

  if (input.csat) {
    fields.push({
      label: 'CSAT',
      value: `${'★'.repeat(input.csat.score)}${'☆'.repeat(5 - input.csat.score)} ${input.csat.score}/5 from ${mention(input.csat.respondent)}`,
    });
  }
  const flags: string[] = [];
  if (input.reescalationOf)
    flags.push(`🔁 Re-escalation of #${input.reescalationOf.number} (${input.reescalationOf.status})`);
  if (e.pingPong)
    flags.push(
      '🏓 Ping-pong: bounced back twice between the same levels; agree who owns it before bouncing again',
    );
  const sections = [
    ...(flags.length > 0 ? [{ heading: 'Heads-up', text: flags.join('\n') }] : []),
    ...(e.aiSummary ? [{ heading: 'Summary', text: truncate(e.aiSummary, 1500) }] : []),
    { heading: 'Why it fired', text: whyItFired(e) },
  ];
  // The handoff: everything the next person needs without asking the customer again.
  const summary = summarizeThread({
    issue,
    messages,
    products: input.products ?? [],
    now: input.now ?? latestOf(e.updatedAt, messages.at(-1)?.sentAt),
    timeZone,
  });
  sections.push(...summarySections(summary));
  const cluster = input.clusterThreads ?? [];
  if (cluster.length > 0) {
    const lines = cluster.map((t) => `#${t.number}: ${truncate(oneLine(t.preview), 140)}`);
    sections.push({ heading: `Affected threads (${cluster.length + 1} in all)`, text: lines.join('\n') });
  }
  const similar = e.similarPast ?? [];
  if (similar.length > 0) {
    sections.push({
      heading: 'Similar past escalations',
      text: similar.map((s) => similarPastLine(s, e.createdAt)).join('\n'),
    });
  }
  if (input.history.length > 0) {
    sections.push({ heading: 'Earlier escalations', text: input.history.map(historyLine).join('\n') });
  }

  return {
    fallback: `Escalation #${e.number} (${e.priority}, ${TRIGGER_LABELS[e.trigger]}): ${oneLine(e.reason)}`,
    title: `Escalation #${e.number} · ${e.priority} · ${TRIGGER_LABELS[e.trigger]}`,
    status: statusLine(e, at),
    fields,
    sections,
    actions: actionsFor(e),
    links: [
      { label: 'Open thread', thread: { channel: issue.channel, threadId: issue.threadId } },
      ...cluster
        .slice(0, 8)
        .map((t) => ({ label: `Thread #${t.number}`, thread: { channel: t.channel, threadId: t.threadId } })),
      ...similar.map((s) => ({
        label: `Past #${s.escalationNumber}`,
        thread: { channel: s.channel, threadId: s.threadId },
      })),
    ],
    context: [`Issue #${issue.number} · ${issue.messageCount} messages · escalation ${e.id}`],
    conversation: { escalationId: e.id, label: `View conversation (${issue.messageCount})` },
  };
}

function latestOf(a: Date, b: Date | undefined): Date {
  return b && b > a ? b : a;
}

/** The person's own words come before the trigger's evidence, which a platform may cut when long. */
function whyItFired(e: Escalation): string {
  const lines = [e.evidence.summary];
  if (e.reason) lines.push(`Reason: ${truncate(oneLine(e.reason), 500)}`);
  if (e.reasonCategory) lines.push(`Why: ${ROOT_CAUSE_LABELS[e.reasonCategory]}`);
  lines.push(...(e.evidence.details ?? []));
  return lines.join('\n');
}

function statusLine(e: Escalation, at: (d: Date) => string): string {
  switch (e.status) {
    case 'open':
      return '🔴 Open: waiting for someone to claim it';
    case 'claimed':
      return `🟡 Claimed by ${mention(e.claimedBy)} at ${at(e.claimedAt!)}`;
    case 'resolved': {
      const cause = e.rootCause ? ` (${ROOT_CAUSE_LABELS[e.rootCause]})` : '';
      const note = e.resolutionNote ? `: ${truncate(oneLine(e.resolutionNote), 300)}` : '';
      return `✅ Resolved by ${mention(e.resolvedBy)} at ${at(e.resolvedAt!)}${cause}${note}`;
    }
    case 'bounced':
      return `↩️ Bounced back by ${mention(e.bouncedBy)} at ${at(e.bouncedAt!)}: ${truncate(oneLine(e.bounceReason ?? ''), 300)}`;
    case 'superseded':
      return `⏫ ${e.statusNote ?? 'Escalated further to the next level'} at ${at(e.updatedAt)}`;
    case 'dismissed':
      return `🚫 Closed as not an escalation at ${at(e.updatedAt)}${e.statusNote ? `: ${truncate(oneLine(e.statusNote), 300)}` : ''}`;
    case 'withdrawn':
      // statusNote: who withdrew it, and why when they said ("<@slack:U0ALICE>: customer found it").
      return `⬅️ Withdrawn at ${at(e.updatedAt)} by ${truncate(oneLine(e.statusNote ?? 'the agent who escalated it'), 300)}`;
  }
}

function actionsFor(e: Escalation): CardAction[] {
  const id = e.id;
  const higher = e.level + 1 < e.pathSnapshot.levels.length;
  const further: CardAction[] = higher
    ? [{ id: 'escalate_further', label: 'Escalate further', escalationId: id }]
    : [];
  // Cards raised by reading customer words can be wrong; people say so and the trigger learns.
  const notOne: CardAction[] = CONTENT_TRIGGERS.includes(e.trigger)
    ? [{ id: 'not_an_escalation', label: 'Not an escalation', escalationId: id, style: 'danger' }]
    : [];
  switch (e.status) {
    case 'open':
      return [
        { id: 'claim', label: 'Claim', escalationId: id, style: 'primary' },
        { id: 'resolve', label: 'Resolve', escalationId: id },
        { id: 'bounce', label: 'Bounce back', escalationId: id },
        ...further,
        ...notOne,
      ];
    case 'claimed':
      return [
        { id: 'resolve', label: 'Resolve', escalationId: id, style: 'primary' },
        { id: 'bounce', label: 'Bounce back', escalationId: id },
        ...further,
        ...notOne,
      ];
    default:
      return [];
  }
}

/** "#12 · Knowledge gap · resolved by @x 3d ago: what fixed it" (the answer first when one was written). */
export function similarPastLine(s: SimilarPast, now: Date): string {
  const kind = s.isAnswer ? '📘 Answer' : ROOT_CAUSE_LABELS[s.rootCause];
  const age = formatAge(s.resolvedAt, now);
  return `#${s.escalationNumber} · ${kind} · resolved by ${mention(s.resolvedBy)} ${age}: ${truncate(oneLine(s.text), 200)}`;
}

function historyLine(e: Escalation): string {
  const level = e.pathSnapshot.levels[e.level]?.name ?? `level ${e.level + 1}`;
  return `#${e.number} ${level}: ${e.status}${e.bounceReason ? ` (${truncate(oneLine(e.bounceReason), 120)})` : ''}`;
}
