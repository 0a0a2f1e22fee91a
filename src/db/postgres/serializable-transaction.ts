import type { PgDb } from './pg-db.js';

/**
 * What PostgreSQL answers when a transaction collided with a concurrent one, so that running it
 * again (on the data as the other left it) is the fix: a serialization failure, a deadlock, or a
 * unique key taken meanwhile (two replicas opening the same thread's issue, or taking the same
 * `max(number) + 1`). A duplicate the work expected never gets here: it asks for `on conflict do
 * nothing`, and any other error aborts the whole transaction anyway.
 */
const RETRYABLE_CODES = new Set(['40001', '40P01', '23505']);

const MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 200;

/** The first SQLSTATE found on the error or its causes (drizzle wraps the driver's error). */
export function sqlStateOf(error: unknown): string | undefined {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The driver's own message ("duplicate key value violates unique constraint …"), not drizzle's query text. */
function databaseMessageOf(error: unknown): string {
  for (let e = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code !== undefined) return e.message;
  }
  return (error as Error).message;
}

/**
 * Runs `work` as one SERIALIZABLE transaction, so concurrent transactions (on this replica or
 * another) behave as if they ran one after the other; when PostgreSQL refuses one because of a
 * collision, the whole `work` runs again from the start, after a short random pause so the two
 * colliding ones do not meet again. `work` may therefore run more than once: whatever it does
 * besides using the repositories it is given must not add up across attempts.
 */
export async function runSerializable<T>(db: PgDb, work: (tx: PgDb) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx), { isolationLevel: 'serializable' });
    } catch (error) {
      const code = sqlStateOf(error);
      if (!code || !RETRYABLE_CODES.has(code)) throw error;
      if (attempt >= MAX_ATTEMPTS) {
        throw new Error(
          `Gave up the transaction after ${MAX_ATTEMPTS} attempts, each refused by PostgreSQL ` +
            `(last: ${code} ${databaseMessageOf(error)})`,
          { cause: error },
        );
      }
      await pause(backoffMs(attempt));
    }
  }
}

/** Full jitter over an exponentially growing window: 0–10 ms, 0–20 ms, … up to 0–200 ms. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
