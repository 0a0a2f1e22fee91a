import type Database from 'better-sqlite3';
import { bulkInserter } from './bulk-insert.js';
import { ISSUE_COLUMNS, issueRow, MESSAGE_COLUMNS, messageRow, seededId } from './rows.js';
import { customer, openingText } from './support-messages.js';

const HOUR = 3_600_000;

/**
 * `count` open threads opened one after the other in the hour before `until`, each with the
 * customer's first message: what a busy channel has already when the benchmark's messages come in.
 * The systemic trigger compares every new thread with the openings of the last hour (up to 500),
 * so with these the first new thread costs what the thousandth does.
 */
export function seedRecentThreads(db: Database.Database, count: number, until: Date): void {
  const issues = bulkInserter(db, 'issues', ISSUE_COLUMNS);
  const messages = bulkInserter(db, 'messages', MESSAGE_COLUMNS);
  const from = until.getTime() - HOUR;
  for (let n = 1; n <= count; n++) {
    const openedAt = from + Math.floor(((n - 0.5) * HOUR) / count);
    const id = seededId('iss', openedAt, n);
    const author = customer(10_000 + n).id;
    issues.add(
      issueRow({
        id,
        number: n,
        openedAt,
        status: 'open',
        customer: author,
        firstResponseAt: null,
        firstResponseDueAt: openedAt + 4 * HOUR,
        resolveDueAt: openedAt + 72 * HOUR,
        messageCount: 1,
      }),
    );
    messages.add(
      messageRow({
        id: seededId('msg', openedAt, n),
        issueId: id,
        messageId: `${Math.floor(openedAt / 1000)}.${String(n).padStart(7, '0')}`,
        authorId: author,
        role: 'customer',
        text: openingText(n),
        sentAt: openedAt,
      }),
    );
  }
  issues.flush();
  messages.flush();
}
