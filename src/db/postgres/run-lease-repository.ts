import { lt } from 'drizzle-orm';
import type { RunLeaseRepository } from '../../ports/store.js';
import { LEASES_KEPT_MS } from '../shared/run-leases.js';
import type { PgDb } from './pg-db.js';
import { runLeases } from './schema.js';

export function createPgRunLeaseRepository(db: PgDb): RunLeaseRepository {
  return {
    async claim(key, holder, until, now) {
      await db.delete(runLeases).where(lt(runLeases.expiresAt, new Date(now.getTime() - LEASES_KEPT_MS)));
      // Two replicas claiming at once: the row lock makes the second wait, then its WHERE sees the
      // first one's unexpired lease and it updates nothing.
      const taken = await db
        .insert(runLeases)
        .values({ key, holder, expiresAt: until })
        .onConflictDoUpdate({
          target: runLeases.key,
          set: { holder, expiresAt: until },
          where: lt(runLeases.expiresAt, now),
        })
        .returning({ key: runLeases.key });
      return taken.length === 1;
    },
  };
}
