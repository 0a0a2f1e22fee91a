import { afterEach, describe, expect, it } from 'vitest';
import { MEMBERS_TTL_MS } from '../../src/app/cached-directory.js';
import type { Policy } from '../../src/domain/policy.js';
import { eventually } from '../support/story/eventually.js';
import type { CardButton, PlatformDriver, StoryCard } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { SlackMembers } from '../support/story/slack-members.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import { TEAMS_IDS } from '../support/teams/index.js';

/**
 * Who may act on a card: by default the members of the level's channel, or the level's
 * `responders` (people and groups) when the policy lists them. Everyone else is refused privately
 * (a Slack ephemeral; on Teams the card comes back with the warning on top), the refusal is in the
 * audit trail and the escalation does not change. The agent who escalated can withdraw it while
 * nobody has claimed it. Told once, run on Slack and on Teams.
 */
describe.each([
  {
    name: 'Slack',
    layout: 'slack' as const,
    makeDriver: (w: StoryWorld) => new SlackDriver(w),
    // A Slack user group; on Teams a team (its id is its General channel's).
    onCallGroup: 'slack:S0ONCALL',
    specialistId: 'slack:U0BOB',
    breakMemberLookups: (w: StoryWorld, broken: () => boolean) =>
      w.slackApi.failWhen('conversations.members', () => broken(), { status: 500 }, Number.POSITIVE_INFINITY),
  },
  {
    name: 'Teams',
    layout: 'teams' as const,
    makeDriver: (w: StoryWorld) => new TeamsDriver(w),
    onCallGroup: 'teams:19:oncall@thread.tacv2',
    specialistId: `teams:${TEAMS_IDS.users.specialist.aadObjectId}`,
    breakMemberLookups: (w: StoryWorld, broken: () => boolean) =>
      w.connector.failWhen('get_paged_members', () => broken(), { status: 503 }, Number.POSITIVE_INFINITY),
  },
])(
  '$name: who may act on a card',
  ({ layout, makeDriver, onCallGroup, specialistId, breakMemberLookups }) => {
    let world: StoryWorld;
    let chat: PlatformDriver;

    async function start(policy: Policy = storyPolicy(layout)) {
      world = await StoryWorld.start(policy);
      seen = [];
      chat = makeDriver(world);
      await chat.prepare();
      const { specialist, otherSpecialist, agent, customer } = chat.people;
      // The escalation channels hold the specialists; the agent works in the support channel only.
      for (const level of ['l2', 'l3', 'leads'] as const) {
        await chat.setMembers(chat.channel(level), [specialist, otherSpecialist]);
      }
      await chat.setMembers(chat.channel('support'), [agent, customer]);
    }
    afterEach(async () => {
      await world?.stop();
    });

    /** Cards posted so far, so each wait finds the next one. */
    let seen: StoryCard[] = [];
    async function escalatedCard(text = 'Checkout fails with error E-500') {
      const thread = await chat.customerPosts(text);
      expect(await chat.escalateWithForm(thread, { reason: 'Needs an engineer' })).toEqual({});
      const card = await chat.waitForCard(chat.channel('l2'), seen);
      seen.push(card);
      await chat.waitForNote(thread, 'Escalated to');
      return { thread, card };
    }

    const escalation = (card: StoryCard) => world.store.escalations.get(card.escalationId);
    const audit = async (card: StoryCard) =>
      (await world.store.events.listForEscalation(card.escalationId)).map((e) => [
        e.action,
        e.actor,
        e.detail,
      ]);

    async function settled() {
      await world.app.dispatcher.kick();
      await world.app.dispatcher.idle();
    }

    it('only members of the level channel act; everyone else is refused privately and audited, and the card stays as it was', async () => {
      await start();
      const { agent, specialist } = chat.people;
      const { thread, card } = await escalatedCard();
      const before = chat.cardText(card);
      const l2 = chat.channel('l2');

      const attempts: Array<[CardButton, string, Record<string, string>]> = [
        ['claim', 'claim', {}],
        ['resolve', 'resolve', { note: 'I fixed it myself', rootCause: 'other' }],
        ['bounce', 'bounce back', { reason: 'Not for L2' }],
        ['escalate_further', 'escalate further', {}],
      ];
      for (const [button, verb, inputs] of attempts) {
        await chat.click(card, button, agent, inputs);
        const reply = await chat.waitForReplyTo(agent, `can ${verb} escalation #1`);
        expect(reply).toContain('Only members of');
      }
      await settled();

      // Nothing changed: the escalation, its card, the thread. Each refusal is one audit row.
      expect(await escalation(card)).toMatchObject({ status: 'open', version: 1, claimedBy: null });
      expect(chat.cardText(card)).toBe(before);
      expect(chat.notesIn(thread)).toHaveLength(1);
      expect(await audit(card)).toEqual([
        ['open', agent.id, 'Needs an engineer'],
        ...['refused_claim', 'refused_resolve', 'refused_bounce', 'refused_escalate_further'].map(
          (action) => [action, agent.id, `not a member of ${l2}`],
        ),
      ]);
      expect(chat.cardsPosted(chat.channel('l3'))).toBe(0);
      // Each refusal was told once.
      expect(chat.repliesTo(agent).filter((r) => r.includes('Only members of'))).toHaveLength(4);

      // A member of the channel acts as before.
      await chat.click(card, 'claim', specialist);
      await chat.waitForCardText(card, `Claimed by ${specialist.shownAs}`);
      await chat.waitForNote(thread, 'claimed escalation #1');
    });

    it('"Not an escalation" is also only for the people of the level', async () => {
      await start();
      const { agent, specialist } = chat.people;
      const thread = await chat.customerPosts('I want to speak to your manager about this invoice.');
      await world.tick();
      const card = await chat.waitForCard(chat.channel('leads'));

      await chat.click(card, 'not_an_escalation', agent, { reason: 'They were joking' });
      await chat.waitForReplyTo(agent, 'can close escalation #1 as not an escalation');
      await settled();
      expect(await escalation(card)).toMatchObject({ status: 'open', version: 1 });
      expect((await audit(card)).at(-1)).toEqual([
        'refused_dismiss',
        agent.id,
        `not a member of ${chat.channel('leads')}`,
      ]);

      await chat.click(card, 'not_an_escalation', specialist, { reason: 'Quoting the customer’s boss' });
      await chat.waitForNote(thread, 'closed as not an escalation');
      expect((await escalation(card))?.status).toBe('dismissed');
    });

    it('a responders list replaces channel membership: listed people and members of listed groups act, other channel members do not', async () => {
      const policy = storyPolicy(layout);
      policy.paths.tech!.levels[0] = {
        ...policy.paths.tech!.levels[0]!,
        responders: [specialistId, onCallGroup],
      };
      await start(policy);
      const { specialist, otherSpecialist, agent } = chat.people;
      expect(specialist.id).toBe(specialistId);
      // Everyone is in the L2 channel, but that no longer counts; the on-call group holds the other specialist.
      await chat.setMembers(chat.channel('l2'), [specialist, otherSpecialist, agent]);
      await chat.setMembers(onCallGroup, [otherSpecialist]);
      const { thread, card } = await escalatedCard();

      await chat.click(card, 'claim', agent);
      const refused = await chat.waitForReplyTo(agent, 'can claim escalation #1');
      expect(refused).toContain('Only the responders of L2 Tech');
      await settled();
      expect(await escalation(card)).toMatchObject({ status: 'open', version: 1 });
      expect((await audit(card)).at(-1)).toEqual(['refused_claim', agent.id, 'not a responder of L2 Tech']);

      // A member of the listed group claims; the listed person resolves.
      await chat.click(card, 'claim', otherSpecialist);
      await chat.waitForCardText(card, `Claimed by ${otherSpecialist.shownAs}`);
      await chat.click(card, 'resolve', specialist, {
        note: 'Restarted the payment worker',
        rootCause: 'system_issue',
      });
      await chat.waitForCardText(card, `Resolved by ${specialist.shownAs}`);
      await chat.waitForNote(thread, 'Restarted the payment worker');
      expect(chat.memberLookups(chat.channel('l2'))).toBe(0); // channel membership was never asked
      expect(chat.memberLookups(onCallGroup)).toBe(1);
    });

    it('member lists are read once a minute, again at once when someone joins or leaves, and a failed read refuses without being kept', async () => {
      await start();
      const { specialist, otherSpecialist } = chat.people;
      const l2 = chat.channel('l2');
      const first = await escalatedCard('Invoices are not generated');
      const second = await escalatedCard('Exports time out');

      await chat.click(first.card, 'claim', specialist);
      await chat.waitForCardText(first.card, 'Claimed by');
      await chat.click(second.card, 'claim', otherSpecialist);
      await chat.waitForCardText(second.card, 'Claimed by');
      expect(chat.memberLookups(l2)).toBe(1); // two clicks, one read

      // The other specialist leaves without the platform saying so: after a minute the list is read again.
      await chat.setMembers(l2, [specialist]);
      world.clock.advance(MEMBERS_TTL_MS + 1_000);
      await chat.click(second.card, 'resolve', otherSpecialist, { note: 'Done', rootCause: 'other' });
      await chat.waitForReplyTo(otherSpecialist, 'can resolve escalation #2');
      expect(chat.memberLookups(l2)).toBe(2);

      // They come back and the platform says so: the next click is decided on the new list at once.
      await chat.setMembers(l2, [specialist, otherSpecialist], { announce: true });
      await chat.click(second.card, 'resolve', otherSpecialist, {
        note: 'Raised the export timeout',
        rootCause: 'system_issue',
      });
      await chat.waitForCardText(second.card, 'Resolved by');
      expect(chat.memberLookups(l2)).toBe(3);

      // The platform fails to answer: refused with "try again" (never guessed), audited, not kept.
      let broken = true;
      breakMemberLookups(world, () => broken);
      world.clock.advance(MEMBERS_TTL_MS + 1_000);
      await chat.click(first.card, 'resolve', specialist, { note: 'Regenerated', rootCause: 'system_issue' });
      await chat.waitForReplyTo(specialist, 'Try again in a moment');
      await settled();
      expect(await escalation(first.card)).toMatchObject({ status: 'claimed' });
      const [action, actor, detail] = (await audit(first.card)).at(-1)!;
      expect([action, actor]).toEqual(['refused_resolve', specialist.id]);
      expect(detail).toContain(`membership lookup failed: ${l2}`);

      broken = false;
      await chat.click(first.card, 'resolve', specialist, {
        note: 'Regenerated the invoices',
        rootCause: 'system_issue',
      });
      await chat.waitForCardText(first.card, 'Resolved by');
      await chat.waitForNote(first.thread, 'Regenerated the invoices');
    });

    it('the agent who escalated withdraws it while unclaimed: the card says so, the thread hears it, and it can be escalated again', async () => {
      await start();
      const { agent, specialist } = chat.people;
      const { thread, card } = await escalatedCard();

      await chat.mentionBotAs(agent, thread, 'withdraw the customer found the answer');
      await chat.waitForNote(
        thread,
        `${agent.shownAs} withdrew escalation #1 (L2 Tech): the customer found the answer`,
      );
      await chat.waitForCardText(card, 'Withdrawn at');
      expect(chat.cardText(card)).toContain(agent.shownAs);
      expect(chat.cardText(card)).not.toContain('"Claim"');
      expect(await escalation(card)).toMatchObject({ status: 'withdrawn', version: 2 });
      const issue = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
      expect(issue.status).toBe('open');
      expect(await audit(card)).toEqual([
        ['open', agent.id, 'Needs an engineer'],
        ['withdraw', agent.id, 'the customer found the answer'],
      ]);

      // A click on the withdrawn card (a client that has not refreshed yet) is told what happened.
      await chat.click(card, 'claim', specialist);
      await chat.waitForReplyTo(specialist, 'was withdrawn by the agent who escalated it');

      // The thread is the frontline's again: it can be escalated anew (one active escalation at a time).
      expect(await chat.escalateWithForm(thread, { reason: 'It came back after all' })).toEqual({});
      const again = await chat.waitForCard(chat.channel('l2'), [card]);
      expect(chat.cardText(again)).toContain('Escalation #2');
      expect((await world.store.escalations.listForIssue(issue.id)).map((e) => e.status)).toEqual([
        'withdrawn',
        'open',
      ]);
    });

    it('nobody else can withdraw it, and nobody can once it is claimed', async () => {
      await start();
      const { agent, specialist } = chat.people;
      const { thread, card } = await escalatedCard();

      await chat.mentionBotAs(specialist, thread, 'withdraw');
      const notYours = await chat.waitForReplyTo(
        specialist,
        'who escalated this thread, can withdraw escalation #1',
      );
      expect(notYours).toContain(`Only ${agent.shownAs}`);
      await settled();
      expect(await escalation(card)).toMatchObject({ status: 'open', version: 1 });
      expect((await audit(card)).at(-1)).toEqual([
        'refused_withdraw',
        specialist.id,
        `escalated by ${agent.id}, not by ${specialist.id}`,
      ]);

      await chat.click(card, 'claim', specialist);
      await chat.waitForCardText(card, 'Claimed by');
      await chat.mentionBotAs(agent, thread, 'withdraw never mind');
      const claimed = await chat.waitForReplyTo(agent, 'you cannot withdraw it');
      expect(claimed).toContain(`already claimed by ${specialist.shownAs}`);
      expect(claimed).toContain('bounce it back');
      await settled();
      expect(await escalation(card)).toMatchObject({ status: 'claimed', claimedBy: specialist.id });
      expect(chat.notesIn(thread).filter((n) => n.includes('withdrew'))).toEqual([]);
    });

    it('a withdraw and a claim at the same moment: exactly one happens, and the other person is told', async () => {
      await start();
      const { agent, specialist } = chat.people;
      const { thread, card } = await escalatedCard();

      await Promise.all([
        chat.mentionBotAs(agent, thread, 'withdraw'),
        chat.click(card, 'claim', specialist),
      ]);
      const final = await waitForStatus(card, ['withdrawn', 'claimed']);
      const [loser, told] =
        final === 'withdrawn' ? [specialist, 'was withdrawn'] : [agent, 'you cannot withdraw it'];
      await chat.waitForReplyTo(loser, told);
      await settled();
      expect(chat.repliesTo(loser).filter((r) => r.includes(told))).toHaveLength(1);
      const notes = chat.notesIn(thread);
      expect(notes.filter((n) => n.includes('withdrew escalation #1')).length).toBe(
        final === 'withdrawn' ? 1 : 0,
      );
      expect(notes.filter((n) => n.includes('claimed escalation #1')).length).toBe(
        final === 'claimed' ? 1 : 0,
      );
      const changes = (await audit(card)).map(([a]) => a).filter((a) => a === 'withdraw' || a === 'claim');
      expect(changes).toEqual([final === 'withdrawn' ? 'withdraw' : 'claim']);
    });

    function waitForStatus(card: StoryCard, statuses: string[]) {
      return eventually(
        async () => {
          const status = (await escalation(card))?.status;
          return status && statuses.includes(status) ? status : undefined;
        },
        `the escalation to be ${statuses.join(' or ')}`,
      );
    }
  },
);

describe('Slack: the 3-second rule', () => {
  let world: StoryWorld | undefined;
  afterEach(async () => {
    await world?.stop();
  });

  it('a click is acknowledged before the member list is read, and acted on once it is', async () => {
    world = await StoryWorld.start(storyPolicy('slack'));
    const chat = new SlackDriver(world);
    const thread = await chat.customerPosts('Refund stuck in pending');
    await chat.escalateWithForm(thread, { reason: 'Payments' });
    const card = await chat.waitForCard(chat.channel('l2'));

    const release = SlackMembers.of(world.slackApi).hold();
    let acknowledged = false;
    const click = chat.click(card, 'claim', chat.people.specialist).then(() => {
      acknowledged = true;
    });
    await eventually(() => acknowledged, 'Slack to get its answer while the member list is still being read');
    await eventually(
      () => world?.slackApi.callsTo('conversations.members').length === 1,
      'the member list read',
    );
    expect((await world.store.escalations.get(card.escalationId))?.status).toBe('open');

    release();
    await click;
    await chat.waitForCardText(card, `Claimed by ${chat.people.specialist.shownAs}`);
  });
});
