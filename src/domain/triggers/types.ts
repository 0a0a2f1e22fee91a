/** What the content triggers read and what they report. */

export type ContentTriggerKind = 'manager_request' | 'high_value' | 'legal' | 'dissatisfaction';

export interface TriggerHit {
  kind: ContentTriggerKind;
  /** One line for the card, plain words: e.g. 'Customer asked for a manager: "can I speak to your manager"'. */
  summary: string;
  /** The evidence lines: matched phrases, the amount and threshold, sentiment scores and trend, the account and tier. */
  details: string[];
  /** The exact matched fragments (recorded with false positives). */
  matched: string[];
}

export interface MessageContext {
  /** The customer message, plain text (may still contain Slack markup like <@U123>, <https://x|label>, > quotes, ```code```). */
  text: string;
  /** Prefixed author id, e.g. slack:U0123 or teams:<guid>. */
  authorId: string;
  /** The author's own Slack team (Slack Connect) or Microsoft tenant. */
  authorTeamId?: string;
  authorEmail?: string;
  /** Earlier customer messages of the same thread, oldest first (for the sentiment trend). */
  recentCustomerTexts: string[];
}
