import type { LocalMessage, StoredCard } from '../../ports/local-workspace.js';

/** The most root messages a channel view shows: the latest ones (a workspace for trying, not an archive). */
export const LOCAL_ROOTS_SHOWN = 200;

type LocalMessageRow = Omit<LocalMessage, 'kind' | 'card' | 'csat'> & {
  kind: string;
  card: unknown;
  csat: unknown;
  /** PostgreSQL's stand-in for SQLite's rowid: bookkeeping, not part of the message. */
  insertOrder?: number;
};

// Only rows written through `create` reach the table, so the casts hold.
export function localMessageFromRow(row: LocalMessageRow): LocalMessage {
  const { insertOrder: _order, ...rest } = row;
  return {
    ...rest,
    kind: row.kind as LocalMessage['kind'],
    card: (row.card as StoredCard | null) ?? null,
    csat: (row.csat as LocalMessage['csat']) ?? null,
  };
}
