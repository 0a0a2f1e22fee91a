import type { Escalation, Evidence } from '../domain/escalation.js';

/**
 * The words people wrote or that quote them on an escalation. Retention and erasure replace these;
 * everything else on the row (status, level, trigger, people, timings, root cause) is what the
 * metrics read, and stays.
 */
export interface EscalationWords {
  evidence: Evidence;
  reason: string;
  resolutionNote: string | null;
  bounceReason: string | null;
  /** Why the status last changed; people write it when they withdraw or dismiss. */
  statusNote: string | null;
  aiSummary: string | null;
}

/** The retention job's queries: each reads a partial index of rows still holding text, oldest first. */
export interface RetentionRepository {
  /** Empties the text of up to `limit` messages sent before `before` that still hold text; how many it emptied. */
  purgeMessageText(before: Date, at: Date, limit: number): Promise<number>;
  /** Finished escalations (neither open nor claimed) last changed before `before` and still holding words. */
  listEscalationsHoldingWords(before: Date, limit: number): Promise<Escalation[]>;
  /**
   * Replaces an escalation's words, empties the details of the given audit events and the matched
   * words and reasons of its "Not an escalation" verdicts, blanks the customer's words (`problem`)
   * of its knowledge entry (the staff-written note and answer stay: they are the knowledge), and
   * marks the escalation purged.
   */
  replaceEscalationWords(
    id: string,
    words: EscalationWords,
    clearEventIds: string[],
    at: Date,
  ): Promise<void>;
  /** Deletes up to `limit` delivered or dead outbox entries created before `before`; how many. */
  deleteSettledOutbox(before: Date, limit: number): Promise<number>;
  /** Deletes up to `limit` trigger hits the checker handled, found before `before`; how many. */
  deleteHandledTriggerHits(before: Date, limit: number): Promise<number>;
  /** Deletes up to `limit` local-workspace messages last changed before `before`; how many. */
  deleteLocalMessages(before: Date, limit: number): Promise<number>;
}

/** One stored text value (a text or JSON column of one row) that contains what is looked for. */
export interface StoredText {
  table: string;
  column: string;
  /** The row, as the store addresses it. */
  row: number;
  text: string;
}

/** What erasing one person needs; erasure is rare, so these may read whole tables. */
export interface ErasureRepository {
  /** Issues the person opened, is the customer of, or wrote in; `asCustomer` when they wrote as the customer. */
  issuesOf(personId: string): Promise<Array<{ issueId: string; asCustomer: boolean }>>;
  /** The escalations of these issues, and the systemic escalations whose cluster holds one of them. */
  listEscalationsOf(issueIds: string[]): Promise<Escalation[]>;
  /**
   * Deletes every message the person wrote (and, in the local workspace, what only they were shown);
   * how many tracked messages.
   */
  deleteMessagesBy(personId: string): Promise<number>;
  /** Deletes the person's directory entry (display name, e-mail); how many rows (0 or 1). */
  deletePerson(personId: string): Promise<number>;
  /** Deletes the delivered and dead outbox entries of these issues (cards and notes quote the thread). */
  deleteSettledOutboxOf(issueIds: string[]): Promise<number>;
  /** Deletes the trigger hits of these issues (their evidence quotes the customer). */
  deleteTriggerHitsOf(issueIds: string[]): Promise<number>;
  /** Every value of every text column, in every table, that contains one of `needles` (ignoring ASCII case). */
  findTexts(needles: string[]): Promise<StoredText[]>;
  /** Writes a value found by `findTexts` back, changed. */
  rewriteText(found: StoredText, text: string): Promise<void>;
}
