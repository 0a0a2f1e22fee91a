import { lt } from 'drizzle-orm';
import type { RunLeaseRepository } from '../../ports/store.js';
import { LEASES_KEPT_MS } from '../shared/run-leases.js';
import type { SqliteDb } from './repositories.js';
import { runLeases } from './schema.js';

export function createRunLeaseRepository(db: SqliteDb): RunLeaseRepository {
  return {
    async claim(key, holder, until, now) {
      db.delete(runLeases)
        .where(lt(runLeases.expiresAt, new Date(now.getTime() - LEASES_KEPT_MS)))
        .run();
      const taken = db
        .insert(runLeases)
        .values({ key, holder, expiresAt: until })
        .onConflictDoUpdate({
          target: runLeases.key,
          set: { holder, expiresAt: until },
          where: lt(runLeases.expiresAt, now),
        })
        .returning({ key: runLeases.key })
        .all();
      return taken.length === 1;
    },
  };
}
