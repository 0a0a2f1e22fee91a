/**
 * A week of one Escalator installation, written through the Store, and what the core reads of it:
 * for checking that a copy of the installation (npm run migrate:sqlite-to-postgres) reads the same.
 */
import { buildDigestReport } from '../../../src/app/digest/build-report.js';
import type { Card } from '../../../src/domain/card.js';
import { isoWeekContaining, weekBefore } from '../../../src/domain/digest/period.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue } from '../../../src/domain/issue.js';
import type { LocalMessage } from '../../../src/ports/local-workspace.js';
import type { EscalationEvent, Store } from '../../../src/ports/store.js';
import {
  makeDeflection,
  makeEscalation,
  makeIssue,
  makeKnowledgeEntry,
  makeMessage,
  makeSimilarPast,
} from '../core/domain-builders.js';

const MINUTE = 60_000;
/** A Tuesday morning of ISO week 2026-W10; the week before holds the installation's first issue. */
const T = new Date('2026-03-03T09:00:00.000Z');
export const at = (minutes: number) => new Date(T.getTime() + minutes * MINUTE);
const TIME_ZONE = 'UTC';
export const PERIOD = isoWeekContaining(T, TIME_ZONE);

const CUSTOMER = 'slack:U0CUSTOMER';
export const AGENT = 'slack:U0AGENT';
const SPECIALIST = 'slack:U0SPEC';
const SUPPORT = 'slack:C0SUPPORT';

/**
 * A week of an installation: last week's issue, escalated, resolved (kept as knowledge, with a
 * reusable answer) and rated; this week's issue escalated with last week's fix as a similar past
 * escalation, claimed and sent on to L3 (two of its events in the same millisecond); an open issue
 * with a pending trigger hit, solved by last week's fix; a systemic escalation; the outbox in every
 * state; people, a Teams conversation reference, a sent digest and the local workspace's messages.
 */
export async function tellInstallationStory(store: Store): Promise<void> {
  await store.people.save(CUSTOMER, 'Zelda Quartermaine', at(-9000), 'zelda@quartz-example.com');
  await store.people.save(AGENT, 'Alice Agent', at(-9000));
  await store.people.save(SPECIALIST, 'Bob Specialist', at(-9000));
  await store.conversationRefs.save(
    'teams:19:support@thread.tacv2',
    'teams',
    { serviceUrl: 'https://smba.trafficmanager.net/emea/', tenantId: 'tenant-home' },
    at(-9000),
  );
  await store.processedEvents.remember('slack:Ev0001', at(-9000));
  await store.processedEvents.remember('slack:Ev0002', at(0));

  const issue = (n: number, fields: Partial<Issue>) =>
    makeIssue({
      id: `iss_${n}`,
      number: n,
      channel: SUPPORT,
      threadId: `1772528400.00010${n}`,
      customerId: CUSTOMER,
      openedBy: CUSTOMER,
      ...fields,
    });
  const escalation = (n: number, fields: Partial<Escalation>) =>
    makeEscalation({ id: `esc_${n}`, number: n, issueId: `iss_${n}`, createdBy: AGENT, ...fields });
  const event = (
    id: string,
    escalationId: string,
    fields: Partial<EscalationEvent> & Pick<EscalationEvent, 'at'>,
  ): EscalationEvent => ({
    id,
    escalationId,
    action: 'created',
    fromStatus: null,
    toStatus: 'open',
    actor: AGENT,
    source: 'slack',
    detail: null,
    ...fields,
  });

  // Last week: escalated, resolved, rated 4, and judged a false positive of its trigger.
  await store.transaction(async (tx) => {
    await tx.issues.create(
      issue(1, { status: 'resolved', openedAt: at(-7 * 1440), firstResponseAt: at(-7 * 1440 + 5) }),
    );
    await tx.messages.create({
      ...makeMessage({
        issueId: 'iss_1',
        text: 'My invoice shows the wrong VAT number',
        sentAt: at(-7 * 1440),
      }),
      channel: SUPPORT,
    });
    const resolved = escalation(1, {
      status: 'resolved',
      version: 3,
      trigger: 'dissatisfaction',
      evidence: { summary: 'Customer: "this is unacceptable"', matched: ['unacceptable'] },
      createdAt: at(-7 * 1440 + 10),
      claimedBy: SPECIALIST,
      claimedAt: at(-7 * 1440 + 20),
      resolvedBy: SPECIALIST,
      resolvedAt: at(-7 * 1440 + 90),
      resolutionNote: 'Corrected the VAT number, new invoice sent',
      rootCause: 'system_issue',
      aiSummary: 'The customer reported a wrong VAT number; billing corrected it.',
      pingPong: true,
      cardChannel: 'slack:C0L2',
      cardMessageId: '1771927200.000900',
      updatedAt: at(-7 * 1440 + 90),
    });
    await tx.escalations.create(resolved);
    await tx.knowledge.save(LAST_WEEKS_FIX);
    await tx.events.append(event('evt_1a', 'esc_1', { at: at(-7 * 1440 + 10) }));
    await tx.events.append(
      event('evt_1b', 'esc_1', {
        action: 'resolved',
        fromStatus: 'claimed',
        toStatus: 'resolved',
        actor: SPECIALIST,
        at: at(-7 * 1440 + 90),
      }),
    );
    await tx.csat.record({
      id: 'csat_1',
      escalationId: 'esc_1',
      issueId: 'iss_1',
      score: 4,
      respondent: CUSTOMER,
      at: at(-7 * 1440 + 200),
    });
    await tx.triggers.recordFeedback({
      id: 'fb_1',
      escalationId: 'esc_1',
      kind: 'dissatisfaction',
      verdict: 'false_positive',
      reason: 'Sarcasm, not anger',
      matched: ['unacceptable'],
      actor: SPECIALIST,
      at: at(-7 * 1440 + 95),
    });
    await tx.outbox.add(
      'iss_1',
      {
        kind: 'csat_prompt',
        thread: { channel: SUPPORT, threadId: '1772528400.000101' },
        escalationId: 'esc_1',
        number: 1,
      },
      at(-7 * 1440 + 90),
    );
  });
  await store.digests.claim({
    id: 'dig_1',
    period: '2026-W09',
    scope: 'all',
    channels: ['slack:C0LEADS'],
    sentAt: at(-1440),
  });

  // This week: escalated by a trigger, claimed, then sent on to L3 (two events in one millisecond,
  // written in the opposite order of their ids).
  await store.transaction(async (tx) => {
    await tx.issues.create(issue(2, { openedAt: at(0), messageCount: 3, lastCustomerMessageAt: at(2) }));
    for (const [minute, author, text] of [
      [0, CUSTOMER, 'Export fails with E42 since this morning'],
      [1, AGENT, 'Looking into it'],
      [2, CUSTOMER, 'This is unacceptable, we have a board meeting at noon'],
    ] as const) {
      await tx.messages.create({
        ...makeMessage({
          issueId: 'iss_2',
          authorId: author,
          authorRole: author === AGENT ? 'staff' : 'customer',
          text,
          sentAt: at(minute),
        }),
        channel: SUPPORT,
      });
    }
    await tx.triggers.addHit({
      id: 'hit_2',
      issueId: 'iss_2',
      kind: 'dissatisfaction',
      evidence: { summary: 'Customer: "This is unacceptable"', details: ['unacceptable'] },
      matched: ['unacceptable'],
      createdAt: at(2),
    });
    await tx.triggers.markHitProcessed('hit_2', 'escalated', at(3));
    await tx.escalations.create(
      escalation(2, {
        trigger: 'dissatisfaction',
        similarPast: [makeSimilarPast(LAST_WEEKS_FIX, { score: 0.41 })],
        createdAt: at(3),
        ackDueAt: at(33),
        resolveDueAt: at(243),
        updatedAt: at(3),
      }),
    );
    await tx.triggers.recordFiring({
      id: 'fire_2',
      issueId: 'iss_2',
      kind: 'dissatisfaction',
      escalationId: 'esc_2',
      firedAt: at(3),
    });
    await tx.events.append(event('evt_2a', 'esc_2', { actor: 'system', source: 'checker', at: at(3) }));
    await tx.outbox.add(
      'iss_2',
      { kind: 'post_card', channel: 'slack:C0L2', card: card('#2'), escalationId: 'esc_2' },
      at(3),
    );
  });
  const posted = await store.escalations.get('esc_2');
  await store.escalations.update(
    {
      ...posted!,
      status: 'claimed',
      version: 2,
      claimedBy: SPECIALIST,
      claimedAt: at(20),
      updatedAt: at(20),
    },
    1,
  );
  await store.events.append(
    event('evt_2b', 'esc_2', {
      action: 'claimed',
      fromStatus: 'open',
      toStatus: 'claimed',
      actor: SPECIALIST,
      at: at(20),
    }),
  );
  const claimed = await store.escalations.get('esc_2');
  await store.escalations.update(
    {
      ...claimed!,
      status: 'open',
      version: 3,
      level: 1,
      claimedBy: null,
      claimedAt: null,
      statusNote: 'escalated to L3 Engineering',
      updatedAt: at(50),
    },
    2,
  );
  await store.events.append(
    event('evt_2z', 'esc_2', {
      action: 'escalated',
      fromStatus: 'claimed',
      toStatus: 'open',
      actor: SPECIALIST,
      detail: 'L2 Tech → L3 Engineering',
      at: at(50),
    }),
  );
  await store.events.append(
    event('evt_2c', 'esc_2', {
      action: 'note',
      fromStatus: 'open',
      toStatus: 'open',
      actor: SPECIALIST,
      detail: 'Needs a database fix',
      at: at(50),
    }),
  );
  await store.escalations.setCardRef('esc_2', 'slack:C0L3', '1772530000.000200');

  // An open issue with a hit the checker has not handled yet, and a systemic escalation for it and another.
  await store.issues.create(issue(3, { status: 'open', openedAt: at(60), firstResponseDueAt: at(120) }));
  await store.triggers.addHit({
    id: 'hit_3',
    issueId: 'iss_3',
    kind: 'legal',
    evidence: { summary: 'Customer mentions a lawyer', details: ['lawyer'] },
    matched: ['lawyer'],
    createdAt: at(61),
  });
  await store.knowledge.recordDeflection(
    makeDeflection({ id: 'dfl_3', issueId: 'iss_3', entryId: LAST_WEEKS_FIX.id, actor: AGENT, at: at(65) }),
  );
  await store.issues.create(issue(4, { status: 'escalated', openedAt: at(90) }));
  await store.escalations.create(
    escalation(4, {
      trigger: 'systemic',
      evidence: { summary: '2 threads: export fails', cluster: ['iss_3', 'iss_4'] },
      createdAt: at(100),
      updatedAt: at(100),
    }),
  );
  await store.triggers.addSystemicMember('esc_4', 'iss_4', at(100));
  await store.triggers.addSystemicMember('esc_4', 'iss_3', at(100));

  // The outbox in every state: delivered, pending, waiting for a retry, dead.
  for (const entry of await store.outbox.listDue(at(1440), 10)) {
    await store.outbox.markDelivered(entry.id, entry.createdAt);
  }
  await store.outbox.add(
    'iss_2',
    { kind: 'update_card', escalationId: 'esc_2', card: card('#2 on L3'), channel: 'slack:C0L3' },
    at(50),
  );
  const note = await store.outbox.add(
    'iss_2',
    {
      kind: 'thread_note',
      thread: { channel: SUPPORT, threadId: '1772528400.000102' },
      text: 'Sent on to L3 Engineering',
    },
    at(50),
  );
  await store.outbox.markRetry(note, 'slack: ratelimited', at(55));
  const hook = await store.outbox.add(
    'esc_4',
    { kind: 'webhook', url: 'https://vendor.example.com/hook', body: { escalation: 4 } },
    at(100),
  );
  await store.outbox.markDead(hook, 'HTTP 410 Gone');

  // The local workspace: a thread, a card in the same millisecond as the reply, a CSAT prompt, an ephemeral.
  const local = (id: string, fields: Partial<LocalMessage>): LocalMessage => ({
    id,
    channel: 'local:support',
    threadId: null,
    authorId: 'local:zelda',
    kind: 'text',
    text: null,
    card: null,
    csat: null,
    visibleTo: null,
    createdAt: at(0),
    updatedAt: at(0),
    ...fields,
  });
  await store.localWorkspace.create(local('lm_9', { text: 'The export is broken again' }));
  await store.localWorkspace.create(
    local('lm_5', {
      threadId: 'lm_9',
      authorId: 'local:alice',
      text: 'On it',
      createdAt: at(1),
      updatedAt: at(1),
    }),
  );
  await store.localWorkspace.create(
    local('lm_1', {
      threadId: 'lm_9',
      authorId: null,
      kind: 'note',
      text: 'Escalated as #2',
      createdAt: at(1),
      updatedAt: at(1),
    }),
  );
  await store.localWorkspace.create(
    local('lm_7', {
      channel: 'local:l2',
      authorId: null,
      kind: 'card',
      card: card('#2'),
      createdAt: at(3),
      updatedAt: at(3),
    }),
  );
  await store.localWorkspace.create(
    local('lm_3', {
      threadId: 'lm_9',
      authorId: null,
      kind: 'csat',
      text: 'How did we do?',
      csat: { escalationId: 'esc_1', number: 1 },
      createdAt: at(5),
      updatedAt: at(5),
    }),
  );
  await store.localWorkspace.create(
    local('lm_2', {
      authorId: null,
      kind: 'ephemeral',
      text: 'Only you can see this',
      visibleTo: 'local:alice',
      createdAt: at(6),
      updatedAt: at(6),
    }),
  );
}

/** Last week's resolution, kept as knowledge with an answer for the frontline. */
const LAST_WEEKS_FIX = makeKnowledgeEntry({
  id: 'kno_1',
  escalationId: 'esc_1',
  escalationNumber: 1,
  issueId: 'iss_1',
  issueNumber: 1,
  channel: SUPPORT,
  threadId: '1772528400.000101',
  problem: 'My invoice shows the wrong VAT number\nCustomer: "this is unacceptable"',
  resolutionNote: 'Corrected the VAT number, new invoice sent',
  rootCause: 'system_issue',
  answer: 'Billing → Customer → Tax ID: correct it there, then "Reissue invoice" — ünïcödé ✓',
  resolvedBy: SPECIALIST,
  resolvedAt: at(-7 * 1440 + 90),
});

function card(title: string): Card {
  return {
    fallback: `Escalation ${title}`,
    title: `Escalation ${title}`,
    status: 'Open on L2 Tech',
    fields: [{ label: 'Priority', value: 'P2' }],
    sections: [{ heading: 'Why', text: 'Customer: "This is unacceptable" — ✓ ünïcödé' }],
    actions: [{ id: 'claim', label: 'Claim', escalationId: 'esc_2', style: 'primary' }],
    links: [{ label: 'Thread', thread: { channel: SUPPORT, threadId: '1772528400.000102' } }],
    context: ['Escalated by <@slack:U0AGENT>'],
  };
}

/** What the core reads of the installation: every repository's view of the story. */
export async function installationAnswers(store: Store) {
  return {
    issues: await Promise.all(
      [1, 2, 3, 4].map((n) => store.issues.findByThread(SUPPORT, `1772528400.00010${n}`)),
    ),
    nextIssueNumber: await store.issues.nextNumber(),
    messages: await store.messages.listForIssue('iss_2'),
    escalations: await store.escalations.listForIssue('iss_2'),
    resolved: await store.escalations.get('esc_1'),
    nextEscalationNumber: await store.escalations.nextNumber(),
    events: await store.events.listForEscalation('esc_2'),
    facts: await store.analytics.listEscalationFacts(PERIOD.from, PERIOD.to),
    issueCounts: await store.analytics.countIssues(PERIOD.from, PERIOD.to),
    firstIssue: await store.analytics.firstIssueOpenedAt(),
    digest: await buildDigestReport(store, {
      period: PERIOD,
      previousPeriod: weekBefore(PERIOD, TIME_ZONE),
      path: null,
      timeZone: TIME_ZONE,
      now: at(7 * 1440),
    }),
    sentDigest: await store.digests.find('2026-W09', 'all'),
    outboxPending: await store.outbox.countPending(),
    outboxDue: await store.outbox.listDue(at(1440), 10),
    csat: await store.csat.forEscalation('esc_1'),
    knowledge: await store.knowledge.listResolvedSince(at(-30 * 1440), 10),
    knowledgeEntry: await store.knowledge.get('kno_1'),
    answers: await store.knowledge.listAnswers({ from: at(-8 * 1440), to: at(0) }),
    deflections: await store.knowledge.listDeflections(PERIOD.from, PERIOD.to),
    people: await store.people.names([CUSTOMER, AGENT, SPECIALIST]),
    email: await store.people.email(CUSTOMER),
    teamsRef: await store.conversationRefs.latest('teams'),
    pendingHits: await store.triggers.listPendingHits(10),
    precision: await store.triggers.precision(at(-30 * 1440)),
    lastFiring: await store.triggers.lastFiring('iss_2', 'dissatisfaction'),
    systemicMembers: await store.triggers.listSystemicMembers('esc_4'),
    localRoots: await store.localWorkspace.listRoots('local:support', 'local:alice'),
    localThread: await store.localWorkspace.listThread('local:support', 'lm_9'),
    csatPrompt: await store.localWorkspace.findCsatPrompt('esc_1'),
    stats: await store.stats(),
    dashboard: await store.dashboard.listActive(10),
  };
}
