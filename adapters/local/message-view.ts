import type { CardAction } from '../../src/domain/card.js';
import type { LocalMessage, LocalMessageKind } from '../../src/ports/local-workspace.js';
import { renderChannels } from '../shared/channels.js';
import { mentionedIds, renderPeople } from '../shared/people.js';
import { isSuggestionsCard } from './before-escalating.js';
import { type PersonaRole, personaOf } from './personas.js';

/** A message as the page gets it: names instead of tokens, the chart as a picture. */
export interface MessageView {
  id: string;
  channel: string;
  threadId: string | null;
  /** Null for Escalator itself. */
  author: { id: string; name: string; role: PersonaRole } | null;
  kind: LocalMessageKind;
  text?: string;
  card?: CardView;
  csat?: { escalationId: string; number: number; score?: number };
  visibleTo?: string;
  createdAt: string;
  updatedAt: string;
  /** For root messages: how many replies the thread has (that this viewer may see). */
  replyCount?: number;
}

/** The neutral card with its mention and channel tokens turned into names. */
export interface CardView {
  fallback: string;
  title: string;
  status: string;
  fields: Array<{ label: string; value: string }>;
  sections: Array<{ heading: string; text: string }>;
  actions: CardAction[];
  /** Links that open a thread: in this workspace when `url` starts with `/local/`. */
  links: Array<{ label: string; channel: string; threadId: string; url: string }>;
  context: string[];
  /** "View conversation": `GET /local/api/transcript?escalation=<escalationId>` reads the whole thread. */
  conversation?: { escalationId: string; label: string };
  /**
   * On the private "before you escalate" card: the past escalations offered, each with its
   * "This solved it" button, and "Escalate anyway" (`POST /local/api/suggestions`).
   */
  suggestions?: { offered: Array<{ entryId: string; escalationNumber: number }> };
  /** A digest's chart, drawn: `data:image/png;base64,…`. */
  chartPng?: string;
  chartTitle?: string;
}

/** What turning tokens into names needs. */
export interface ViewNames {
  /** Display names of the people mentioned (personas and anyone else the database knows). */
  people: Map<string, string>;
  /** The name of a channel of the workspace, or undefined for one it does not simulate. */
  channel(id: string): string | undefined;
  /** A link to a thread: the workspace's own for a simulated channel, else the platform's. */
  threadUrl(thread: { channel: string; threadId: string }): string;
  /** CSAT answers given so far, by escalation id. */
  scores?: Map<string, number>;
}

/** The people a set of messages mentions or is written by, to look their names up at once. */
export function peopleIn(messages: LocalMessage[]): string[] {
  const ids = new Set<string>();
  for (const m of messages) {
    if (m.authorId) ids.add(m.authorId);
    for (const id of mentionedIds(`${m.text ?? ''}${m.card ? JSON.stringify(m.card) : ''}`)) ids.add(id);
  }
  return [...ids];
}

/** Core text with `<@person>` and `<#channel|label>` tokens written out for people to read. */
export function readableText(text: string, names: Pick<ViewNames, 'people' | 'channel'>): string {
  const channels = renderChannels(text, (id) => {
    const name = names.channel(id);
    return name === undefined ? undefined : `#${name}`;
  });
  return renderPeople(channels, names.people, () => undefined);
}

export function viewMessage(message: LocalMessage & { replyCount?: number }, names: ViewNames): MessageView {
  const text = (value: string) => readableText(value, names);
  const persona = message.authorId ? personaOf(message.authorId) : undefined;
  const view: MessageView = {
    id: message.id,
    channel: message.channel,
    threadId: message.threadId,
    author: message.authorId
      ? {
          id: message.authorId,
          name: persona?.name ?? names.people.get(message.authorId) ?? message.authorId,
          role: persona?.role ?? 'agent',
        }
      : null,
    kind: message.kind,
    createdAt: message.createdAt.toISOString(),
    updatedAt: message.updatedAt.toISOString(),
  };
  if (message.text !== null) view.text = text(message.text);
  if (message.card) {
    const card = message.card;
    view.card = {
      fallback: text(card.fallback),
      title: text(card.title),
      status: text(card.status),
      fields: card.fields.map((f) => ({ label: text(f.label), value: text(f.value) })),
      sections: card.sections.map((s) => ({ heading: text(s.heading), text: text(s.text) })),
      actions: card.actions,
      links: card.links.map((l) => ({
        label: text(l.label),
        channel: l.thread.channel,
        threadId: l.thread.threadId,
        url: names.threadUrl(l.thread),
      })),
      context: card.context.map(text),
      ...(card.conversation
        ? { conversation: { ...card.conversation, label: text(card.conversation.label) } }
        : {}),
      ...(isSuggestionsCard(card) ? { suggestions: { offered: card.beforeEscalating.offered } } : {}),
      ...(card.chartPng ? { chartPng: card.chartPng, chartTitle: card.chart?.title } : {}),
    };
  }
  if (message.csat) {
    const score = names.scores?.get(message.csat.escalationId);
    view.csat = { ...message.csat, ...(score !== undefined ? { score } : {}) };
  }
  if (message.visibleTo) view.visibleTo = message.visibleTo;
  if (message.replyCount !== undefined) view.replyCount = message.replyCount;
  return view;
}
