import type { RootCause } from './policy.js';
import { SimilarityCache, similarityTokens } from './triggers/similarity.js';

/**
 * What Escalator keeps of every resolved escalation, so the next agent with the same problem sees
 * how it was solved before escalating. A snapshot (no joins): it is read by the hundred each time an
 * agent opens the escalation form.
 */
export interface KnowledgeEntry {
  /** `kno_…` */
  id: string;
  escalationId: string;
  escalationNumber: number;
  issueId: string;
  issueNumber: number;
  /** Where the solved thread is, for "open that thread" links. */
  channel: string;
  threadId: string;
  path: string;
  /** The customer's first words and the reason the agent gave: what a new thread is compared with. */
  problem: string;
  resolutionNote: string;
  rootCause: RootCause;
  /** The reusable answer the resolver wrote (asked for on knowledge gaps), if any. */
  answer: string | null;
  resolvedBy: string;
  resolvedAt: Date;
}

/** A past resolution shown to an agent (before escalating) or a specialist (on the card). */
export interface SimilarPast {
  entryId: string;
  escalationId: string;
  escalationNumber: number;
  issueNumber: number;
  channel: string;
  threadId: string;
  path: string;
  rootCause: RootCause;
  /** The reusable answer when there is one, the resolution note otherwise. */
  text: string;
  /** True when `text` is a reusable answer written for the frontline. */
  isAnswer: boolean;
  resolvedBy: string;
  resolvedAt: Date;
  /** Similarity 0..1 to the thread it was found for. */
  score: number;
}

export interface SimilarPastSettings {
  /** The least similarity (0..1) worth showing. */
  similarity: number;
  /** At most this many are shown. */
  max: number;
}

/** An issue closed by "This solved it": it was not escalated, thanks to an earlier resolution. */
export interface Deflection {
  /** `dfl_…` */
  id: string;
  issueId: string;
  /** The knowledge entry (earlier resolution) that solved it. */
  entryId: string;
  path: string;
  actor: string;
  source: string;
  at: Date;
}

/** The text an entry is compared on: the customer's problem and everything staff wrote about it. */
export function entryText(entry: KnowledgeEntry): string {
  return [entry.problem, entry.resolutionNote, entry.answer ?? ''].join('\n');
}

/**
 * The past resolutions most like `threadText`, at least `settings.similarity` alike, at most
 * `settings.max`. Reusable answers come first (they were written for exactly this), then the rest
 * by similarity; among equals the more recent wins. Entries of `excludeIssueId` (the thread's own
 * earlier resolutions) are left out: "this solved it" about itself means nothing.
 */
export function rankSimilarPast(
  threadText: string,
  entries: readonly KnowledgeEntry[],
  settings: SimilarPastSettings,
  excludeIssueId?: string,
): SimilarPast[] {
  if (!threadText.trim() || settings.max <= 0) return [];
  const similarity = pastResolutions.similarityTo(threadText);
  let threadWords: ReadonlySet<string> | undefined;
  const found: SimilarPast[] = [];
  for (const entry of entries) {
    if (entry.issueId === excludeIssueId) continue;
    const text = entryText(entry);
    const score = similarity(text, entry.id);
    if (score < settings.similarity) continue;
    // A vague thread ("it does not work") scores high against anything sharing its one word.
    threadWords ??= new Set(similarityTokens(threadText));
    if (sharedWords(threadWords, pastResolutions.wordsOf(text, entry.id)) < MIN_SHARED_WORDS) continue;
    found.push(toSimilarPast(entry, score));
  }
  found.sort(
    (a, b) =>
      Number(b.isAnswer) - Number(a.isAnswer) ||
      b.score - a.score ||
      b.resolvedAt.getTime() - a.resolvedAt.getTime(),
  );
  return found.slice(0, settings.max);
}

/**
 * The features of past resolutions, kept by entry id: every search compares a thread with the same
 * (up to 2,000) newest resolutions, and reading each one's words again cost 200 ms a search. Room
 * for 2,500 per generation, so one search's candidates all stay; an entry's text up to 4,000
 * characters is kept.
 */
const pastResolutions = new SimilarityCache(5_000, 4_000);

/** A suggestion must share at least this many different words with the thread. */
const MIN_SHARED_WORDS = 2;

/** Words (not number or id placeholders) in both; `entryWords` are distinct already. */
function sharedWords(threadWords: ReadonlySet<string>, entryWords: readonly string[]): number {
  let shared = 0;
  for (const word of entryWords) if (threadWords.has(word) && !word.startsWith('<')) shared += 1;
  return shared;
}

/** An entry as shown to an agent or a specialist, with its similarity to the thread. */
export function toSimilarPast(entry: KnowledgeEntry, score: number): SimilarPast {
  return {
    entryId: entry.id,
    escalationId: entry.escalationId,
    escalationNumber: entry.escalationNumber,
    issueNumber: entry.issueNumber,
    channel: entry.channel,
    threadId: entry.threadId,
    path: entry.path,
    rootCause: entry.rootCause,
    text: entry.answer ?? entry.resolutionNote,
    isAnswer: entry.answer !== null,
    resolvedBy: entry.resolvedBy,
    resolvedAt: entry.resolvedAt,
    score: Math.round(score * 100) / 100,
  };
}

/** Root causes the frontline could have avoided escalating: they lacked knowledge or authority. */
export const AVOIDABLE_ROOT_CAUSES: readonly RootCause[] = ['knowledge_gap', 'authority_gap'];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** E-mail addresses replaced by a mask that keeps the domain (`j…@acme.com`), for transcripts sent out. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, (address) => {
    const at = address.indexOf('@');
    return `${address[0]}…${address.slice(at)}`;
  });
}
