import type { Policy } from '../../domain/policy.js';
import { detectContentTriggers } from '../../domain/triggers/index.js';
import type { ReplayIssue } from './replay-source.js';
import type { ReplayedHit } from './replayed-hit.js';

/** Earlier customer messages the sentiment trend reads, as detect-triggers.ts passes them. */
const TREND_WINDOW = 10;

/**
 * The content triggers (manager request, high value, legal, dissatisfaction) on each customer
 * message of a thread, as the service runs them when the message arrives: with the earlier customer
 * messages for the mood trend. Deleted and purged messages have no text to read.
 */
export function replayContent(issue: ReplayIssue, policy: Policy): ReplayedHit[] {
  const hits: ReplayedHit[] = [];
  const earlier: string[] = [];
  for (const message of issue.messages) {
    if (message.authorRole !== 'customer' || message.deleted || message.purged) continue;
    const found = detectContentTriggers(
      {
        text: message.text,
        authorId: message.authorId,
        ...(message.authorEmail ? { authorEmail: message.authorEmail } : {}),
        recentCustomerTexts: earlier.slice(-TREND_WINDOW),
      },
      policy.triggers,
    );
    for (const hit of found) {
      hits.push({
        kind: hit.kind,
        at: message.sentAt,
        firingKey: hit.kind,
        summary: hit.summary,
        details: hit.details,
      });
    }
    earlier.push(message.text);
  }
  return hits;
}
