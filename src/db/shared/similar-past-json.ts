import type { SimilarPast } from '../../domain/knowledge.js';

/** `SimilarPast` as kept in the escalations' `similar_past` JSON column: the date as ISO text. */
type StoredSimilarPast = Omit<SimilarPast, 'resolvedAt'> & { resolvedAt: string };

/** Null (escalations opened before similar past escalations were looked up) reads as absent. */
export function similarPastFromJson(value: unknown): SimilarPast[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return (value as StoredSimilarPast[]).map((s) => ({ ...s, resolvedAt: new Date(s.resolvedAt) }));
}

export function similarPastToJson(value: SimilarPast[] | undefined): StoredSimilarPast[] | null {
  return value ? value.map((s) => ({ ...s, resolvedAt: s.resolvedAt.toISOString() })) : null;
}
