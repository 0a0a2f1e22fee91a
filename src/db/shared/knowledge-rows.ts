import type { KnowledgeEntry } from '../../domain/knowledge.js';

/** A `knowledge_entries` row as both dialects read it: the root cause is stored as text. */
type KnowledgeEntryRow = Omit<KnowledgeEntry, 'rootCause'> & { rootCause: string };

/** Only rows written through `save` reach the table, so the root cause is one of ours. */
export const knowledgeEntryFromRow = (row: KnowledgeEntryRow): KnowledgeEntry => ({
  ...row,
  rootCause: row.rootCause as KnowledgeEntry['rootCause'],
});
