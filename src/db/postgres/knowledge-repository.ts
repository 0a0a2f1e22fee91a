import { and, asc, desc, eq, gte, isNotNull, lt } from 'drizzle-orm';
import type { Deflection } from '../../domain/knowledge.js';
import type { KnowledgeRepository } from '../../ports/store.js';
import { knowledgeEntryFromRow } from '../shared/knowledge-rows.js';
import type { PgDb } from './pg-db.js';
import { deflections, knowledgeEntries } from './schema.js';

/**
 * Past resolutions and deflections on PostgreSQL, as src/db/sqlite/knowledge-repository.ts keeps
 * them (see the port for what each method is for).
 */
export function createPgKnowledgeRepository(db: PgDb): KnowledgeRepository {
  return {
    async save(entry) {
      const { id: _keep, ...changes } = entry;
      await db
        .insert(knowledgeEntries)
        .values(entry)
        .onConflictDoUpdate({ target: knowledgeEntries.escalationId, set: changes });
    },
    async get(id) {
      const [row] = await db.select().from(knowledgeEntries).where(eq(knowledgeEntries.id, id));
      return row && knowledgeEntryFromRow(row);
    },
    async listResolvedSince(since, limit) {
      const rows = await db
        .select()
        .from(knowledgeEntries)
        .where(gte(knowledgeEntries.resolvedAt, since))
        // The id breaks ties in the same millisecond, where SQLite would fall back to rowid order.
        .orderBy(desc(knowledgeEntries.resolvedAt), desc(knowledgeEntries.id))
        .limit(limit);
      return rows.map(knowledgeEntryFromRow);
    },
    async listAnswers(period) {
      const hasAnswer = isNotNull(knowledgeEntries.answer);
      const rows = await db
        .select()
        .from(knowledgeEntries)
        .where(
          period
            ? and(
                hasAnswer,
                gte(knowledgeEntries.resolvedAt, period.from),
                lt(knowledgeEntries.resolvedAt, period.to),
              )
            : hasAnswer,
        )
        .orderBy(asc(knowledgeEntries.resolvedAt), asc(knowledgeEntries.id));
      return rows.map(knowledgeEntryFromRow);
    },
    async recordDeflection(deflection) {
      await db.insert(deflections).values(deflection);
    },
    async listDeflections(from, to): Promise<Deflection[]> {
      return db
        .select()
        .from(deflections)
        .where(and(gte(deflections.at, from), lt(deflections.at, to)))
        .orderBy(asc(deflections.at), asc(deflections.id));
    },
  };
}
