import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue, ThreadMessage } from '../../../src/domain/issue.js';
import {
  type Deflection,
  type KnowledgeEntry,
  type SimilarPast,
  toSimilarPast,
} from '../../../src/domain/knowledge.js';
import type { EscalationPath } from '../../../src/domain/policy.js';

/** The example policy's tech path, as it would be snapshotted onto an escalation. */
export const TECH_PATH: EscalationPath = {
  name: 'tech',
  type: 'functional',
  levels: [
    { name: 'L2 Tech', channel: 'slack:C0L2', ackWithinMs: 30 * 60_000, resolveWithinMs: 4 * 3_600_000 },
    {
      name: 'L3 Engineering',
      channel: 'slack:C0L3',
      ackWithinMs: 15 * 60_000,
      resolveWithinMs: 8 * 3_600_000,
    },
  ],
};

const AT = new Date('2026-03-02T00:00:00.000Z');

/** A plain escalation value (no database) for pure domain tests. */
export function makeEscalation(overrides: Partial<Escalation> = {}): Escalation {
  return {
    id: 'esc_test1',
    number: 7,
    issueId: 'iss_test1',
    status: 'open',
    version: 1,
    type: 'functional',
    path: 'tech',
    level: 0,
    pathSnapshot: TECH_PATH,
    priority: 'P2',
    trigger: 'manual',
    evidence: { summary: 'Escalated by hand by <@slack:U0AGENT>.' },
    reason: 'Export bug, needs engineering',
    reasonCategory: null,
    parentId: null,
    createdBy: 'slack:U0AGENT',
    createdAt: AT,
    ackDueAt: new Date(AT.getTime() + 30 * 60_000),
    resolveDueAt: new Date(AT.getTime() + 4 * 3_600_000),
    claimedBy: null,
    claimedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    resolutionNote: null,
    rootCause: null,
    bouncedBy: null,
    bouncedAt: null,
    bounceReason: null,
    supersededBy: null,
    statusNote: null,
    aiSummary: null,
    reescalationOf: null,
    pingPong: false,
    cardChannel: null,
    cardMessageId: null,
    updatedAt: AT,
    ...overrides,
  };
}

export function makeIssue(overrides: Partial<Issue> = {}): Issue {
  return {
    id: 'iss_test1',
    number: 3,
    channel: 'slack:C0SUPPORT',
    threadId: '1770000000.000100',
    path: 'tech',
    priority: 'P3',
    status: 'escalated',
    customerId: 'slack:UCUST1',
    openedBy: 'slack:UCUST1',
    openedAt: AT,
    firstResponseAt: null,
    lastCustomerMessageAt: AT,
    messageCount: 3,
    updatedAt: AT,
    firstResponseDueAt: null,
    resolveDueAt: null,
    firstResponseBreachedAt: null,
    resolveBreachedAt: null,
    lastResolvedAt: null,
    ...overrides,
  };
}

let n = 0;

export function makeMessage(overrides: Partial<ThreadMessage> & Pick<ThreadMessage, 'text'>): ThreadMessage {
  n += 1;
  return {
    id: `msg_${n}`,
    issueId: 'iss_test1',
    messageId: `1770000000.${String(n).padStart(6, '0')}`,
    authorId: 'slack:UCUST1',
    authorRole: 'customer',
    sentAt: new Date(AT.getTime() + n * 1000),
    editedAt: null,
    deletedAt: null,
    ...overrides,
  };
}

/** A past resolution as `resolveEscalation` keeps it, for esc_test1 on iss_test1 by default. */
export function makeKnowledgeEntry(overrides: Partial<KnowledgeEntry> = {}): KnowledgeEntry {
  return {
    id: 'kno_test1',
    escalationId: 'esc_test1',
    escalationNumber: 7,
    issueId: 'iss_test1',
    issueNumber: 3,
    channel: 'slack:C0SUPPORT',
    threadId: '1770000000.000100',
    path: 'tech',
    problem: 'Export fails with E42\nExport bug, needs engineering',
    resolutionNote: 'Cleared the export cache',
    rootCause: 'knowledge_gap',
    answer: null,
    resolvedBy: 'slack:U0SPEC',
    resolvedAt: new Date(AT.getTime() + 3_600_000),
    ...overrides,
  };
}

/** A "This solved it" click crediting kno_test1, on iss_test1 by default. */
export function makeDeflection(overrides: Partial<Deflection> = {}): Deflection {
  return {
    id: 'dfl_test1',
    issueId: 'iss_test1',
    entryId: 'kno_test1',
    path: 'tech',
    actor: 'slack:U0AGENT',
    source: 'slack',
    at: new Date(AT.getTime() + 2 * 3_600_000),
    ...overrides,
  };
}

/** A suggestion as shown on a card, made from `entry` (the builder's entry by default). */
export function makeSimilarPast(
  entry: KnowledgeEntry = makeKnowledgeEntry(),
  overrides: Partial<SimilarPast> = {},
): SimilarPast {
  return { ...toSimilarPast(entry, 0.62), ...overrides };
}
