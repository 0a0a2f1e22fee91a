/** One message of a support thread, as a summary endpoint sees it. */
export interface SummaryThreadMessage {
  role: 'customer' | 'staff';
  text: string;
  /** ISO 8601 time the message was sent. */
  at: string;
}

export interface SummaryInput {
  /** The thread, oldest first, deleted messages left out and e-mail addresses already masked. */
  thread: SummaryThreadMessage[];
  issueNumber: number;
  /** Why it was escalated, as the agent or the trigger said it (masked like the thread). */
  reason: string;
}

/**
 * Writes a short narrative summary of a support thread for the specialist taking over (an AI
 * endpoint). Optional: without one the card keeps its extractive summary. Implementations must
 * stop when `signal` aborts and throw on any failure; the caller retries and falls back.
 */
export interface SummaryPort {
  summarize(input: SummaryInput, signal: AbortSignal): Promise<string>;
}
