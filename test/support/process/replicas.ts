import { queryRows, runStatement } from '../core/raw-database.js';
import type { FakeSlackApi } from '../slack/index.js';
import { type SlackProcess, startSlackProcess } from './slack-process.js';

/**
 * Several `src/main.ts` processes on one database and one fake Slack, as replicas behind a load
 * balancer would run. Resolves once every one of them is listening.
 */
export async function startReplicas(
  count: number,
  options: { fake: FakeSlackApi; db: string; policy: string },
): Promise<SlackProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startSlackProcess(options)));
  const replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    // Leave no process behind that the test would not know to stop.
    await Promise.all(replicas.map((r) => r.sigkill()));
    throw failed.reason;
  }
  return replicas;
}

/**
 * The process a replica name (`replicaName(port)`: host and port) belongs to, as the database
 * records it in `run_leases.holder` and `outbox.claimed_by`.
 */
export function replicaNamed(replicas: SlackProcess[], name: string): SlackProcess | undefined {
  // A replica is named after its host and port (src/jobs/run-coordinator.ts).
  const port = Number(name.split(':').at(-1));
  return replicas.find((r) => r.port === port);
}

export interface RunLease {
  key: string;
  holder: string;
  /** The slot the key names (`checker:<ISO time>`), in milliseconds. */
  slotMs: number;
}

/** The checker's runs claimed so far, oldest slot first. */
export async function checkerLeases(db: string): Promise<RunLease[]> {
  const rows = await queryRows<{ key: string; holder: string }>(
    db,
    "select key, holder from run_leases where key like 'checker:%' order by key",
  );
  return rows.map((r) => ({ ...r, slotMs: Date.parse(r.key.slice('checker:'.length)) }));
}

/** Outbox entries a replica has claimed and not finished: it is in the middle of delivering them. */
export async function claimsHeldBy(db: string, replica: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    "select id from outbox where status = 'pending' and claimed_by = ?",
    replica,
  );
  return rows.map((r) => r.id);
}

/**
 * SIGKILLs a replica at a moment it is not in the middle of delivering an outbox entry, so that
 * what Slack has is what the database says was delivered: it is stopped (SIGSTOP) while its claims
 * are looked at, killed when it holds none, else let go on for a moment and looked at again.
 * (Entries of a replica killed mid-call wait for their claim to expire: the call timeout + 30 s.)
 */
export async function sigkillBetweenDeliveries(
  replica: SlackProcess,
  name: string,
  db: string,
): Promise<void> {
  for (;;) {
    replica.child.kill('SIGSTOP');
    if ((await claimsHeldBy(db, name)).length === 0) return replica.sigkill();
    replica.child.kill('SIGCONT');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Ends the claims of a dead replica, as the passing of their expiry (the call timeout + 30 s)
 * would, so that a test need not wait that long for the other replicas to take its entries.
 * (PostgreSQL: replicas share only a PostgreSQL database.)
 */
export function expireClaimsOf(db: string, name: string): Promise<void> {
  return runStatement(
    db,
    "update outbox set claimed_until = ? where status = 'pending' and claimed_by = ?",
    new Date(0),
    name,
  );
}
