/**
 * The extractive thread summary on every escalation card: what the problem is in the customer's
 * words, the key facts from the whole thread, what staff have tried, the latest customer message,
 * the mood and the timeline. Deterministic (the same thread gives the same summary) and fast: plain
 * text scans, no model, a 500-message thread in milliseconds.
 */
import type { Issue, ThreadMessage } from '../issue.js';
import { formatTime } from '../text.js';
import { TREND_WINDOW } from '../triggers/defaults.js';
import { normaliseForMatching, scoreSentiment, sentimentTrend } from '../triggers/index.js';
import { extractFacts, type KeyFact } from './extract-facts.js';
import { condense, formatDuration, readableText } from './readable-text.js';

/** Sizes the summary keeps to, so every part fits its card section (see `summary-sections.ts`). */
export const SUMMARY_LIMITS = {
  /** Characters of the problem statement. */
  problem: 900,
  /** Customer messages of the opening burst joined into the problem. */
  problemMessages: 3,
  /** Opening messages count as one burst when sent within this of the first. */
  problemBurstMs: 10 * 60_000,
  facts: 12,
  tried: 6,
  /** Characters of one "tried" line. */
  triedLine: 180,
  latest: 700,
} as const;

export interface SummarizeThreadInput {
  issue: Issue;
  /** The thread's messages, oldest first, deleted ones already left out. */
  messages: readonly ThreadMessage[];
  /** Product names (the policy's `products`) to pick out as facts. */
  products: readonly string[];
  /** The moment the summary describes (waiting times are measured to it). */
  now: Date;
  timeZone: string;
}

export interface QuotedText {
  text: string;
  /** True when the text was shortened (it ends with the cut marker). */
  cut: boolean;
}

export interface TriedItem {
  authorId: string;
  at: Date;
  /** The reply on one line, condensed. */
  text: string;
}

export type Mood = 'improving' | 'steady' | 'worsening';

export interface ThreadSummary {
  /** The customer's opening message(s); absent when the thread has no messages. */
  problem?: QuotedText & { messages: number };
  /** Most relevant first, at most `SUMMARY_LIMITS.facts`; `more` counts the ones left out. */
  facts: { items: KeyFact[]; more: number };
  /** Staff replies, oldest first, at most `SUMMARY_LIMITS.tried`; `more` counts the ones left out. */
  tried: { items: TriedItem[]; more: number };
  /** The latest customer message, when it is not already the problem statement. */
  latest?: QuotedText & { at: Date };
  /**
   * From the sentiment of the customer's recent messages (the latest against the mean of the ones
   * before it, as the dissatisfaction trigger reads it). `trend` is absent with one message only.
   */
  mood?: { trend?: Mood; scores: number[]; total: number };
  timeline: Timeline;
}

export interface Timeline {
  openedAt: Date;
  /** The first staff reply after the customer's first message, and how long it took. */
  firstResponse?: { at: Date; afterMs: number };
  messages: number;
  customerMessages: number;
  staffMessages: number;
  participants: number;
  customerParticipants: number;
  staffParticipants: number;
  /**
   * Set when the customer wrote last and no staff reply followed: their last message, how long ago,
   * and the unanswered run it ends (how many messages, since when).
   */
  waiting?: { since: Date; forMs: number; unanswered: { count: number; since: Date } };
  /** The same, as lines for the card. */
  lines: string[];
}

/** Summarises a thread. Never throws; an empty thread gives a summary with only the timeline. */
export function summarizeThread(input: SummarizeThreadInput): ThreadSummary {
  const { issue, messages, now, timeZone } = input;
  const customer = messages.filter((m) => m.authorRole === 'customer');
  const staff = messages.filter((m) => m.authorRole === 'staff');

  const problemMessages = openingBurst(customer.length > 0 ? customer : messages.slice(0, 1), messages);
  const problem =
    problemMessages.length > 0
      ? {
          ...condense(problemMessages.map((m) => readableText(m.text)).join(' / '), SUMMARY_LIMITS.problem),
          messages: problemMessages.length,
        }
      : undefined;

  const latestMessage = customer.at(-1);
  const latest =
    latestMessage && !problemMessages.includes(latestMessage)
      ? { ...condense(readableText(latestMessage.text), SUMMARY_LIMITS.latest), at: latestMessage.sentAt }
      : undefined;

  const allFacts = extractFacts(
    messages.map((m) => ({ text: m.text, fromCustomer: m.authorRole === 'customer' })),
    input.products,
  );

  return {
    ...(problem ? { problem } : {}),
    facts: {
      items: allFacts.slice(0, SUMMARY_LIMITS.facts),
      more: Math.max(0, allFacts.length - SUMMARY_LIMITS.facts),
    },
    tried: triedSoFar(staff),
    ...(latest ? { latest } : {}),
    ...moodOf(customer),
    timeline: timelineOf(issue, messages, customer, staff, now, timeZone),
  };
}

/**
 * The customer's opening: their first message, and the ones right after it (before any staff reply,
 * within a few minutes) that finish the thought ("Hi" … "our export fails"). The latest customer
 * message is left for its own section unless it is the only one.
 */
function openingBurst(customer: readonly ThreadMessage[], all: readonly ThreadMessage[]): ThreadMessage[] {
  const first = customer[0];
  if (!first) return [];
  const firstStaff = all.find((m) => m.authorRole === 'staff' && m.sentAt >= first.sentAt);
  const burst = [first];
  for (const m of customer.slice(1, -1)) {
    if (burst.length >= SUMMARY_LIMITS.problemMessages) break;
    if (firstStaff && m.sentAt >= firstStaff.sentAt) break;
    if (m.sentAt.getTime() - first.sentAt.getTime() > SUMMARY_LIMITS.problemBurstMs) break;
    burst.push(m);
  }
  return burst;
}

/** `@escalator escalate …` and the like: talking to the bot, not trying something. */
const BOT_COMMAND = /^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>\s*)?(?:@?escalator\s+)?escalate\b/i;
/** Words of a reply that did something (preferred when there are more replies than room). */
const ACTION_WORDS =
  /\b(?:tried|trying|restarted|rebooted|reset|cleared|re-?synced|re-?installed|re-?issued|re-?sent|resent|sent|refunded|credited|checked|verified|confirmed|rolled back|reverted|updated|upgraded|patched|escalated|raised|logged|ran|tested|reproduced|disabled|enabled|changed|regenerated|rotated|unlocked|allowlisted|whitelisted|applied|fixed|deployed|replaced|removed|added|workaround|asked|contacted|looked into)\b/i;

/** Short enough to be an acknowledgement ("ok", "on it", "thanks!") rather than an attempt. */
function trivial(text: string): boolean {
  if (text.length > 80) return false;
  return (
    readableText(text)
      .split(' ')
      .filter((w) => /[\p{L}\p{N}]/u.test(w)).length < 3
  );
}

/**
 * What staff have tried: their replies, one condensed line each. With more replies than room, the
 * ones that did something ("restarted", "refunded", "cleared the cache") come first, the most
 * recent of each; the lines then read in thread order. Only the newest replies are read in full.
 */
function triedSoFar(staff: readonly ThreadMessage[]): ThreadSummary['tried'] {
  const eligible = staff.filter((m) => !BOT_COMMAND.test(m.text.slice(0, 200)) && !trivial(m.text));
  const pool = eligible.slice(-SUMMARY_LIMITS.tried * 3).map((m, i) => {
    const line = readableText(m.text.slice(0, SUMMARY_LIMITS.triedLine * 4));
    return { m, line, action: ACTION_WORDS.test(line), order: i };
  });
  const ranked =
    eligible.length <= SUMMARY_LIMITS.tried
      ? pool
      : [...pool].sort((a, b) => Number(b.action) - Number(a.action) || b.order - a.order);
  const seen = new Set<string>();
  const chosen: typeof pool = [];
  for (const reply of ranked) {
    if (chosen.length >= SUMMARY_LIMITS.tried) break;
    const key = reply.line.toLowerCase();
    if (seen.has(key)) continue; // "Checking with billing" three times is one attempt
    seen.add(key);
    chosen.push(reply);
  }
  chosen.sort((a, b) => a.order - b.order);
  return {
    items: chosen.map(({ m, line }) => ({
      authorId: m.authorId,
      at: m.sentAt,
      text: condense(line, SUMMARY_LIMITS.triedLine, '…').text,
    })),
    more: eligible.length - chosen.length,
  };
}

function moodOf(customer: readonly ThreadMessage[]): Pick<ThreadSummary, 'mood'> {
  const latest = customer.at(-1);
  if (!latest) return {};
  const score = scoreSentiment(normaliseForMatching(latest.text)).score;
  // sentimentTrend reads only its window of earlier messages; pass no more than it reads.
  const earlier = customer.slice(-1 - TREND_WINDOW, -1).map((m) => m.text);
  const trend = sentimentTrend(score, earlier);
  return {
    mood: { ...(trend.trend ? { trend: trend.trend } : {}), scores: trend.scores, total: trend.total },
  };
}

function timelineOf(
  issue: Issue,
  messages: readonly ThreadMessage[],
  customer: readonly ThreadMessage[],
  staff: readonly ThreadMessage[],
  now: Date,
  timeZone: string,
): Timeline {
  const at = (d: Date) => formatTime(d, timeZone);
  const first = messages[0];
  const openedAt = earliest(first?.sentAt, issue.openedAt)!;
  const firstCustomer = customer[0];
  const reply = firstCustomer ? staff.find((m) => m.sentAt >= firstCustomer.sentAt) : undefined;
  const responseAt = earliest(reply?.sentAt, issue.firstResponseAt);
  const firstResponse = responseAt
    ? { at: responseAt, afterMs: Math.max(0, responseAt.getTime() - openedAt.getTime()) }
    : undefined;

  const customerIds = new Set(customer.map((m) => m.authorId));
  const staffIds = new Set(staff.map((m) => m.authorId));
  const last = messages.at(-1);
  const waiting =
    last && last.authorRole === 'customer'
      ? {
          since: last.sentAt,
          forMs: Math.max(0, now.getTime() - last.sentAt.getTime()),
          unanswered: unansweredRun(messages),
        }
      : undefined;

  const lines = [
    `Opened: ${at(openedAt)}`,
    firstResponse
      ? `First response: ${at(firstResponse.at)} (after ${formatDuration(firstResponse.afterMs)})`
      : `First response: none yet (${formatDuration(now.getTime() - openedAt.getTime())} since it opened)`,
    `Messages: ${messages.length} (${customer.length} from the customer, ${staff.length} from staff)`,
    `Participants: ${customerIds.size + staffIds.size} (${customerIds.size} customer, ${staffIds.size} staff)`,
    waiting
      ? `Waiting: ${formatDuration(waiting.forMs)} since the customer's last message (${at(waiting.since)}), no staff reply since${
          waiting.unanswered.count > 1
            ? `; ${waiting.unanswered.count} unanswered messages, the first ${formatDuration(now.getTime() - waiting.unanswered.since.getTime())} ago`
            : ''
        }`
      : last
        ? `Waiting: no, staff replied last (${at(last.sentAt)})`
        : 'Waiting: no messages yet',
  ];
  return {
    openedAt,
    ...(firstResponse ? { firstResponse } : {}),
    messages: messages.length,
    customerMessages: customer.length,
    staffMessages: staff.length,
    participants: customerIds.size + staffIds.size,
    customerParticipants: customerIds.size,
    staffParticipants: staffIds.size,
    ...(waiting ? { waiting } : {}),
    lines,
  };
}

/** The earliest of the dates given, ignoring missing ones. */
function earliest(...dates: Array<Date | null | undefined>): Date | undefined {
  let found: Date | undefined;
  for (const date of dates) if (date && (!found || date < found)) found = date;
  return found;
}

/** The customer's messages at the end of the thread that no staff reply followed. */
function unansweredRun(messages: readonly ThreadMessage[]): { count: number; since: Date } {
  let i = messages.length - 1;
  while (i > 0 && messages[i - 1]!.authorRole === 'customer') i -= 1;
  return { count: messages.length - i, since: messages[i]!.sentAt };
}
