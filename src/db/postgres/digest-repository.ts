import { and, eq } from 'drizzle-orm';
import type { DigestRecord, DigestRepository } from '../../ports/analytics.js';
import type { PgDb } from './pg-db.js';
import { digests } from './schema.js';

/** Sent digests on PostgreSQL; digests_period_scope_uq turns a second claim of the same period into a no-op. */
export function createPgDigestRepository(db: PgDb): DigestRepository {
  return {
    async claim(record) {
      const claimed = await db
        .insert(digests)
        .values(record)
        .onConflictDoNothing()
        .returning({ id: digests.id });
      return claimed.length === 1;
    },
    async find(period, scope) {
      const [row] = await db
        .select()
        .from(digests)
        .where(and(eq(digests.period, period), eq(digests.scope, scope)));
      return row && { ...row, channels: row.channels as DigestRecord['channels'] };
    },
  };
}
