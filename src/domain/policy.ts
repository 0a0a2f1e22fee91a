/**
 * The escalation policy as the core knows it: the typed result of parsing the policy file
 * (see `src/config/load-policy.ts`). Durations are milliseconds; channels are platform-prefixed ids
 * such as `slack:C0123` or `teams:19:abc@thread.tacv2`.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PATH_TYPES = ['functional', 'hierarchical', 'priority', 'external'] as const;
export type PathType = (typeof PATH_TYPES)[number];

export const ROOT_CAUSES = [
  'knowledge_gap',
  'authority_gap',
  'system_issue',
  'customer_request',
  'other',
] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

export const ROOT_CAUSE_LABELS: Record<RootCause, string> = {
  knowledge_gap: 'Knowledge gap',
  authority_gap: 'Authority gap',
  system_issue: 'System issue',
  customer_request: 'Customer request',
  other: 'Other',
};

export type ClockKind = 'business' | 'calendar';

export interface BusinessHours {
  days: Weekday[];
  /** "HH:MM" in the policy timezone. */
  start: string;
  end: string;
  holidays: { country?: string; state?: string; dates: string[] };
}

export interface SlaTarget {
  firstResponseMs: number;
  resolveMs: number;
  clock: ClockKind;
}

export interface WebhookTarget {
  url: string;
  /** Name of the environment variable that holds the signing secret; the value is never in the file. */
  secretEnv?: string;
}

export interface Level {
  name: string;
  channel?: string;
  webhook?: WebhookTarget;
  ackWithinMs?: number;
  resolveWithinMs?: number;
  /**
   * Who may claim, resolve, bounce back, escalate further or dismiss at this level: people and
   * groups (see `src/domain/responders.ts`). When set it replaces the default, the members of
   * `channel`.
   */
  responders?: string[];
}

export interface EscalationPath {
  name: string;
  type: PathType;
  levels: Level[];
}

export interface SupportChannel {
  channel: string;
  path: string;
  /** A human name for reports (`#support-billing`); Slack shows its own channel names. */
  name?: string;
}

export interface TriggerTarget {
  path: string;
  /** 1-based level to start at; default 1. */
  level?: number;
  priority?: Priority;
}

/**
 * A content trigger with a phrase list. Phrases are case-insensitive regular expressions, matched
 * with word boundaries; they extend the built-in defaults (`src/domain/triggers/lexicons.ts`), or
 * replace them when `replaceDefaults` is true. Naming the trigger in the policy enables it.
 */
export interface PhraseTrigger extends TriggerTarget {
  phrases: string[];
  replaceDefaults?: boolean;
}

/**
 * A listed account: `match` is an e-mail domain (`acme.com`, subdomains included), a Slack team id
 * (`T0123`), a Microsoft tenant id (GUID) or a prefixed user id (`slack:U0123`, `teams:29:…`).
 */
export interface HighValueAccount {
  match: string;
  tier?: string;
}

/** A money threshold: amounts over `value` in `currency` (ISO 4217) fire; other currencies are reported, not compared. */
export interface MoneyThreshold {
  value: number;
  currency: string;
}

export interface HighValueTrigger extends TriggerTarget {
  accounts: HighValueAccount[];
  amountOver?: MoneyThreshold;
}

export interface SystemicTrigger extends TriggerTarget {
  minThreads: number;
  withinMs: number;
  /** 0..1, compared with `textSimilarity` of the threads' first customer messages. */
  similarity: number;
}

export interface DissatisfactionTrigger extends PhraseTrigger {
  /** Fires when a message's summed AFINN score is at or below this; default -3 when absent. */
  sentimentBelow?: number;
}

export interface Triggers {
  slaBreach?: TriggerTarget;
  managerRequest?: PhraseTrigger;
  highValue?: HighValueTrigger;
  systemic?: SystemicTrigger;
  legal?: PhraseTrigger;
  dissatisfaction?: DissatisfactionTrigger;
}

export interface Policy {
  timezone: string;
  businessHours: BusinessHours;
  checker: { everyMs: number };
  /** Staff: listed people, anyone from these Slack workspaces, anyone from these Microsoft tenants. */
  staff: { slackTeamIds: string[]; teamsTenantIds: string[]; userIds: string[] };
  supportChannels: SupportChannel[];
  priorities: Partial<Record<Priority, SlaTarget>>;
  defaultPriority: Priority;
  paths: Record<string, EscalationPath>;
  triggers: Triggers;
  digest?: { schedule: string; channels: string[] };
  retention: { messageTextMs?: number };
  /** After a resolution: a CSAT prompt in the thread; a customer message within the window reopens the issue. */
  followUp: { csat: boolean; reopenWithinMs: number };
  /** Product names the thread summary picks out as key facts. */
  products: string[];
  /** Similar past escalations: least similarity shown, how far back to look, how many to show. */
  knowledge: { similarity: number; withinMs: number; suggestions: number };
  /** Transcripts sent out of the chat (webhooks) mask e-mail addresses unless `showEmails`. */
  transcripts: { showEmails: boolean };
}

export const KNOWLEDGE_DEFAULTS = {
  similarity: 0.35,
  withinMs: 365 * 24 * 3_600_000,
  suggestions: 3,
} as const;

/** The support channel entry for a channel id, if Escalator watches it. */
export function findSupportChannel(policy: Policy, channel: string): SupportChannel | undefined {
  return policy.supportChannels.find((c) => c.channel === channel);
}

/** Priorities the policy defines, most urgent first. */
export function definedPriorities(policy: Policy): Priority[] {
  return PRIORITIES.filter((p) => policy.priorities[p] !== undefined);
}
