import { and, asc, desc, eq, gte, isNotNull, lt } from 'drizzle-orm';
import type { Deflection } from '../../domain/knowledge.js';
import type { KnowledgeRepository } from '../../ports/store.js';
import { knowledgeEntryFromRow } from '../shared/knowledge-rows.js';
import type { SqliteDb } from './repositories.js';
import { deflections, knowledgeEntries } from './schema.js';

/** Past resolutions and deflections on SQLite (see the port for what each method is for). */
export function createKnowledgeRepository(db: SqliteDb): KnowledgeRepository {
  return {
    async save(entry) {
      const { id: _keep, ...changes } = entry;
      db.insert(knowledgeEntries)
        .values(entry)
        .onConflictDoUpdate({ target: knowledgeEntries.escalationId, set: changes })
        .run();
    },
    async get(id) {
      const row = db.select().from(knowledgeEntries).where(eq(knowledgeEntries.id, id)).get();
      return row && knowledgeEntryFromRow(row);
    },
    async listResolvedSince(since, limit) {
      return db
        .select()
        .from(knowledgeEntries)
        .where(gte(knowledgeEntries.resolvedAt, since))
        .orderBy(desc(knowledgeEntries.resolvedAt))
        .limit(limit)
        .all()
        .map(knowledgeEntryFromRow);
    },
    async listAnswers(period) {
      const hasAnswer = isNotNull(knowledgeEntries.answer);
      return db
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
        .orderBy(asc(knowledgeEntries.resolvedAt))
        .all()
        .map(knowledgeEntryFromRow);
    },
    async recordDeflection(deflection) {
      db.insert(deflections).values(deflection).run();
    },
    async listDeflections(from, to): Promise<Deflection[]> {
      return db
        .select()
        .from(deflections)
        .where(and(gte(deflections.at, from), lt(deflections.at, to)))
        .orderBy(asc(deflections.at))
        .all();
    },
  };
}
