import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Escalation } from '../../src/domain/escalation.js';
import {
  type ClockedDriver,
  ClockedSlackDriver,
  ClockedTeamsDriver,
} from '../support/checker/clocked-drivers.js';
import { MINUTE, sydney } from '../support/checker/local-time.js';
import {
  appMentionEvent,
  messageChangedEvent,
  messageEvent,
  sendEvent,
  slackTs,
} from '../support/slack/index.js';
import { eventually } from '../support/story/eventually.js';
import {
  type FormSubmitter,
  SlackFormSubmitter,
  TeamsFormSubmitter,
} from '../support/story/form-submitters.js';
import type { PlatformDriver, StoryCard, StoryThread } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { SLACK_SECRET, StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import {
  channelMessage,
  mentionMessage,
  messageEdit,
  postActivity,
  TEAMS_IDS,
  type TeamsActivity,
} from '../support/teams/index.js';
import { RecordingLogger } from '../support/teams/recording-logger.js';

/**
 * Duplicates and races, on Slack and on Teams through the real stacks: the same inbound event
 * delivered again (at once, or late), a form submitted twice, two people submitting at once, a
 * crowd clicking Claim, and a Resolve landing while the checker moves the card up the ladder. Each
 * ends with one outcome, and whoever lost is told what happened.
 */

/** Sends the same inbound event again, as each platform redelivers it. */
interface Redelivery {
  /** A customer's new post, delivered twice at the same moment and once more later. */
  postDeliveredThrice(text: string): Promise<StoryThread>;
  /** A reply edited twice; the first edit is delivered again after the second. */
  editRedeliveredLate(thread: StoryThread, first: string, second: string): Promise<string>;
  /** `@escalator <command>` in the thread, delivered twice (the second a retry of the first). */
  mentionDeliveredTwice(thread: StoryThread, command: string): Promise<void>;
}

class SlackRedelivery implements Redelivery {
  constructor(private readonly world: StoryWorld) {}
  private get url() {
    return `${this.world.app.url}/slack/events`;
  }
  private async send(envelope: unknown, retryNum?: number) {
    const response = await sendEvent(this.url, SLACK_SECRET, envelope, retryNum ? { retryNum } : {});
    expect(response.status).toBe(200);
  }
  private stored(channel: string, ts: string) {
    return eventually(() => this.world.store.messages.findByMessageId(channel, ts), `message ${ts}`);
  }

  async postDeliveredThrice(text: string) {
    const ts = slackTs();
    const envelope = messageEvent({ channel: 'C0SUPPORT', user: 'U0CUSTOMER', team: 'T0CUSTOMER', text, ts });
    // Slack retries when the first delivery seems slow: the retry can arrive while it still runs.
    await Promise.all([this.send(envelope), this.send(envelope, 1)]);
    await this.send(envelope, 2);
    await this.stored('slack:C0SUPPORT', ts);
    return { channel: 'slack:C0SUPPORT', rootId: ts };
  }

  async editRedeliveredLate(thread: StoryThread, first: string, second: string) {
    const ts = slackTs();
    await this.send(
      messageEvent({ channel: 'C0SUPPORT', user: 'U0CUSTOMER', text: 'typo', ts, threadTs: thread.rootId }),
    );
    await this.stored(thread.channel, ts);
    const edit = (text: string) =>
      messageChangedEvent({ channel: 'C0SUPPORT', user: 'U0CUSTOMER', ts, threadTs: thread.rootId, text });
    const firstEdit = edit(first);
    await this.send(firstEdit);
    await this.send(edit(second));
    await this.send(firstEdit, 1); // Slack retries the first edit: its answer was lost
    return ts;
  }

  async mentionDeliveredTwice(thread: StoryThread, command: string) {
    const envelope = appMentionEvent({
      channel: 'C0SUPPORT',
      user: 'U0ALICE',
      threadTs: thread.rootId,
      text: `<@U0BOT> ${command}`,
    });
    const readsBefore = this.world.slackApi.callsTo('conversations.replies').length;
    await this.send(envelope);
    await this.send(envelope, 1);
    // Bolt answers before its handler runs. Each delivery's handler first reads the thread from
    // Slack; once both have, let the rest of their work (database, outbox) drain.
    await eventually(
      () => this.world.slackApi.callsTo('conversations.replies').length >= readsBefore + 2,
      'both deliveries to be handled',
    );
    await drain(this.world);
  }
}

/**
 * Lets work already under way finish: I/O callbacks, database work queued behind the store's lock,
 * and the outbox. A few rounds, because each step can start the next.
 */
async function drain(world: StoryWorld) {
  for (let round = 0; round < 5; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    await world.store.issues.nextNumber();
    await world.app.dispatcher.kick();
    await world.app.dispatcher.idle();
  }
}

class TeamsRedelivery implements Redelivery {
  constructor(private readonly world: StoryWorld) {}
  private get url() {
    return `${this.world.app.url}/api/messages`;
  }
  private async send(activity: TeamsActivity) {
    const response = await postActivity(this.url, activity);
    expect(response.status).toBe(200);
  }

  async postDeliveredThrice(text: string) {
    const root = channelMessage({
      serviceUrl: this.world.connector.serviceUrl,
      user: TEAMS_IDS.users.customer,
      text,
    });
    await Promise.all([this.send(root), this.send(root)]);
    await this.send(root);
    return { channel: `teams:${TEAMS_IDS.channels.support}`, rootId: root.id };
  }

  async editRedeliveredLate(thread: StoryThread, first: string, second: string) {
    const reply = channelMessage({
      serviceUrl: this.world.connector.serviceUrl,
      user: TEAMS_IDS.users.customer,
      text: 'typo',
      threadRootId: thread.rootId,
    });
    await this.send(reply);
    const edit = (text: string, at: number) =>
      messageEdit({
        serviceUrl: this.world.connector.serviceUrl,
        id: reply.id,
        threadRootId: thread.rootId,
        text,
        timestamp: new Date(at),
      });
    const firstEdit = edit(first, Date.now());
    await this.send(firstEdit);
    await this.send(edit(second, Date.now() + 1000));
    await this.send(firstEdit); // the channel service delivers the first edit again
    return reply.id;
  }

  async mentionDeliveredTwice(thread: StoryThread, command: string) {
    const mention = mentionMessage({
      serviceUrl: this.world.connector.serviceUrl,
      user: TEAMS_IDS.users.agent,
      text: command,
      threadRootId: thread.rootId,
    });
    await this.send(mention);
    await this.send(mention);
  }
}

const PLATFORMS = [
  [
    'Slack',
    'slack' as const,
    (w: StoryWorld) => new SlackDriver(w),
    (w: StoryWorld) => new SlackRedelivery(w),
    (w: StoryWorld) => new SlackFormSubmitter(w),
  ],
  [
    'Teams',
    'teams' as const,
    (w: StoryWorld) => new TeamsDriver(w),
    (w: StoryWorld) => new TeamsRedelivery(w),
    (w: StoryWorld) => new TeamsFormSubmitter(w),
  ],
] as const;

describe.each(PLATFORMS)(
  '%s: duplicates and races',
  (_name, layout, makeDriver, makeRedelivery, makeForms) => {
    let world: StoryWorld;
    let chat: PlatformDriver;
    let again: Redelivery;
    let forms: FormSubmitter;
    let log: RecordingLogger;

    beforeEach(async () => {
      log = new RecordingLogger();
      world = await StoryWorld.start(storyPolicy(layout), { log });
      chat = makeDriver(world);
      again = makeRedelivery(world);
      forms = makeForms(world);
      await chat.prepare();
    });
    afterEach(async () => {
      await world.stop();
    });

    const issueOf = async (thread: StoryThread) =>
      (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    const escalationsOf = async (thread: StoryThread) =>
      world.store.escalations.listForIssue((await issueOf(thread)).id);
    const escalationNotes = (thread: StoryThread) =>
      chat.notesIn(thread).filter((n) => n.includes('Escalated to'));
    /** Every answer Escalator sent on either platform (private replies, thread replies) that says `text`. */
    const answersSaying = (text: string) =>
      [
        ...world.slackApi.callsTo('chat.postEphemeral').map((c) => String(c.args.text)),
        ...world.slackApi.callsTo('chat.postMessage').map((c) => String(c.args.text)),
        ...world.connector.calls
          .filter((c) => c.kind === 'send' || c.kind === 'reply')
          .map((c) => String((c.body as { text?: string }).text ?? '')),
      ].filter((t) => t.toLowerCase().includes(text));

    it('a post delivered twice at once and again later is tracked once', async () => {
      const thread = await again.postDeliveredThrice('The app crashes when I open settings');
      const issue = await issueOf(thread);
      expect(issue.messageCount).toBe(1);
      expect(await world.store.messages.listForIssue(issue.id)).toHaveLength(1);
      expect(await world.store.issues.nextNumber()).toBe(2);
      // The copies were recognised, not stopped halfway by the database's unique index (an error).
      expect(log.at('error')).toEqual([]);
    });

    it('an edit delivered again after a newer edit does not bring the old text back', async () => {
      const thread = await chat.customerPosts('Refund for order 55?');
      const reply = await again.editRedeliveredLate(thread, 'It was order 56', 'It was order 57, sorry');
      // Wait for the redelivery to have been handled: a later event is stored after it.
      await chat.customerReplies(thread, 'Any news?');
      const message = await world.store.messages.findByMessageId(thread.channel, reply);
      expect(message?.text).toBe('It was order 57, sorry');
    });

    it('"@escalator escalate" delivered twice escalates once and answers once', async () => {
      const thread = await chat.customerPosts('Checkout fails with E500 for all our users');
      await again.mentionDeliveredTwice(thread, 'escalate checkout down for a whole company');
      await chat.waitForCard(chat.channel('l2'));
      // Once the outbox is empty every answer is out; a second one would show by now.
      await world.app.dispatcher.kick();
      await world.app.dispatcher.idle();
      expect(await escalationsOf(thread)).toHaveLength(1);
      expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
      expect(escalationNotes(thread)).toHaveLength(1);
      expect(answersSaying('already escalated')).toEqual([]);
    });

    it('the same escalate form submitted twice at once, and again after the resolution, escalates once', async () => {
      const { agent, specialist } = chat.people;
      const thread = await chat.customerPosts('Two-factor codes never arrive');
      const form = await forms.openEscalateForm(thread, agent, { reason: 'SMS provider down?' });
      const [first, second] = await Promise.all([form.submit(), form.submit()]);
      // One went through; the repeat is taken as the same submission, not as a new request.
      expect([first, second].filter((a) => !a.refused)).toHaveLength(layout === 'slack' ? 2 : 1);
      for (const a of [first, second]) if (a.refused) expect(a.refused).toBe('Already escalated.');
      const card = await chat.waitForCard(chat.channel('l2'));
      expect(await escalationsOf(thread)).toHaveLength(1);

      await chat.click(card, 'resolve', specialist, { note: 'Provider fixed it', rootCause: 'system_issue' });
      await chat.waitForCardText(card, 'Resolved by');
      // The same submission arrives once more (a retry, a double click that was stuck): still one.
      await form.submit();
      await world.app.dispatcher.kick();
      await world.app.dispatcher.idle();
      expect(await escalationsOf(thread)).toHaveLength(1);
      expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
      expect(escalationNotes(thread)).toHaveLength(1);
    });

    it('two agents submit the escalate form for one thread at the same moment: one escalation, the other is told', async () => {
      const { agent, otherSpecialist } = chat.people;
      const thread = await chat.customerPosts('Payroll export shows last month');
      const mine = await forms.openEscalateForm(thread, agent, { reason: 'Payroll data stale' });
      const theirs = await forms.openEscalateForm(thread, otherSpecialist, { reason: 'Export wrong month' });
      const answers = await Promise.all([mine.submit(), theirs.submit()]);
      const refused = answers.filter((a) => a.refused);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.refused).toContain('already escalated as #1');
      await chat.waitForCard(chat.channel('l2'));
      expect(await escalationsOf(thread)).toHaveLength(1);
      expect(chat.cardsPosted(chat.channel('l2'))).toBe(1);
    });

    it('both specialists double-click Claim at the same moment: one claim, the other is told who has it', async () => {
      const { specialist, otherSpecialist } = chat.people;
      const thread = await chat.customerPosts('Our API keys stopped working');
      await chat.escalateWithForm(thread, { reason: 'API auth failures' });
      const card = await chat.waitForCard(chat.channel('l2'));
      await Promise.all([
        chat.click(card, 'claim', specialist),
        chat.click(card, 'claim', otherSpecialist),
        chat.click(card, 'claim', specialist),
        chat.click(card, 'claim', otherSpecialist),
      ]);
      // (On Slack the clicks are handled after Bolt has answered them.)
      const claimedBy = await eventually(
        async () => (await world.store.escalations.get(card.escalationId))?.claimedBy,
        'the claim',
      );
      expect([specialist.id, otherSpecialist.id]).toContain(claimedBy);
      const winner = claimedBy === specialist.id ? specialist : otherSpecialist;
      const loser = winner === specialist ? otherSpecialist : specialist;
      // Every click is answered: the loser's with who has it, and the winner's second click the same way.
      expect(await chat.waitForReplyTo(loser, 'already claimed by')).toContain(winner.shownAs);
      expect(await chat.waitForReplyTo(winner, 'already claimed by')).toContain(winner.shownAs);
      const claims = (await world.store.events.listForEscalation(card.escalationId)).filter(
        (e) => e.action === 'claim',
      );
      expect(claims.map((e) => e.actor)).toEqual([winner.id]);
      await chat.waitForCardText(card, 'Claimed by');
      await world.app.dispatcher.idle();
      expect(chat.notesIn(thread).filter((n) => n.includes('claimed escalation #1'))).toHaveLength(1);
    });
  },
);

/** The ladder race needs the checker's clock: people write at the ManualClock's time. */
describe.each([
  [
    'Slack',
    'slack' as const,
    (w: StoryWorld) => new ClockedSlackDriver(w),
    (w: StoryWorld) => new SlackFormSubmitter(w),
  ],
  [
    'Teams',
    'teams' as const,
    (w: StoryWorld) => new ClockedTeamsDriver(w),
    (w: StoryWorld) => new TeamsFormSubmitter(w),
  ],
])('%s: Resolve racing the ack ladder', (_name, layout, makeDriver, makeForms) => {
  let world: StoryWorld;
  let chat: ClockedDriver;
  let forms: FormSubmitter;
  let log: RecordingLogger;

  beforeEach(async () => {
    log = new RecordingLogger();
    world = await StoryWorld.start(storyPolicy(layout), { log });
    chat = makeDriver(world);
    forms = makeForms(world);
    await chat.prepare();
    world.clock.set(sydney('2026-03-10 10:00')); // a Tuesday morning: the P3 business clock runs
  });
  afterEach(async () => {
    await world.stop();
  });

  /** An unclaimed L2 card, 31 minutes old (L2's ackWithin is 30m), and the specialist's Resolve form. */
  async function dueToClimb() {
    const thread = await chat.customerPosts('Invoices PDF is blank since the update');
    await chat.agentReplies(thread, 'Reproduced, escalating.');
    await chat.escalateWithMention(thread, 'escalate to tech P3 blank invoice PDFs');
    const card = await chat.waitForCard(chat.channel('l2'));
    const resolve = await forms.openResolveForm(
      card,
      chat.people.specialist,
      'Font cache cleared',
      'system_issue',
    );
    world.clock.advance(31 * MINUTE);
    return { thread, card, resolve };
  }

  async function outcome(thread: StoryThread, l2: StoryCard) {
    await world.app.dispatcher.kick();
    await world.app.dispatcher.idle();
    const issue = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    const escalations = await world.store.escalations.listForIssue(issue.id);
    const audit = await world.store.events.listForEscalation(l2.escalationId);
    return {
      statuses: escalations.map((e: Escalation) => [e.level, e.status]),
      endings: audit
        .filter((e) => e.action === 'resolve' || e.action === 'auto_escalate')
        .map((e) => e.action),
      l3Cards: chat.cardsPosted(chat.channel('l3')),
    };
  }

  it('both at the same moment: exactly one happens, and a refused Resolve says the card moved up', async () => {
    const { thread, card, resolve } = await dueToClimb();
    const [, answer] = await Promise.all([world.tick(), resolve.submit()]);
    const result = await outcome(thread, card);
    if (result.endings[0] === 'auto_escalate') {
      expect(result).toEqual({
        statuses: [
          [0, 'superseded'],
          [1, 'open'],
        ],
        endings: ['auto_escalate'],
        l3Cards: 1,
      });
      expect(answer.refused).toContain('was escalated further; act on the newer card instead');
    } else {
      expect(result).toEqual({ statuses: [[0, 'resolved']], endings: ['resolve'], l3Cards: 0 });
      expect(answer.refused).toBeUndefined();
    }
    expect(log.at('error')).toEqual([]);
  });

  it('the Resolve lands after the checker found the card due but before it moved it: the Resolve stands', async () => {
    const { thread, card, resolve } = await dueToClimb();
    // Hold the checker between its query for due cards and its change, and resolve in that gap.
    const escalations = world.store.escalations;
    const listAckDue = escalations.listAckDue.bind(escalations);
    let answer: Awaited<ReturnType<typeof resolve.submit>> | undefined;
    escalations.listAckDue = async (...args) => {
      const due = await listAckDue(...args);
      if (due.length > 0 && !answer) answer = await resolve.submit();
      return due;
    };
    await world.tick();
    expect(answer).toEqual({});
    expect(await outcome(thread, card)).toEqual({
      statuses: [[0, 'resolved']],
      endings: ['resolve'],
      l3Cards: 0,
    });
    await chat.waitForCardText(card, 'Resolved by');
    expect(chat.notesIn(thread).some((n) => n.includes('unclaimed'))).toBe(false);
    expect(log.at('error')).toEqual([]);
  });
});
