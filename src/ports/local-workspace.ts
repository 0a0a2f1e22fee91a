import type { Card } from '../domain/card.js';

/** What a message of the simulated workspace is: someone's words, or something Escalator delivered. */
export const LOCAL_MESSAGE_KINDS = ['text', 'card', 'note', 'csat', 'ephemeral'] as const;
export type LocalMessageKind = (typeof LOCAL_MESSAGE_KINDS)[number];

/** A card as the local workspace keeps it: the neutral card, its chart already drawn. */
export type StoredCard = Card & {
  /** The digest chart as a `data:image/png;base64,…` URI, drawn once when the card arrived. */
  chartPng?: string;
};

/** One message of the simulated workspace (`adapters/local`). Ids are opaque strings. */
export interface LocalMessage {
  id: string;
  /** The channel as the policy names it (`slack:C0SUPPORT`, `local:support`). */
  channel: string;
  /** The id of the thread's root message; null for a root. */
  threadId: string | null;
  /** The persona who wrote it; null when Escalator did. */
  authorId: string | null;
  kind: LocalMessageKind;
  text: string | null;
  card: StoredCard | null;
  /** What a CSAT prompt asks about. */
  csat: { escalationId: string; number: number } | null;
  /** Set on ephemerals: the only persona who sees it. */
  visibleTo: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The messages of the simulated workspace, in the same database as everything else. */
export interface LocalWorkspaceRepository {
  /** Stores a message; false when one with that id exists already (a retried request or delivery). */
  create(message: LocalMessage): Promise<boolean>;
  get(id: string): Promise<LocalMessage | undefined>;
  /** Replaces a card in place; false when there is no card with that id. */
  updateCard(id: string, card: StoredCard, at: Date): Promise<boolean>;
  /**
   * The root messages of a channel, oldest first, each with its number of replies. Ephemerals are
   * included only when `viewer` is the person they are for.
   */
  listRoots(channel: string, viewer?: string): Promise<Array<LocalMessage & { replyCount: number }>>;
  /** A thread: its root, then its replies oldest first (ephemerals as for `listRoots`). */
  listThread(channel: string, rootId: string, viewer?: string): Promise<LocalMessage[]>;
  /** The CSAT prompt asking about an escalation, if one was posted here. */
  findCsatPrompt(escalationId: string): Promise<LocalMessage | undefined>;
}
