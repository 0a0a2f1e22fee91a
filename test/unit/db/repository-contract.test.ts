/**
 * The repositories' contract, as the core sees it through `Store`, checked on SQLite and on
 * PostgreSQL (when TEST_DATABASE_URL names a server): both must answer the same thing.
 */
import { expect, it } from 'vitest';
import { openStore } from '../../../src/db/open-store.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue } from '../../../src/domain/issue.js';
import type { Effect } from '../../../src/ports/outbox.js';
import type { Store } from '../../../src/ports/store.js';
import { makeEscalation, makeIssue, makeMessage } from '../../support/core/domain-builders.js';
import { describeEachDatabase } from '../../support/core/test-database.js';

const AT = new Date('2026-03-02T00:00:00.000Z');
const CHANNEL = 'slack:C0SUPPORT';
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);

/** Issue `n`: its own id, number and thread. */
const issueNo = (n: number, overrides: Partial<Issue> = {}): Issue =>
  makeIssue({ id: `iss_${n}`, number: n, threadId: `1770000000.${n}`, ...overrides });
const escalationNo = (n: number, issueId: string, overrides: Partial<Escalation> = {}): Escalation =>
  makeEscalation({ id: `esc_${n}`, number: n, issueId, ...overrides });
const note = (text: string): Effect => ({
  kind: 'thread_note',
  thread: { channel: CHANNEL, threadId: '1.1' },
  text,
});

async function seed(store: Store, issues: Issue[], escalations: Escalation[] = []): Promise<void> {
  await store.transaction(async (tx) => {
    for (const issue of issues) await tx.issues.create(issue);
    for (const escalation of escalations) await tx.escalations.create(escalation);
  });
}

/** Resolves once `parties` callers have arrived; callers arriving after that pass straight through. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === parties) open();
    return opened;
  };
}

describeEachDatabase('repository contract', (db) => {
  it('issues: created, read back exactly, found by thread and updated', async () => {
    const issue = issueNo(1, {
      priority: 'P1',
      status: 'open',
      firstResponseDueAt: new Date('2026-03-02T00:30:00.123Z'),
      customerId: null,
    });
    await seed(db.store(), [issue]);
    expect(await db.store().issues.get('iss_1')).toEqual(issue);
    expect(await db.store().issues.findByThread(CHANNEL, issue.threadId)).toEqual(issue);
    expect(await db.store().issues.findByThread('slack:C0OTHER', issue.threadId)).toBeUndefined();
    expect(await db.store().issues.get('iss_missing')).toBeUndefined();

    const answered = { ...issue, firstResponseAt: minutes(5), messageCount: 4, updatedAt: minutes(5) };
    await db.store().transaction((tx) => tx.issues.update(answered));
    expect(await db.store().issues.get('iss_1')).toEqual(answered);
  });

  it('issues: numbers start at 1 and follow the highest one taken', async () => {
    expect(await db.store().issues.nextNumber()).toBe(1);
    await seed(db.store(), [issueNo(1), issueNo(41)]);
    expect(await db.store().issues.nextNumber()).toBe(42);
  });

  it('issues: open ones of a channel, newest first, limited', async () => {
    await seed(db.store(), [
      issueNo(1, { status: 'open', openedAt: minutes(1) }),
      issueNo(2, { status: 'open', openedAt: minutes(3) }),
      issueNo(3, { status: 'escalated', openedAt: minutes(4) }),
      issueNo(4, { status: 'open', openedAt: minutes(2), channel: 'slack:C0OTHER' }),
      issueNo(5, { status: 'open', openedAt: minutes(0) }),
    ]);
    const open = await db.store().issues.listOpenInChannel(CHANNEL, 2);
    expect(open.map((i) => i.id)).toEqual(['iss_2', 'iss_1']);
  });

  it('issues: first-response and resolve deadlines due, soonest first, handled ones left out', async () => {
    await seed(db.store(), [
      issueNo(1, { firstResponseDueAt: minutes(10) }),
      issueNo(2, { firstResponseDueAt: minutes(5) }),
      issueNo(3, { firstResponseDueAt: minutes(90) }),
      issueNo(4, { firstResponseDueAt: minutes(1), firstResponseAt: minutes(0) }),
      issueNo(5, { firstResponseDueAt: minutes(1), firstResponseBreachedAt: minutes(2) }),
      issueNo(6, { resolveDueAt: minutes(20) }),
      issueNo(7, { resolveDueAt: minutes(10), status: 'resolved' }),
      issueNo(8, { resolveDueAt: minutes(10), resolveBreachedAt: minutes(11) }),
      issueNo(9, { resolveDueAt: minutes(15), status: 'open' }),
    ]);
    const now = minutes(60);
    expect((await db.store().issues.listFirstResponseDue(now, 10)).map((i) => i.id)).toEqual([
      'iss_2',
      'iss_1',
    ]);
    expect((await db.store().issues.listFirstResponseDue(now, 1)).map((i) => i.id)).toEqual(['iss_2']);
    expect((await db.store().issues.listResolveDue(now, 10)).map((i) => i.id)).toEqual(['iss_9', 'iss_6']);
  });

  it('issues: recent unresolved openings, newest first, with the first customer words still shown', async () => {
    await seed(db.store(), [
      issueNo(1, { openedAt: minutes(10), customerId: 'slack:UA' }),
      issueNo(2, { openedAt: minutes(20), customerId: null }),
      issueNo(3, { openedAt: minutes(30), status: 'resolved' }),
      issueNo(4, { openedAt: minutes(-5) }),
    ]);
    await db.store().transaction(async (tx) => {
      const say = (issueId: string, text: string, at: number, extra = {}) =>
        tx.messages.create({
          ...makeMessage({ issueId, text, sentAt: minutes(at), ...extra }),
          channel: CHANNEL,
        });
      await say('iss_1', 'deleted first words', 10, { deletedAt: minutes(11) });
      await say('iss_1', 'staff hello', 10.2, { authorRole: 'staff', authorId: 'slack:USTAFF' });
      await say('iss_1', 'export is broken', 10.5);
      await say('iss_1', 'still broken', 12);
    });
    expect(await db.store().issues.listRecentOpenings(minutes(0), 10)).toEqual([
      { issue: { id: 'iss_2', number: 2, customerId: null }, firstText: '' },
      { issue: { id: 'iss_1', number: 1, customerId: 'slack:UA' }, firstText: 'export is broken' },
    ]);
    expect(await db.store().issues.listRecentOpenings(minutes(0), 1)).toHaveLength(1);
  });

  it('messages: found by platform id, listed oldest first, edited, and customer words read', async () => {
    await seed(db.store(), [issueNo(1)]);
    const first = makeMessage({ issueId: 'iss_1', text: 'first', sentAt: minutes(1) });
    const staff = makeMessage({ issueId: 'iss_1', text: 'on it', sentAt: minutes(2), authorRole: 'staff' });
    const second = makeMessage({ issueId: 'iss_1', text: 'second', sentAt: minutes(3) });
    const third = makeMessage({ issueId: 'iss_1', text: 'third', sentAt: minutes(4) });
    await db.store().transaction(async (tx) => {
      for (const m of [third, staff, second, first]) await tx.messages.create({ ...m, channel: CHANNEL });
    });
    expect(await db.store().messages.findByMessageId(CHANNEL, second.messageId)).toEqual(second);
    expect(await db.store().messages.findByMessageId('slack:C0OTHER', second.messageId)).toBeUndefined();
    expect((await db.store().messages.listForIssue('iss_1')).map((m) => m.text)).toEqual([
      'first',
      'on it',
      'second',
      'third',
    ]);
    expect(await db.store().messages.firstCustomerText('iss_1')).toBe('first');
    expect(await db.store().messages.listRecentCustomerTexts('iss_1', 2)).toEqual(['second', 'third']);

    const deleted = { ...first, deletedAt: minutes(9) };
    const edited = { ...third, text: 'third, edited', editedAt: minutes(8) };
    await db.store().transaction(async (tx) => {
      await tx.messages.update(deleted);
      await tx.messages.update(edited);
    });
    expect(await db.store().messages.firstCustomerText('iss_1')).toBe('second');
    expect(await db.store().messages.listRecentCustomerTexts('iss_1', 5)).toEqual([
      'second',
      'third, edited',
    ]);
    expect(await db.store().messages.findByMessageId(CHANNEL, third.messageId)).toEqual(edited);
    expect(await db.store().messages.firstCustomerText('iss_missing')).toBeUndefined();
  });

  it('escalations: kept exactly as written (dates, JSON), active one found, numbers follow the highest', async () => {
    const escalation = escalationNo(4, 'iss_1', {
      status: 'claimed',
      claimedBy: 'slack:U0SPEC',
      claimedAt: new Date('2026-03-02T00:05:00.123Z'),
      evidence: { summary: 'Phrase matched', details: ['"speak to your manager"'], matched: ['manager'] },
      pingPong: true,
    });
    const old = escalationNo(2, 'iss_1', { status: 'resolved', createdAt: minutes(-60) });
    await seed(db.store(), [issueNo(1)], [old, escalation]);
    expect(await db.store().escalations.get('esc_4')).toEqual(escalation);
    expect(await db.store().escalations.findActiveForIssue('iss_1')).toEqual(escalation);
    expect((await db.store().escalations.listForIssue('iss_1')).map((e) => e.id)).toEqual(['esc_2', 'esc_4']);
    expect(await db.store().escalations.nextNumber()).toBe(5);
    await db.store().escalations.setCardRef('esc_4', 'slack:C0L2', '1770000001.000200');
    expect(await db.store().escalations.get('esc_4')).toMatchObject({
      cardChannel: 'slack:C0L2',
      cardMessageId: '1770000001.000200',
    });
  });

  it('escalations: a second active escalation of the same issue is refused, a resolved one is not', async () => {
    await seed(db.store(), [issueNo(1)], [escalationNo(1, 'iss_1', { status: 'resolved' })]);
    await db.store().transaction((tx) => tx.escalations.create(escalationNo(2, 'iss_1', { status: 'open' })));
    await expect(
      db.store().transaction((tx) => tx.escalations.create(escalationNo(3, 'iss_1', { status: 'claimed' }))),
    ).rejects.toThrow(/escalations_one_active_uq|UNIQUE constraint failed: escalations\.issue_id/);
    expect((await db.store().escalations.listForIssue('iss_1')).map((e) => e.id)).toEqual(['esc_1', 'esc_2']);
  });

  it('escalations: of two updates made against the same version, exactly one wins', async () => {
    const escalation = escalationNo(1, 'iss_1');
    await seed(db.store(), [issueNo(1)], [escalation]);
    const claimBy = (actor: string) =>
      db.store().escalations.update({ ...escalation, status: 'claimed', version: 2, claimedBy: actor }, 1);
    const [first, second] = await Promise.all([claimBy('slack:U1'), claimBy('slack:U2')]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await db.store().escalations.get('esc_1')).toMatchObject({
      version: 2,
      status: 'claimed',
      claimedBy: first ? 'slack:U1' : 'slack:U2',
    });
    expect(await db.store().escalations.update({ ...escalation, version: 3 }, 1)).toBe(false);
  });

  it('escalations: the checker and "my escalations" lists, in their order', async () => {
    await seed(
      db.store(),
      [issueNo(1), issueNo(2), issueNo(3), issueNo(4), issueNo(5)],
      [
        escalationNo(1, 'iss_1', { status: 'open', ackDueAt: minutes(20), resolveDueAt: minutes(50) }),
        escalationNo(2, 'iss_2', { status: 'open', ackDueAt: minutes(10), resolveDueAt: minutes(90) }),
        escalationNo(3, 'iss_3', { status: 'open', ackDueAt: minutes(99), resolveDueAt: minutes(99) }),
        escalationNo(4, 'iss_4', { status: 'claimed', claimedBy: 'slack:U1', resolveDueAt: minutes(30) }),
        escalationNo(5, 'iss_5', { status: 'resolved', ackDueAt: minutes(1), resolveDueAt: minutes(1) }),
      ],
    );
    const now = minutes(60);
    expect((await db.store().escalations.listAckDue(now, 10)).map((e) => e.id)).toEqual(['esc_2', 'esc_1']);
    // Open ones first, then claimed ones.
    expect((await db.store().escalations.listResolveDue(now, 10)).map((e) => e.id)).toEqual([
      'esc_1',
      'esc_4',
    ]);
    expect((await db.store().escalations.listResolveDue(now, 1)).map((e) => e.id)).toEqual(['esc_1']);
    expect((await db.store().escalations.listClaimedBy('slack:U1', 10)).map((e) => e.id)).toEqual(['esc_4']);
    expect((await db.store().escalations.listOpen(2)).map((e) => e.id)).toEqual(['esc_2', 'esc_1']);
  });

  it('events: listed by time, those of the same millisecond in the order they were written', async () => {
    await seed(db.store(), [issueNo(1)], [escalationNo(1, 'iss_1')]);
    const event = (id: string, action: string, at: Date) => ({
      id,
      escalationId: 'esc_1',
      action,
      fromStatus: null,
      toStatus: 'open' as const,
      actor: 'slack:U1',
      source: 'slack' as const,
      detail: action === 'note' ? '{"text":"hi"}' : null,
      at,
    });
    // Ids in reverse alphabetical order, so sorting by id would show up.
    const written = [
      event('evt_z', 'create', AT),
      event('evt_y', 'note', AT),
      event('evt_x', 'claim', minutes(1)),
    ];
    await db.store().transaction(async (tx) => {
      await tx.events.append(written[2]!);
      await tx.events.append(written[0]!);
      await tx.events.append(written[1]!);
    });
    expect(await db.store().events.listForEscalation('esc_1')).toEqual(written);
  });

  it('outbox: due entries oldest first, only the first in line of each order key', async () => {
    const store = db.store();
    const ids = await store.transaction(async (tx) => [
      await tx.outbox.add('esc_a', note('a1'), AT),
      await tx.outbox.add('esc_b', note('b1'), minutes(1)),
      await tx.outbox.add('esc_a', note('a2'), AT),
      await tx.outbox.add('esc_c', note('c1'), minutes(30)),
    ]);
    const [a1, b1, a2] = ids;
    const due = await store.outbox.listDue(minutes(5), 10);
    expect(due.map((e) => e.id)).toEqual([a1, b1]);
    expect(due[0]).toEqual({
      id: a1,
      orderKey: 'esc_a',
      effect: note('a1'),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: AT,
      lastError: null,
      createdAt: AT,
      deliveredAt: null,
    });
    expect((await store.outbox.listDue(minutes(5), 1)).map((e) => e.id)).toEqual([a1]);
    expect(await store.outbox.countPending()).toBe(4);

    // A retry waiting for its time holds back the rest of its order key.
    await store.outbox.markRetry(a1!, 'HTTP 503', minutes(10));
    expect((await store.outbox.listDue(minutes(5), 10)).map((e) => e.id)).toEqual([b1]);
    expect((await store.outbox.listDue(minutes(10), 10))[0]).toMatchObject({
      id: a1,
      attempts: 1,
      lastError: 'HTTP 503',
      nextAttemptAt: minutes(10),
    });

    await store.outbox.markDelivered(b1!, minutes(11));
    await store.outbox.markDead(a1!, 'channel_not_found');
    expect((await store.outbox.listDue(minutes(40), 10)).map((e) => e.id)).toEqual([a2, ids[3]]);
    expect(await store.outbox.countPending()).toBe(2);
  });

  it('outbox: an entry is claimed by one replica until it is marked or the claim expires', async () => {
    const store = db.store();
    const [card, other] = await store.transaction(async (tx) => [
      await tx.outbox.add('esc_a', note('a1'), AT),
      await tx.outbox.add('esc_b', note('b1'), AT),
    ]);
    const fresh = { maybeSent: false };
    const mayBeThere = { maybeSent: true };
    expect(await store.outbox.claim(card!, 'replica-1', minutes(1), AT)).toEqual(fresh);
    // The other replica listed it too, but must leave it alone while the claim holds.
    expect(await store.outbox.claim(card!, 'replica-2', minutes(1), AT)).toBeUndefined();
    // Replica 1 died mid-call: once its claim expired, replica 2 takes the entry, and is told that
    // the platform may already have it.
    expect(await store.outbox.claim(card!, 'replica-2', minutes(5), minutes(3))).toEqual(mayBeThere);
    await store.outbox.markRetry(card!, 'HTTP 503', minutes(4));
    // A retry ends the claim, so any replica may try it next time; it was tried once already.
    expect(await store.outbox.claim(card!, 'replica-1', minutes(6), minutes(4))).toEqual(mayBeThere);
    await store.outbox.markDelivered(card!, minutes(4));
    expect(await store.outbox.claim(card!, 'replica-2', minutes(9), minutes(8))).toBeUndefined();
    expect(await store.outbox.claim(other!, 'replica-2', minutes(1), AT)).toEqual(fresh);
    await store.outbox.markDead(other!, 'channel_not_found');
    expect(await store.outbox.claim(other!, 'replica-1', minutes(9), minutes(8))).toBeUndefined();
  });

  it('outbox: of two replicas claiming one entry at the same moment, one gets it', async () => {
    const store = db.store();
    const id = await store.transaction((tx) => tx.outbox.add('esc_a', note('a1'), AT));
    const claims = await Promise.all(
      ['replica-1', 'replica-2', 'replica-3'].map((holder) => store.outbox.claim(id, holder, minutes(1), AT)),
    );
    expect(claims.filter(Boolean)).toEqual([{ maybeSent: false }]);
  });

  it('run leases: a scheduled run goes to the first replica that claims it, again once it expired', async () => {
    const { runLeases } = db.store();
    const key = 'checker:2026-03-02T00:00:00.000Z';
    expect(await runLeases.claim(key, 'replica-1', minutes(1), AT)).toBe(true);
    expect(await runLeases.claim(key, 'replica-2', minutes(1), AT)).toBe(false);
    expect(await runLeases.claim('checker:2026-03-02T00:00:30.000Z', 'replica-2', minutes(1), AT)).toBe(true);
    expect(await runLeases.claim(key, 'replica-2', minutes(3), minutes(2))).toBe(true);
    expect(await runLeases.claim(key, 'replica-1', minutes(3), minutes(2))).toBe(false);
  });

  it('processed events: a key is remembered once', async () => {
    expect(await db.store().processedEvents.remember('Ev1', AT)).toBe(true);
    expect(await db.store().processedEvents.remember('Ev1', minutes(1))).toBe(false);
    expect(await db.store().transaction((tx) => tx.processedEvents.remember('Ev1', AT))).toBe(false);
    expect(await db.store().processedEvents.remember('Ev2', AT)).toBe(true);
  });

  it('people: names and e-mails refreshed, a later save without e-mail keeps it', async () => {
    const people = db.store().people;
    await people.save('slack:U1', 'Alice', AT, 'alice@example.com');
    await people.save('slack:U2', 'Bob', AT);
    await people.save('slack:U1', 'Alice Smith', minutes(1));
    expect(await people.names(['slack:U1', 'slack:U2', 'slack:U3'])).toEqual(
      new Map([
        ['slack:U1', 'Alice Smith'],
        ['slack:U2', 'Bob'],
      ]),
    );
    expect(await people.names([])).toEqual(new Map());
    expect(await people.email('slack:U1')).toBe('alice@example.com');
    expect(await people.email('slack:U2')).toBeUndefined();
    expect(await people.email('slack:U3')).toBeUndefined();
  });

  it('conversation refs: saved, replaced, and the latest of a platform found', async () => {
    const refs = db.store().conversationRefs;
    await refs.save('teams:19:a', 'teams', { serviceUrl: 'https://smba.one/', tenant: 't1' }, AT);
    await refs.save('teams:19:b', 'teams', { serviceUrl: 'https://smba.two/' }, minutes(2));
    await refs.save(
      'teams:19:a',
      'teams',
      { serviceUrl: 'https://smba.three/', nested: { n: [1, 2] } },
      minutes(1),
    );
    expect(await refs.get('teams:19:a')).toEqual({
      serviceUrl: 'https://smba.three/',
      nested: { n: [1, 2] },
    });
    expect(await refs.get('teams:19:none')).toBeUndefined();
    expect(await refs.latest('teams')).toEqual({ serviceUrl: 'https://smba.two/' });
    expect(await refs.latest('slack')).toBeUndefined();
  });

  it('triggers: hits listed oldest first and claimed once, firings, feedback and precision', async () => {
    await seed(db.store(), [issueNo(1)], [escalationNo(1, 'iss_1')]);
    const triggers = db.store().triggers;
    const hit = (id: string, createdAt: Date) => ({
      id,
      issueId: 'iss_1',
      kind: 'anger',
      evidence: { summary: 'Angry words', details: ['"ridiculous"'] },
      matched: ['ridiculous'],
      createdAt,
    });
    await triggers.addHit(hit('hit_z', AT));
    await triggers.addHit(hit('hit_a', AT));
    await triggers.addHit(hit('hit_m', minutes(-1)));
    expect(await triggers.listPendingHits(10)).toEqual([
      hit('hit_m', minutes(-1)),
      hit('hit_z', AT),
      hit('hit_a', AT),
    ]);

    const claims = await Promise.all([
      triggers.markHitProcessed('hit_z', 'escalated', minutes(1)),
      triggers.markHitProcessed('hit_z', 'escalated', minutes(1)),
    ]);
    expect(claims.sort()).toEqual([false, true]);
    await triggers.recordHitOutcome('hit_z', 'added_evidence');
    expect((await triggers.listPendingHits(10)).map((h) => h.id)).toEqual(['hit_m', 'hit_a']);

    await triggers.recordFiring({
      id: 'f1',
      issueId: 'iss_1',
      kind: 'anger',
      escalationId: 'esc_1',
      firedAt: AT,
    });
    await triggers.recordFiring({
      id: 'f2',
      issueId: 'iss_1',
      kind: 'anger',
      escalationId: null,
      firedAt: minutes(5),
    });
    await triggers.recordFiring({
      id: 'f3',
      issueId: 'iss_1',
      kind: 'legal',
      escalationId: null,
      firedAt: minutes(6),
    });
    expect(await triggers.lastFiring('iss_1', 'anger')).toEqual(minutes(5));
    expect(await triggers.lastFiring('iss_1', 'churn')).toBeUndefined();
    await triggers.recordFeedback({
      id: 'fb1',
      escalationId: 'esc_1',
      kind: 'anger',
      verdict: 'false_positive',
      reason: 'sarcasm',
      matched: ['ridiculous'],
      actor: 'slack:U1',
      at: minutes(7),
    });
    const precision = await triggers.precision(AT);
    expect(precision.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'anger', fired: 2, falsePositives: 1 },
      { kind: 'legal', fired: 1, falsePositives: 0 },
    ]);
    expect(await triggers.precision(minutes(6))).toEqual([{ kind: 'legal', fired: 1, falsePositives: 0 }]);
  });

  it('triggers: systemic members kept once each, in the order they joined, and the active one found', async () => {
    await seed(db.store(), [issueNo(1), issueNo(2), issueNo(3)], [escalationNo(1, 'iss_1')]);
    const triggers = db.store().triggers;
    await triggers.addSystemicMember('esc_1', 'iss_3', AT);
    await triggers.addSystemicMember('esc_1', 'iss_1', AT);
    await triggers.addSystemicMember('esc_1', 'iss_3', minutes(1));
    expect(await triggers.listSystemicMembers('esc_1')).toEqual(['iss_3', 'iss_1']);
    expect(await triggers.findActiveSystemicFor(['iss_2', 'iss_1'])).toBe('esc_1');
    expect(await triggers.findActiveSystemicFor(['iss_2'])).toBeUndefined();
    expect(await triggers.findActiveSystemicFor([])).toBeUndefined();
  });

  it('csat: the first answer of an escalation counts, later ones do not', async () => {
    await seed(db.store(), [issueNo(1)], [escalationNo(1, 'iss_1', { status: 'resolved' })]);
    const answer = {
      id: 'csat_1',
      escalationId: 'esc_1',
      issueId: 'iss_1',
      score: 4,
      respondent: 'slack:UC',
      at: AT,
    };
    expect(await db.store().csat.record(answer)).toBe(true);
    expect(await db.store().csat.record({ ...answer, id: 'csat_2', score: 1 })).toBe(false);
    expect(await db.store().csat.forEscalation('esc_1')).toEqual(answer);
    expect(await db.store().csat.forEscalation('esc_none')).toBeUndefined();
  });

  it('a transaction that throws leaves nothing behind, and the store stays usable', async () => {
    await expect(
      db.store().transaction(async (tx) => {
        await tx.issues.create(issueNo(1));
        await tx.outbox.add('iss_1', note('x'), AT);
        await tx.processedEvents.remember('Ev1', AT);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.store().issues.get('iss_1')).toBeUndefined();
    expect(await db.store().outbox.countPending()).toBe(0);
    expect(await db.store().processedEvents.remember('Ev1', AT)).toBe(true);
    const answer = await db.store().transaction(async (tx) => {
      await tx.issues.create(issueNo(2));
      return 'done';
    });
    expect(answer).toBe('done');
    expect(await db.store().issues.get('iss_2')).toBeDefined();
  });

  it.runIf(db.kind === 'postgres')(
    'two replicas racing to open the same thread and to take the next number both succeed, retried',
    async () => {
      const store = db.store();
      // Another replica: its own store on the same database (one store runs one transaction at a time).
      const replica = await openStore(db.url());
      const attempts: string[] = [];
      /** What the core does for a new message: find the thread's issue or open one with the next number. */
      const openThread = (name: string, threadId: string, bothRead: () => Promise<void>) =>
        (name === 'a' || name === 'c' ? store : replica).transaction(async (tx) => {
          attempts.push(name);
          const existing = await tx.issues.findByThread(CHANNEL, threadId);
          const number = await tx.issues.nextNumber();
          await bothRead(); // the first time, each waits until the other has read too
          if (existing) return existing.id;
          await tx.issues.create(issueNo(number, { id: `iss_${name}`, threadId }));
          return `iss_${name}`;
        });

      const sameThread = barrier(2);
      const [a, b] = await Promise.all([
        openThread('a', 'thread-1', sameThread),
        openThread('b', 'thread-1', sameThread),
      ]);
      expect(a).toBe(b);
      expect(attempts.length).toBeGreaterThan(2);
      expect((await store.issues.listRecentOpenings(new Date(0), 10)).map((o) => o.issue.id)).toEqual([a]);

      attempts.length = 0;
      const twoThreads = barrier(2);
      await Promise.all([openThread('c', 'thread-2', twoThreads), openThread('d', 'thread-3', twoThreads)]);
      expect(attempts.length).toBeGreaterThan(2);
      const numbers = await Promise.all(
        ['thread-1', 'thread-2', 'thread-3'].map(
          async (t) => (await store.issues.findByThread(CHANNEL, t))?.number,
        ),
      );
      expect(numbers.sort()).toEqual([1, 2, 3]);
      await replica.close();
    },
  );
});
