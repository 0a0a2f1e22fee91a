import type { DigestChart } from './digest/chart.js';
import type { ThreadRef } from './ids.js';

/**
 * A platform-neutral card. The core builds it; each adapter renders it (Block Kit, Adaptive Card).
 * Text may hold `<@platform:user>` mention tokens and simple `*bold*` markup; renderers translate.
 */
export interface Card {
  /** Short plain text used for notifications and as the fallback text. */
  fallback: string;
  title: string;
  /** One line under the title, e.g. the current status. */
  status: string;
  fields: CardField[];
  sections: CardSection[];
  actions: CardAction[];
  /** Links shown as buttons that open something (the original thread). */
  links: CardLink[];
  /** Small print at the bottom (who did what, when). */
  context: string[];
  /**
   * "View conversation": the whole thread, opened from the card (a Slack modal, a Teams task
   * module), for responders on another platform or outside the support channel.
   */
  conversation?: { escalationId: string; label: string };
  /** A chart the adapter draws as a picture (Slack: an uploaded PNG; Teams: an image in the card). */
  chart?: DigestChart;
}

export interface CardField {
  label: string;
  value: string;
}

export interface CardSection {
  heading: string;
  text: string;
}

/** Neutral action ids; adapters map clicks on them back to use cases. */
export const CARD_ACTIONS = ['claim', 'resolve', 'bounce', 'escalate_further', 'not_an_escalation'] as const;
export type CardActionId = (typeof CARD_ACTIONS)[number];

export interface CardAction {
  id: CardActionId;
  label: string;
  /** The escalation the action applies to. */
  escalationId: string;
  style?: 'primary' | 'danger';
}

export interface CardLink {
  label: string;
  thread: ThreadRef;
}
