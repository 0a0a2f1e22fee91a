import { createHash, randomBytes } from 'node:crypto';

/**
 * A new message id of the local workspace: time first, so later messages sort later, then
 * randomness. Ids are URL-safe (they appear in `/local/threads/<channel>/<thread>`).
 */
export function newLocalMessageId(at: Date): string {
  return `lm_${at.getTime().toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}

/**
 * The id of a message a persona posts, from the page's `clientId`: the same request sent twice
 * (a retry, a double click) names the same message, so it is stored once.
 */
export function postedMessageId(authorId: string, clientId: string): string {
  return `lm_p${createHash('sha256').update(`${authorId}\n${clientId}`).digest('hex').slice(0, 24)}`;
}

/** The private reply to a command, named after the command's request for the same reason. */
export function commandReplyId(authorId: string, clientId: string): string {
  return `lm_r${createHash('sha256').update(`${authorId}\n${clientId}`).digest('hex').slice(0, 24)}`;
}
