import type { ErasureReport } from './erase-person.js';

const DELETED_MEANING: Record<string, string> = {
  messages: 'their messages',
  people: 'their directory entry: display name, e-mail',
  outbox: 'delivered cards and notes of their threads',
  trigger_hits: 'trigger evidence quoting them',
};

/** The report `npm run erase` prints: what went, per table, and what the id became. */
export function describeErasure(report: ErasureReport): string {
  const row = (label: string, count: number, meaning = '') =>
    `  ${label.padEnd(34)} ${String(count).padStart(5)}${meaning ? `  ${meaning}` : ''}`;
  const lines = [
    report.dryRun
      ? `Dry run: nothing was changed. Erasing ${report.personId} would remove:`
      : `Erased ${report.personId}. What stays carries the pseudonym ${report.pseudonym} instead.`,
    row('threads they took part in', report.issues),
    'deleted rows:',
    ...Object.entries(report.deleted).map(([table, n]) => row(table, n, DELETED_MEANING[table])),
    'words removed:',
    row('escalations', report.escalationsWithoutWords, 'reason, notes, AI summary, quoted evidence'),
    row('escalation_events', report.eventDetails, 'audit details'),
    'values rewritten (id → pseudonym; mentions, name, e-mail removed):',
    ...Object.entries(report.rewritten)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([column, n]) => row(column, n)),
  ];
  if (Object.keys(report.rewritten).length === 0) lines.push('  (none)');
  const found =
    Object.values(report.deleted).reduce((a, b) => a + b, 0) +
    Object.values(report.rewritten).reduce((a, b) => a + b, 0) +
    report.escalationsWithoutWords;
  if (found === 0) {
    lines.push(
      `Nothing is stored about ${report.personId}: check the id (Slack: the member id from their profile; Teams: their Entra object id).`,
    );
  }
  return lines.join('\n');
}
