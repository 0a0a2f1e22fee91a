import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as schema from './schema.js';

/**
 * What the PostgreSQL repositories query through: the pool's database or, inside
 * `store.transaction`, the transaction (drizzle's transaction has the same query API), so the same
 * repository code runs either way. Use only the query builder: no `$client`, which a transaction lacks.
 */
export type PgDb = NodePgDatabase<typeof schema>;
