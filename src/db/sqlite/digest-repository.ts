import { and, eq } from 'drizzle-orm';
import type { DigestRecord, DigestRepository } from '../../ports/analytics.js';
import type { SqliteDb } from './repositories.js';
import { digests } from './schema.js';

/** Sent digests; digests_period_scope_uq turns a second claim of the same period into a no-op. */
export function createDigestRepository(db: SqliteDb): DigestRepository {
  return {
    async claim(record) {
      return db.insert(digests).values(record).onConflictDoNothing().run().changes === 1;
    },
    async find(period, scope) {
      const row = db
        .select()
        .from(digests)
        .where(and(eq(digests.period, period), eq(digests.scope, scope)))
        .get();
      return row && { ...row, channels: row.channels as DigestRecord['channels'] };
    },
  };
}
