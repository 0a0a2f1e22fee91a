import { randomFillSync } from 'node:crypto';

/**
 * Entity ids are prefixed so a stray id in a log or a button value says what it is
 * (`iss_…` an issue, `esc_…` an escalation). Platform ids are prefixed by platform instead
 * (`slack:C0123`, `teams:19:abc@thread.tacv2`) and stay opaque to the core.
 */
export type IdPrefix = 'iss' | 'msg' | 'esc' | 'evt' | 'obx' | 'dig' | 'kno' | 'dfl';

/** A new sortable id: time first so ids created later sort later, then randomness. */
export function newId(prefix: IdPrefix, now: Date = new Date()): string {
  const time = now.getTime().toString(36).padStart(9, '0');
  return `${prefix}_${time}${randomHex(6)}`;
}

/**
 * Random bytes drawn from the system in blocks: one system call per id showed up in the ingest
 * profile (a stored message makes three or four ids). Each byte is handed out once.
 */
const randomPool = Buffer.alloc(4096);
let randomTaken = randomPool.length;

function randomHex(bytes: number): string {
  if (randomTaken + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomTaken = 0;
  }
  randomTaken += bytes;
  return randomPool.toString('hex', randomTaken - bytes, randomTaken);
}

export type Platform = 'slack' | 'teams' | 'local';

/** The platform of a prefixed id such as `slack:C0123`. */
export function platformOf(prefixedId: string): Platform {
  const prefix = prefixedId.slice(0, prefixedId.indexOf(':'));
  if (prefix === 'slack' || prefix === 'teams' || prefix === 'local') return prefix;
  throw new Error(`"${prefixedId}" has no platform prefix (expected slack:, teams: or local:)`);
}

/** The platform's own id inside a prefixed id: `slack:C0123` → `C0123`. */
export function localIdOf(prefixedId: string): string {
  return prefixedId.slice(prefixedId.indexOf(':') + 1);
}

export function prefixed(platform: Platform, id: string): string {
  return `${platform}:${id}`;
}

/**
 * Where a thread lives: its channel (prefixed) and the platform's id of the thread's root message
 * (Slack `thread_ts`, Teams conversation id of the reply chain).
 */
export interface ThreadRef {
  channel: string;
  threadId: string;
}
