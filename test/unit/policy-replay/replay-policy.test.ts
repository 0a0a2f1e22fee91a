/**
 * The replay core on plain data: threads and stored firings handed over through `ReplaySource`, the
 * example policy (Australia/Sydney, business hours 09:00-17:00 on weekdays) with small changes.
 */
import { describe, expect, it } from 'vitest';
import { describeReplay } from '../../../src/app/policy-replay/describe-replay.js';
import { type ReplayRequest, replayPolicy } from '../../../src/app/policy-replay/replay-policy.js';
import type {
  ReplayIssue,
  ReplayMessage,
  ReplaySource,
  StoredEscalation,
  StoredFiring,
} from '../../../src/app/policy-replay/replay-source.js';
import { buildWorkCalendar } from '../../../src/config/work-calendar.js';
import type { Policy } from '../../../src/domain/policy.js';
import { examplePolicy } from '../../support/core/test-context.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Monday 2 November 2026, 09:00 in Sydney (+11). */
const MONDAY_9AM = new Date('2026-11-01T22:00:00Z');
const at = (offsetMs: number) => new Date(MONDAY_9AM.getTime() + offsetMs);
const NOVEMBER = { start: new Date('2026-10-31T13:00:00Z'), end: new Date('2026-11-30T13:00:00Z') };

/** The example policy without SLA breaches, so only what a test writes can fire. */
function contentOnly(change: (policy: Policy) => Policy = (p) => p): Policy {
  const policy = examplePolicy();
  const { slaBreach: _off, ...triggers } = policy.triggers;
  return change({ ...policy, triggers });
}

let issueSeq = 0;
function issue(fields: Partial<ReplayIssue> & { messages: ReplayMessage[] }): ReplayIssue {
  issueSeq += 1;
  return {
    id: `iss_${issueSeq}`,
    number: issueSeq,
    channel: 'slack:C0SUPPORT',
    customerId: fields.messages.find((m) => m.authorRole === 'customer')?.authorId ?? null,
    openedAt: fields.messages[0]?.sentAt ?? MONDAY_9AM,
    firstResponseAt: null,
    status: 'open',
    lastResolvedAt: null,
    ...fields,
  };
}

function customer(text: string, sentAt = MONDAY_9AM, fields: Partial<ReplayMessage> = {}): ReplayMessage {
  return {
    authorId: 'slack:UCUST1',
    authorRole: 'customer',
    text,
    sentAt,
    deleted: false,
    purged: false,
    ...fields,
  };
}

function source(
  issues: ReplayIssue[],
  stored: StoredFiring[] = [],
  manual: StoredEscalation[] = [],
): ReplaySource {
  return {
    async listIssuesOpened(from, to) {
      return issues.filter((i) => i.openedAt >= from && i.openedAt < to);
    },
    async listStoredFirings() {
      return stored;
    },
    async listManualEscalations() {
      return manual;
    },
  };
}

function request(policy: Policy, now = new Date('2026-12-31T00:00:00Z')): ReplayRequest {
  return { policy, calendar: buildWorkCalendar(policy), period: NOVEMBER, now };
}

function storedEscalation(issueId: string, fields: Partial<StoredEscalation> = {}): StoredEscalation {
  return {
    issueId,
    number: 41,
    trigger: 'manager_request',
    path: 'management',
    level: 0,
    levelName: 'Team lead',
    priority: 'P3',
    createdAt: MONDAY_9AM,
    ...fields,
  };
}

describe('replayPolicy: content triggers', () => {
  it('fires a trigger on a customer message and sends it where the policy says', async () => {
    const asked = issue({ messages: [customer('I want to speak to your manager now')] });
    const report = await replayPolicy(source([asked]), request(contentOnly()));
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({
      number: asked.number,
      verdict: 'would_escalate_did_not',
      replayed: [
        {
          kind: 'manager_request',
          opens: true,
          path: 'management',
          level: 1,
          levelName: 'Team lead',
          priority: 'P3',
          at: MONDAY_9AM,
        },
      ],
    });
    expect(report.results[0]!.replayed[0]!.summary).toContain('Customer asked for a manager');
  });

  it('fires each trigger once per issue; a later trigger adds to the card and raises its priority', async () => {
    const thread = issue({
      messages: [
        customer('Can I speak to your manager please', at(0)),
        customer('I asked to speak to your manager twice already', at(5 * MINUTE)),
        customer('Then my lawyer will hear about this', at(10 * MINUTE)),
      ],
    });
    const [result] = (await replayPolicy(source([thread]), request(contentOnly()))).results;
    expect(result!.replayed.map((f) => [f.kind, f.opens, f.priority, f.raisedTo])).toEqual([
      ['manager_request', true, 'P3', undefined],
      ['legal', false, 'P1', 'P1'],
    ]);
    // The card stays where the first trigger opened it.
    expect(result!.replayed[1]).toMatchObject({ path: 'management', level: 1 });
  });

  it('reads customers only, and counts the messages whose text is gone instead of reading them', async () => {
    const thread = issue({
      messages: [
        customer('', at(0), { purged: true }),
        customer('', at(MINUTE), { deleted: true }),
        {
          ...customer('Happy to escalate this to my manager', at(2 * MINUTE)),
          authorId: 'slack:U0AGENT',
          authorRole: 'staff',
        },
        customer('', at(3 * MINUTE), { authorRole: 'staff', authorId: 'slack:U0AGENT', purged: true }),
      ],
    });
    const report = await replayPolicy(source([thread]), request(contentOnly()));
    expect(report).toMatchObject({
      issues: 1,
      messages: 4,
      customerMessages: 2,
      purgedMessages: 2,
      purgedCustomerMessages: 1,
      deletedMessages: 1,
      results: [],
    });
    expect(describeReplay(report, 'p.yaml')).toContain(
      '2 messages had no text left (purged by retention; 1 from customers): the triggers could not read them.',
    );
  });

  it('compares with what fired: same, different path, and escalated but would not', async () => {
    const same = issue({ messages: [customer('Can I speak to your manager', at(0))] });
    const elsewhere = issue({ messages: [customer('Can I speak to your manager', at(HOUR))] });
    const quiet = issue({ messages: [customer('How do I export my invoices?', at(2 * HOUR))] });
    const stored: StoredFiring[] = [
      {
        issueId: same.id,
        kind: 'manager_request',
        firingKey: 'manager_request',
        firedAt: at(0),
        escalation: storedEscalation(same.id),
      },
      {
        issueId: elsewhere.id,
        kind: 'manager_request',
        firingKey: 'manager_request',
        firedAt: at(HOUR),
        escalation: storedEscalation(elsewhere.id, { number: 42, path: 'tech', levelName: 'L2 Tech' }),
      },
      {
        issueId: quiet.id,
        kind: 'dissatisfaction',
        firingKey: 'dissatisfaction',
        firedAt: at(2 * HOUR),
        escalation: storedEscalation(quiet.id, { number: 43, trigger: 'dissatisfaction' }),
      },
    ];
    const manual = [storedEscalation(quiet.id, { number: 44, trigger: 'manual' })];
    const report = await replayPolicy(
      source([same, elsewhere, quiet], stored, manual),
      request(contentOnly()),
    );
    expect(report.results.map((r) => [r.number, r.verdict])).toEqual([
      [same.number, 'same'],
      [elsewhere.number, 'different'],
      [quiet.number, 'escalated_would_not'],
    ]);
    expect(report.counts.find((c) => c.kind === 'manager_request')).toEqual({
      kind: 'manager_request',
      now: 2,
      replayed: 2,
      wouldNotDid: 0,
      didWouldNot: 0,
    });
    expect(report.counts.find((c) => c.kind === 'dissatisfaction')).toMatchObject({ now: 1, didWouldNot: 1 });
    expect(report.manualIssues).toBe(1);

    const text = describeReplay(report, 'p.yaml');
    expect(text).toContain('now: manager_request → tech, level 1 (L2 Tech), P3 (escalation #42)');
    expect(text).toContain('now: dissatisfaction → management, level 1 (Team lead), P3 (escalation #43)');
    expect(text).toContain('(also escalated by hand: #44)');
    expect(text).toContain(`Same as now: 1 issue (#${same.number}).`);
  });
});

describe('replayPolicy: escalations opened by hand', () => {
  it('adds a trigger to the card a person opened, as the service does, and calls that the same', async () => {
    const thread = issue({
      messages: [
        customer('How do I add a second admin?', at(0)),
        customer('Fine, let me speak to your manager', at(2 * HOUR)),
      ],
    });
    const byHand = storedEscalation(thread.id, {
      number: 7,
      trigger: 'manual',
      path: 'tech',
      levelName: 'L2 Tech',
      createdAt: at(HOUR),
    });
    const stored: StoredFiring[] = [
      {
        issueId: thread.id,
        kind: 'manager_request',
        firingKey: 'manager_request',
        firedAt: at(2 * HOUR),
        escalation: byHand,
      },
    ];
    const report = await replayPolicy(source([thread], stored, [byHand]), request(contentOnly()));
    expect(report.results[0]).toMatchObject({
      verdict: 'same',
      replayed: [{ kind: 'manager_request', opens: false, addsToManual: 7, path: 'tech', level: 1 }],
    });
    expect(describeReplay(report, 'p.yaml')).toContain(`Same as now: 1 issue (#${thread.number}).`);
  });
});

describe('replayPolicy: SLA breaches', () => {
  const withSla = () => examplePolicy();

  it('breaches the first response on business hours, and the resolution when it never came', async () => {
    // P3: first answer within 4 business hours, resolution within 3 business days.
    const silent = issue({ messages: [customer('How do I export my invoices?', MONDAY_9AM)] });
    const [result] = (await replayPolicy(source([silent]), request(withSla()))).results;
    expect(result!.replayed.map((f) => [f.kind, f.at.toISOString(), f.opens])).toEqual([
      ['sla_breach', at(4 * HOUR).toISOString(), true],
      // 3d is 72 hours counted in business hours: nine 8-hour days, to Thursday 12 November 17:00.
      ['sla_breach', '2026-11-12T06:00:00.000Z', false],
    ]);
    expect(result!.replayed[0]).toMatchObject({ path: 'tech', level: 1, levelName: 'L2 Tech' });
    expect(result!.replayed[0]!.summary).toMatch(
      /^First response SLA breached: P3 target 4 hours \(business hours\)/,
    );
  });

  it('is met by a staff answer and a resolution in time, and not due before now', async () => {
    const answered = issue({
      messages: [customer('How do I export my invoices?', MONDAY_9AM)],
      firstResponseAt: at(HOUR),
      lastResolvedAt: at(2 * HOUR),
      status: 'resolved',
    });
    const fresh = issue({ messages: [customer('Where is my invoice?', at(HOUR))] });
    const report = await replayPolicy(source([answered, fresh]), request(withSla(), at(2 * HOUR)));
    expect(report.results).toEqual([]);
  });

  it('runs on the tighter target of a priority a trigger raised', async () => {
    // Legal raises to P1 (15 minutes, round the clock) at 09:05: the answer due 09:15 never came.
    const legal = issue({
      messages: [customer('Hello', MONDAY_9AM), customer('My lawyer will call you', at(5 * MINUTE))],
      firstResponseAt: at(HOUR),
    });
    const [result] = (await replayPolicy(source([legal]), request(withSla()))).results;
    expect(result!.replayed.map((f) => [f.kind, f.at.toISOString(), f.priority])).toEqual([
      ['legal', at(5 * MINUTE).toISOString(), 'P1'],
      ['sla_breach', at(15 * MINUTE).toISOString(), 'P1'],
      // P1 resolution: 4 hours round the clock.
      ['sla_breach', at(4 * HOUR).toISOString(), 'P1'],
    ]);
  });
});

describe('replayPolicy: systemic', () => {
  const CUSTOMERS = ['slack:UA', 'slack:UB', 'slack:UC', 'slack:UD'];
  const outage = (n: number, offset: number, openedAt = at(offset)) =>
    issue({
      openedAt,
      messages: [
        customer(`Login fails with error 502 on the dashboard (${n})`, at(offset), {
          authorId: CUSTOMERS[n]!,
        }),
      ],
    });

  it('opens one escalation when enough customers report the same within the window; later threads join it', async () => {
    const threads = [outage(0, 0), outage(1, 10 * MINUTE), outage(2, 20 * MINUTE), outage(3, 30 * MINUTE)];
    const report = await replayPolicy(
      source(threads),
      request(contentOnly((p) => ({ ...p, triggers: { systemic: examplePolicy().triggers.systemic! } }))),
    );
    expect(
      report.results.map((r) => [r.number, r.replayed.map((f) => [f.kind, f.opens, f.joinsIssueNumber])]),
    ).toEqual([
      [threads[2]!.number, [['systemic', true, undefined]]],
      [threads[3]!.number, [['systemic', false, threads[2]!.number]]],
    ]);
    expect(report.results[0]!.replayed[0]).toMatchObject({
      path: 'tech',
      level: 2,
      levelName: 'L3 Engineering',
      summary: '3 customers report a similar problem within 1h',
    });
    expect(report.results[0]!.replayed[0]!.details).toHaveLength(2);
  });

  it('counts threads opened in the window before the period, without replaying them', async () => {
    const systemic = examplePolicy().triggers.systemic!;
    const policy = contentOnly((p) => ({ ...p, triggers: { systemic } }));
    const start = NOVEMBER.start.getTime();
    const before = [outage(0, 0, new Date(start - 20 * MINUTE)), outage(1, 0, new Date(start - 10 * MINUTE))];
    for (const [i, thread] of before.entries())
      thread.messages[0]!.sentAt = new Date(start - (20 - i * 10) * MINUTE);
    const first = outage(2, 0, new Date(start + MINUTE));
    first.messages[0]!.sentAt = new Date(start + MINUTE);
    const report = await replayPolicy(source([...before, first]), request(policy));
    expect(report.issues).toBe(1);
    expect(report.results.map((r) => [r.number, r.replayed[0]?.kind])).toEqual([[first.number, 'systemic']]);
  });
});
