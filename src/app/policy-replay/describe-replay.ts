import { localDateOf } from '../../domain/sla-clock.js';
import { formatTime } from '../../domain/text.js';
import { counted } from '../policy-explain/plain-words.js';
import { storedOpener, type Verdict } from './compare-replay.js';
import type { IssueReplay, ReplayedFiring, ReplayReport } from './replay-policy.js';
import type { StoredFiring } from './replay-source.js';

const SECTIONS: { verdict: Verdict; title: string }[] = [
  { verdict: 'would_escalate_did_not', title: 'Would escalate, did not' },
  { verdict: 'escalated_would_not', title: 'Escalated, would not' },
  { verdict: 'different', title: 'Same issue, different trigger or path' },
];

/** Evidence lines shown per firing; the JSON output has them all. */
const DETAILS_SHOWN = 3;

/** The replay report as text for the admin: the differences issue by issue, then the counts. */
export function describeReplay(report: ReplayReport, policyName: string): string {
  const zone = report.timezone;
  const from = localDateOf(report.period.start, zone);
  const to = localDateOf(new Date(report.period.end.getTime() - 1), zone);
  const out = [
    `Replay of ${policyName} over the issues opened ${from} to ${to} (${zone}), as of ${formatTime(report.now, zone)}.`,
    `  ${counted(report.issues, 'issue')} with ${counted(report.messages, 'message')} (${report.customerMessages} from customers).`,
  ];
  if (report.purgedMessages > 0) {
    out.push(
      `  ${report.purgedMessages} ${report.purgedMessages === 1 ? 'message' : 'messages'} had no text left (purged by retention; ${report.purgedCustomerMessages} from customers): the triggers could not read them.`,
    );
  }
  if (report.deletedMessages > 0) {
    out.push(`  ${counted(report.deletedMessages, 'message')} had been deleted, and were not read.`);
  }
  for (const { verdict, title } of SECTIONS) {
    const results = report.results.filter((r) => r.verdict === verdict);
    out.push('', `${title} (${results.length})`);
    if (results.length === 0) out.push('  none');
    for (const result of results) out.push(...describeIssue(result, zone));
  }
  const same = report.results.filter((r) => r.verdict === 'same');
  const byHandOnly = report.results.filter((r) => r.verdict === 'neither' && r.manual.length > 0);
  out.push(
    '',
    `Same as now: ${counted(same.length, 'issue')}${same.length > 0 ? ` (${numbers(same)})` : ''}.`,
    `Escalated by hand only: ${counted(byHandOnly.length, 'issue')}${byHandOnly.length > 0 ? ` (${numbers(byHandOnly)})` : ''}; people decide those, the replay leaves them as they are.`,
    '',
    ...summaryTable(report),
    '',
    'Notes',
    ...report.notes.map((note) => `  - ${note}`),
  );
  return out.join('\n');
}

function numbers(results: readonly IssueReplay[]): string {
  const shown = results.slice(0, 20).map((r) => `#${r.number}`);
  return results.length > shown.length ? `${shown.join(', ')}, …` : shown.join(', ');
}

function describeIssue(result: IssueReplay, zone: string): string[] {
  const lines = [`  #${result.number} in ${result.channel}, opened ${formatTime(result.openedAt, zone)}`];
  if (result.verdict !== 'would_escalate_did_not') {
    lines.push(`    now: ${describeStored(result.stored)}`);
  }
  if (result.replayed.length === 0) {
    lines.push('    replayed: no trigger fires');
  } else {
    const prefix = result.verdict === 'would_escalate_did_not' ? '' : 'replayed: ';
    result.replayed.forEach((firing, i) => {
      lines.push(`    ${i === 0 ? prefix : 'also '}${describeFiring(firing, zone)}`);
      lines.push(...firing.details.slice(0, DETAILS_SHOWN).map((d) => `        ${d}`));
    });
  }
  if (result.manual.length > 0) {
    lines.push(`    (also escalated by hand: ${result.manual.map((e) => `#${e.number}`).join(', ')})`);
  }
  return lines;
}

function describeFiring(firing: ReplayedFiring, zone: string): string {
  const when = formatTime(firing.at, zone);
  if (firing.joinsIssueNumber !== undefined) {
    return `${firing.kind} at ${when}: joins the systemic card of #${firing.joinsIssueNumber}`;
  }
  if (firing.addsToManual !== undefined) {
    return `${firing.kind} at ${when}: ${firing.summary} (adds to escalation #${firing.addsToManual}, opened by hand${firing.raisedTo ? `; raises the priority to ${firing.raisedTo}` : ''})`;
  }
  if (!firing.opens) {
    return `${firing.kind} at ${when}: ${firing.summary} (adds to the card${firing.raisedTo ? `, raises the priority to ${firing.raisedTo}` : ''})`;
  }
  return `${firing.kind} at ${when} → ${firing.path}, level ${firing.level} (${firing.levelName}), ${firing.priority}: ${firing.summary}`;
}

function describeStored(stored: readonly StoredFiring[]): string {
  const opener = storedOpener(stored);
  const e = opener?.escalation;
  const parts = [
    ...(opener && e
      ? [
          `${opener.kind} → ${e.path}, level ${e.level + 1} (${e.levelName}), ${e.priority} (escalation #${e.number})`,
        ]
      : []),
    ...stored
      .filter((f) => f !== opener)
      .map((f) =>
        f.joinedSystemic && f.escalation
          ? `${f.kind} (joined systemic escalation #${f.escalation.number})`
          : `${f.kind} (added to escalation #${f.escalation?.number ?? '?'})`,
      ),
  ];
  return parts.length > 0 ? parts.join('; also ') : 'no trigger fired';
}

function summaryTable(report: ReplayReport): string[] {
  const header = ['Issues per trigger', 'now', 'replayed', 'would, did not', 'did, would not'];
  const rows = report.counts.map((c) => [
    c.kind,
    String(c.now),
    String(c.replayed),
    String(c.wouldNotDid),
    String(c.didWouldNot),
  ]);
  rows.push(['by hand (not replayed)', String(report.manualIssues), '-', '-', '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}
