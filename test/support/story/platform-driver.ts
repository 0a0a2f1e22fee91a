/** A person as a story knows them: their core id and how a card or note of that platform shows them. */
export interface Person {
  id: string;
  shownAs: string;
}

/** A support thread, by its core channel id and the platform id of its root message. */
export interface StoryThread {
  channel: string;
  rootId: string;
}

/** A posted escalation card. */
export interface StoryCard {
  channel: string;
  messageId: string;
  escalationId: string;
}

export type CardButton = 'claim' | 'resolve' | 'bounce' | 'escalate_further' | 'not_an_escalation';

export interface EscalateChoice {
  reason: string;
  path?: string;
  priority?: string;
  why?: string;
}

/**
 * What people do on a platform, the same verbs on Slack and on Teams, so one story runs on both
 * and parity is checked rather than assumed.
 */
export interface PlatformDriver {
  readonly platform: 'slack' | 'teams' | 'local';
  readonly people: { customer: Person; agent: Person; specialist: Person; otherSpecialist: Person };
  /** A support channel, an escalation channel per level name (core ids). */
  channel(name: 'support' | 'l2' | 'l3' | 'leads'): string;
  /** Whatever the platform needs before anything (Teams: the app installed in the team). */
  prepare(): Promise<void>;

  customerPosts(text: string): Promise<StoryThread>;
  /** The customer writes again in their thread (for example after it was resolved). */
  customerReplies(thread: StoryThread, text: string): Promise<void>;
  agentReplies(thread: StoryThread, text: string): Promise<void>;
  /** The agent's form (Slack: message shortcut + modal; Teams: message action + task module). */
  escalateWithForm(thread: StoryThread, choice: EscalateChoice): Promise<{ refused?: string }>;
  /** `@escalator escalate …` typed in the thread. */
  escalateWithMention(thread: StoryThread, command: string): Promise<void>;

  /** Waits for a new card in a channel (one not seen by `except`). */
  waitForCard(channel: string, except?: StoryCard[]): Promise<StoryCard>;
  /** Everything visible on the card now. */
  cardText(card: StoryCard): string;
  waitForCardText(card: StoryCard, text: string): Promise<void>;
  /**
   * Clicks a card button (with the form inputs Resolve and Bounce back need: `note`, `rootCause`,
   * `answer` (the reusable answer, optional), `reason`).
   */
  click(card: StoryCard, button: CardButton, who: Person, inputs?: Record<string, string>): Promise<void>;

  /** Notes Escalator posted into the thread. */
  notesIn(thread: StoryThread): string[];
  waitForNote(thread: StoryThread, text: string): Promise<string>;
  /** Answers only `who` was meant to read (Slack ephemerals, Teams answers to their click or command). */
  waitForReplyTo(who: Person, text: string): Promise<string>;
  cardsPosted(channel: string): number;
  /** The (first) weekly digest posted to `channel`: its text (blocks or card JSON) and its chart. */
  digestOf(channel: string): Promise<PostedDigest>;
  /** How many digests were posted to `channel` so far. */
  digestsPosted(channel: string): number;
  /**
   * A team lead asks for a report in the leads channel (`/escalation-digest <request>` on Slack,
   * `@Escalator digest <request>` on Teams); returns what they were answered, as JSON text.
   */
  askForDigest(who: Person, request: string): Promise<string>;

  /**
   * The CSAT prompt in the thread as it shows now (after an answer: the thanks); waits until there
   * is one, and until it contains `text` when given.
   */
  csatPrompt(thread: StoryThread, text?: string): Promise<string>;
  /** Clicks the rating button `score` on the thread's CSAT prompt (a score without a button is forged). */
  rateCsat(thread: StoryThread, who: Person, score: number): Promise<void>;

  /** `who` writes `@escalator <command>` in the thread (the agent's escalate: `escalateWithMention`). */
  mentionBotAs(who: Person, thread: StoryThread, command: string): Promise<void>;
  /**
   * Who the platform says is in a channel or a group (Slack: a channel or a user group `slack:S…`;
   * Teams: a channel or a team). With `announce`, the platform also tells Escalator who joined and
   * who left (Slack `member_joined_channel` / `member_left_channel`, Teams `conversationUpdate`).
   */
  setMembers(channelOrGroup: string, people: Person[], options?: { announce?: boolean }): Promise<void>;
  /** Every answer only `who` was meant to read so far (see `waitForReplyTo`), oldest first. */
  repliesTo(who: Person): string[];
  /** How many times Escalator read the member list of a channel or group (paged reads count once). */
  memberLookups(channelOrGroup: string): number;

  /**
   * "Before you escalate": what Escalator offers the agent for the thread, one text per similar past
   * escalation, in the order shown (empty when nothing is similar enough). With `{ form }` the agent
   * opens the escalate form (Slack: message shortcut and modal; Teams: message action and task
   * module) and leaves it open; with `{ mention }` they write `@Escalator <mention>` in the thread
   * (nothing is escalated while suggestions are shown).
   */
  beforeEscalating(
    thread: StoryThread,
    how: { form: true; reason?: string } | { mention: string },
  ): Promise<string[]>;
  /**
   * "This solved it" on the suggestion of past escalation #`pastNumber`, where `beforeEscalating` last
   * showed it for the thread. Returns what the agent is answered.
   */
  thisSolvedIt(thread: StoryThread, pastNumber: number): Promise<string>;
  /** "Escalate anyway" on the suggestions a mention showed (the form's is its submit: `escalateWithForm`). */
  escalateAnyway(thread: StoryThread): Promise<void>;
  /**
   * "View conversation" on a card, as `who`, then `next` clicks on the button to the following page.
   * Returns everything the transcript view shows then (messages, authors, "page N of M").
   */
  viewConversation(card: StoryCard, who: Person, next?: number): Promise<string>;
}

/** A digest as a platform showed it. */
export interface PostedDigest {
  /** The blocks (Slack) or the Adaptive Card (Teams), as JSON text. */
  text: string;
  /** The chart picture as delivered: the uploaded file (Slack), the card's data URI (Teams). */
  png: Buffer;
}
