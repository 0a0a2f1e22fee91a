/**
 * `npm run policy:replay`: what a policy would have escalated among the threads of a period, next
 * to what did escalate. Reads through `ReplaySource` only and writes nothing, so it is safe against
 * a production database. The triggers are the service's own functions (src/domain/triggers), run
 * over the stored messages in the order they arrived.
 */
import type { TriggerKind } from '../../domain/escalation.js';
import type { Policy, Priority } from '../../domain/policy.js';
import { moreUrgent } from '../../domain/sla.js';
import type { WorkCalendar } from '../../domain/sla-clock.js';
import { accountMatchKind } from '../../domain/triggers/index.js';
import { targetOf } from '../checker/fire-trigger.js';
import { compareIssue, countPerTrigger, type TriggerCount, type Verdict } from './compare-replay.js';
import { replayContent } from './replay-content.js';
import { type PriorityChange, replaySlaBreach } from './replay-sla.js';
import type { ReplayIssue, ReplaySource, StoredEscalation, StoredFiring } from './replay-source.js';
import { replaySystemic } from './replay-systemic.js';
import type { ReplayedHit } from './replayed-hit.js';

export interface ReplayRequest {
  policy: Policy;
  calendar: WorkCalendar;
  /** Issues opened in [start, end) are replayed. */
  period: { start: Date; end: Date };
  /** SLA deadlines after this have not passed yet. */
  now: Date;
}

/** A trigger of the replayed policy acting on an issue. */
export interface ReplayedFiring {
  kind: TriggerKind;
  /** What "once per issue" counts: the kind, or `sla_breach:first_response` / `sla_breach:resolve`. */
  firingKey: string;
  at: Date;
  summary: string;
  details: string[];
  /** True: it opens the issue's escalation; false: it adds its evidence to the card (or joins a systemic card). */
  opens: boolean;
  path: string;
  /** 1-based. */
  level: number;
  levelName: string;
  /** The escalation's priority after this firing. */
  priority: Priority;
  /** Set when this firing raised the priority of the open card. */
  raisedTo?: Priority;
  /** The issue number whose systemic card this thread joins. */
  joinsIssueNumber?: number;
  /** The escalation someone opened by hand that this firing adds its evidence to. */
  addsToManual?: number;
}

export interface IssueReplay {
  issueId: string;
  number: number;
  channel: string;
  openedAt: Date;
  verdict: Verdict;
  /** In the order they would fire. */
  replayed: ReplayedFiring[];
  /** What fired on the issue as stored, oldest first. */
  stored: StoredFiring[];
  /** Escalations people opened by hand on the issue. */
  manual: StoredEscalation[];
}

export interface ReplayReport {
  timezone: string;
  period: { start: Date; end: Date };
  now: Date;
  issues: number;
  messages: number;
  customerMessages: number;
  /** Messages whose text retention purged: the triggers could not read them. */
  purgedMessages: number;
  purgedCustomerMessages: number;
  deletedMessages: number;
  /** Every issue on which the stored history or the replay has something, oldest first. */
  results: IssueReplay[];
  counts: TriggerCount[];
  /** Issues people escalated by hand (not replayed). */
  manualIssues: number;
  /** What the replay cannot reproduce, in plain words. */
  notes: string[];
}

/** Replays the period; never throws on message text. */
export async function replayPolicy(source: ReplaySource, request: ReplayRequest): Promise<ReplayReport> {
  const { policy, period } = request;
  const systemic = policy.triggers.systemic;
  const lookback = new Date(period.start.getTime() - (systemic?.withinMs ?? 0));
  const context = await source.listIssuesOpened(lookback, period.end);
  const issues = context.filter((issue) => issue.openedAt >= period.start);
  const stored = groupBy(await source.listStoredFirings(period.start, period.end), (f) => f.issueId);
  const manual = groupBy(await source.listManualEscalations(period.start, period.end), (e) => e.issueId);
  const systemicHits = systemic ? replaySystemic(context, systemic, period) : new Map<string, ReplayedHit>();

  const results: IssueReplay[] = [];
  for (const issue of issues) {
    const hits = [
      ...replayContent(issue, policy),
      ...(systemicHits.has(issue.id) ? [systemicHits.get(issue.id)!] : []),
    ];
    const cards = manualCards(issue, manual.get(issue.id) ?? []);
    const replayed = placeHits(withSlaBreaches(issue, hits, request, cards), policy, cards);
    const storedFirings = stored.get(issue.id) ?? [];
    const verdict = compareIssue(replayed, storedFirings);
    if (verdict === 'neither' && !manual.has(issue.id)) continue;
    results.push({
      issueId: issue.id,
      number: issue.number,
      channel: issue.channel,
      openedAt: issue.openedAt,
      verdict,
      replayed,
      stored: storedFirings,
      manual: manual.get(issue.id) ?? [],
    });
  }

  const messages = issues.flatMap((issue) => issue.messages);
  const customer = messages.filter((m) => m.authorRole === 'customer');
  return {
    timezone: policy.timezone,
    period,
    now: request.now,
    issues: issues.length,
    messages: messages.length,
    customerMessages: customer.length,
    purgedMessages: messages.filter((m) => m.purged).length,
    purgedCustomerMessages: customer.filter((m) => m.purged).length,
    deletedMessages: messages.filter((m) => m.deleted).length,
    results,
    counts: countPerTrigger(results),
    manualIssues: manual.size,
    notes: replayNotes(policy),
  };
}

/** The issue's SLA breaches under the replayed policy, with the priority the other hits raise it to. */
function withSlaBreaches(
  issue: ReplayIssue,
  hits: ReplayedHit[],
  request: ReplayRequest,
  cards: readonly ManualCard[],
): ReplayedHit[] {
  const { policy } = request;
  if (!policy.triggers.slaBreach) return sortHits(hits);
  const priorities = priorityChanges(issue, sortHits(hits), policy, cards);
  const firstResponse = replaySlaBreach(issue, 'first_response', priorities, request);
  const withFirst = firstResponse ? sortHits([...hits, firstResponse]) : sortHits(hits);
  // The first-response breach may raise the priority, which tightens the resolution target.
  const resolve = replaySlaBreach(
    issue,
    'resolve',
    priorityChanges(issue, withFirst, policy, cards),
    request,
  );
  return resolve ? sortHits([...withFirst, resolve]) : withFirst;
}

function priorityChanges(
  issue: ReplayIssue,
  hits: ReplayedHit[],
  policy: Policy,
  cards: readonly ManualCard[],
): PriorityChange[] {
  const changes: PriorityChange[] = [{ at: issue.openedAt, priority: policy.defaultPriority }];
  for (const firing of placeHits(hits, policy, cards)) {
    if (firing.priority !== changes.at(-1)!.priority)
      changes.push({ at: firing.at, priority: firing.priority });
  }
  return changes;
}

/** An escalation opened by hand, open from its creation until the issue was next resolved. */
interface ManualCard {
  escalation: StoredEscalation;
  until: Date | null;
}

function manualCards(issue: ReplayIssue, manual: readonly StoredEscalation[]): ManualCard[] {
  return manual.map((escalation) => ({
    escalation,
    // Only the last resolution is stored: an earlier one is not known, so the card counts as open until it.
    until: issue.lastResolvedAt && issue.lastResolvedAt > escalation.createdAt ? issue.lastResolvedAt : null,
  }));
}

function manualCardAt(cards: readonly ManualCard[], at: Date): ManualCard | undefined {
  return cards.find((card) => card.escalation.createdAt <= at && (card.until === null || at < card.until));
}

/**
 * Where each hit goes, as fire-trigger.ts decides: each trigger once per issue, the first one opens
 * the escalation at its path's level and priority, later ones add their evidence to that card and
 * may raise its priority. A systemic thread joining another issue's card opens nothing of its own.
 */
function placeHits(hits: ReplayedHit[], policy: Policy, manual: readonly ManualCard[]): ReplayedFiring[] {
  const firings: ReplayedFiring[] = [];
  const fired = new Set<string>();
  let opened: ReplayedFiring | undefined;
  let priority = policy.defaultPriority;
  for (const hit of hits) {
    const target = targetOf(hit.kind, policy.triggers);
    const path = target && policy.paths[target.path];
    if (!target || !path || fired.has(hit.firingKey)) continue;
    fired.add(hit.firingKey);
    const raise = target.priority && moreUrgent(target.priority, priority) ? target.priority : undefined;
    const base = {
      kind: hit.kind,
      firingKey: hit.firingKey,
      at: hit.at,
      summary: hit.summary,
      details: hit.details,
    };
    if (hit.joinsIssueNumber !== undefined) {
      firings.push({
        ...base,
        opens: false,
        path: target.path,
        level: 0,
        levelName: '',
        priority,
        joinsIssueNumber: hit.joinsIssueNumber,
      });
      continue;
    }
    priority = raise ?? priority;
    const byHand = opened ? undefined : manualCardAt(manual, hit.at);
    if (byHand) {
      // As fire-trigger.ts does with any open card: the evidence joins the card a person opened.
      firings.push({
        ...base,
        opens: false,
        path: byHand.escalation.path,
        level: byHand.escalation.level + 1,
        levelName: byHand.escalation.levelName,
        priority,
        ...(raise ? { raisedTo: raise } : {}),
        addsToManual: byHand.escalation.number,
      });
      continue;
    }
    if (opened) {
      firings.push({ ...opened, ...base, opens: false, priority, ...(raise ? { raisedTo: raise } : {}) });
      continue;
    }
    const index = Math.min((target.level ?? 1) - 1, path.levels.length - 1);
    opened = {
      ...base,
      opens: true,
      path: target.path,
      level: index + 1,
      levelName: path.levels[index]!.name,
      priority,
    };
    firings.push(opened);
  }
  return firings;
}

/** Time order; at the same instant, the order the detectors report (the service's order too). */
function sortHits(hits: ReplayedHit[]): ReplayedHit[] {
  return hits
    .map((hit, i) => ({ hit, i }))
    .sort((a, b) => a.hit.at.getTime() - b.hit.at.getTime() || a.i - b.i)
    .map(({ hit }) => hit);
}

function replayNotes(policy: Policy): string[] {
  const notes = [
    "SLA breaches are replayed from the stored first staff answer and resolution times, against the policy's priorities and business hours.",
    'Who is a customer and who is staff is as recorded when each message arrived.',
    'Each trigger is counted once per issue (the service fires it again after a resolution).',
  ];
  const byTeam = (policy.triggers.highValue?.accounts ?? []).filter((a) => {
    const kind = accountMatchKind(a.match.trim());
    return kind === 'slackTeam' || kind === 'tenant';
  });
  if (byTeam.length > 0) {
    notes.push(
      `Accounts matched by Slack team or Microsoft tenant (${byTeam.map((a) => a.match).join(', ')}) are not replayed: the author's team is not stored with a message.`,
    );
  }
  return notes;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
