import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockKitProblems } from '../support/slack/block-kit-limits.js';
import {
  appMentionEvent,
  blockAction,
  newEventId,
  sendEvent,
  sendInteraction,
} from '../support/slack/index.js';
import { ephemeralBlockAction } from '../support/slack/view-actions.js';
import { eventually } from '../support/story/eventually.js';
import { AGENT, L2, type OpenView, SECRET, SlackWorld, SUPPORT } from '../support/story/slack-world.js';

const EXPORT_PROBLEMS = [
  'The CSV export fails with error 500 every time I export my invoices.',
  'Exporting invoices to CSV fails with error 500 for every export.',
  'CSV export of my invoices gives error 500 every time.',
  'Every invoice export to CSV fails, error 500.',
];
const NEW_EXPORT_PROBLEM = 'Exporting my invoices to CSV fails, I get error 500 on each export.';
/** The end of "all deflections so far" (PostgreSQL takes no date past year 9999 as written by node-postgres). */
const FAR_FUTURE = new Date('2100-01-01T00:00:00Z');
const UNRELATED_PROBLEM = 'Please change the delivery address on my account to our new office.';

/**
 * "Before you escalate", "This solved it", the reusable answer and "View conversation" on Slack,
 * through signed requests into the real Bolt receiver and the loopback Web API.
 */
describe('Slack: similar past escalations and the whole conversation', () => {
  let world: SlackWorld;
  beforeEach(async () => {
    world = await SlackWorld.start();
  });
  afterEach(async () => {
    await world.stop();
  });

  /** A thread about the CSV export, escalated and resolved; returns its escalation. */
  async function solved(problem: string, resolution: { note: string; answer?: string }) {
    const ts = await world.customerPosts(problem);
    const { escalation, cardTs } = await world.escalate(ts, 'CSV export keeps failing with error 500');
    await world.resolve(escalation.id, cardTs, resolution);
    return escalation;
  }

  const suggestionBlocks = (view: OpenView) =>
    view.blocks.filter((b) => b.block_id?.startsWith('escalator_suggestion_'));

  it('the form shows at most three similar past escalations under the thread, escaped and within Slack’s limits', async () => {
    const longAnswer = `Clear the export cache <Settings & Data> first. ${'Then retry the export. '.repeat(120)}`;
    await solved(EXPORT_PROBLEMS[0]!, { note: 'Cleared the stale export cache.', answer: longAnswer });
    for (const problem of EXPORT_PROBLEMS.slice(1))
      await solved(problem, { note: 'Cleared the stale export cache.' });
    const thread = await world.customerPosts(NEW_EXPORT_PROBLEM);

    const form = await world.openFormFromShortcut(thread);

    const ids = form.blocks.map((b) => b.block_id);
    expect(ids).toEqual([
      'thread',
      'escalator_suggestions',
      'escalator_suggestion_0',
      'escalator_suggestion_1',
      'escalator_suggestion_2',
      'path',
      'priority',
      'reason',
      'why',
    ]);
    expect(form.submit?.text).toBe('Escalate anyway');
    const shown = suggestionBlocks(form);
    // The one with a reusable answer comes first, its text escaped for mrkdwn and cut to fit a section.
    expect(shown[0]?.text?.text).toContain('📘 Answer');
    expect(shown[0]?.text?.text).toContain('Clear the export cache &lt;Settings &amp; Data&gt; first.');
    expect(shown[0]?.text?.text).toContain('resolved by <@U0BOB>');
    expect(shown[0]?.text?.text).toMatch(
      /<https:\/\/acme\.slack\.com\/archives\/C0SUPPORT\/p\d{16}\|Open thread>/,
    );
    for (const block of shown) {
      expect(block.accessory).toMatchObject({ type: 'button', action_id: 'escalator:solved' });
      expect(block.accessory?.text.text).toBe('This solved it');
    }
    expect(blockKitProblems(form.blocks)).toEqual([]);
    expect(form.blocks.length).toBeLessThanOrEqual(100);
    expect(form.title.text.length).toBeLessThanOrEqual(24);
  });

  it('/escalate without a thread: picking one puts its suggestions in the form, picking another takes them away', async () => {
    await solved(EXPORT_PROBLEMS[0]!, { note: 'Cleared the stale export cache.' });
    const similar = await world.issueOf(await world.customerPosts(NEW_EXPORT_PROBLEM));
    const unrelated = await world.issueOf(await world.customerPosts(UNRELATED_PROBLEM));

    const opened = await world.openEscalateModal();
    expect(opened.blocks.find((b) => b.block_id === 'thread')).toMatchObject({ dispatch_action: true });
    const form = world.currentView(world.fake.callsTo('views.open').at(-1)!.viewId!);
    expect(form.submit?.text).toBe('Escalate');
    expect(suggestionBlocks(form)).toEqual([]);

    const update = await world.clickInView(form, {
      blockId: 'thread',
      actionId: 'value',
      selected: similar.id,
      values: { thread: { value: { select: similar.id } }, reason: { value: 'export broken' } },
    });
    // Only the version of the form the pick came from is replaced (Slack's hash check).
    expect(update?.args.hash).toBe(form.hash);
    const withSuggestions = world.currentView(form.id);
    expect(suggestionBlocks(withSuggestions).map((b) => b.text?.text)).toEqual([
      expect.stringContaining('Cleared the stale export cache.'),
    ]);
    expect(withSuggestions.submit?.text).toBe('Escalate anyway');
    expect(withSuggestions.blocks.find((b) => b.block_id === 'thread')?.element?.initial_option?.value).toBe(
      similar.id,
    );

    await world.clickInView(withSuggestions, {
      blockId: 'thread',
      actionId: 'value',
      selected: unrelated.id,
      values: { thread: { value: { select: unrelated.id } } },
    });
    const without = world.currentView(form.id);
    expect(suggestionBlocks(without)).toEqual([]);
    expect(without.submit?.text).toBe('Escalate');
  });

  it('"This solved it" clicked once but delivered twice (Slack retrying) closes the thread once and keeps the answer', async () => {
    await solved(EXPORT_PROBLEMS[0]!, { note: 'Cleared the stale export cache.' });
    const thread = await world.customerPosts(NEW_EXPORT_PROBLEM);
    const issue = await world.issueOf(thread);
    const form = await world.openFormFromShortcut(thread);
    const click = {
      blockId: 'escalator_suggestion_0',
      actionId: 'escalator:solved',
      triggerId: '6201234599999.6100000000001.0123456789abcdef0123456789abcdef',
      actionTs: '1770000000.123456',
    };

    await world.clickInView(form, click);
    // The same payload again, from the form as it was when clicked.
    await world.clickInView(form, click);

    const deflections = await world.app.ctx.store.knowledge.listDeflections(new Date(0), FAR_FUTURE);
    expect(deflections.map((d) => [d.issueId, d.actor])).toEqual([[issue.id, `slack:${AGENT}`]]);
    // An empty list is truthy: wait for the note itself.
    await eventually(
      () => world.notesIn(thread).some((n) => n.includes('Solved without escalating')),
      'the note in the thread',
    );
    const notes = world.notesIn(thread).filter((n) => n.includes('Solved without escalating'));
    expect(notes).toEqual([expect.stringContaining('with the fix from escalation #1')]);
    const answer = world.currentView(form.id);
    expect(answer.submit ?? null).toBeNull();
    expect(answer.blocks[0]?.text?.text).toContain(
      `Closed issue #${issue.number} with the fix from escalation #1`,
    );
    expect(answer.blocks[0]?.text?.text).toContain('not escalated');
    expect((await world.app.ctx.store.issues.get(issue.id))?.status).toBe('resolved');
  });

  it('"This solved it" after the thread was escalated meanwhile says so and closes nothing', async () => {
    await solved(EXPORT_PROBLEMS[0]!, { note: 'Cleared the stale export cache.' });
    const thread = await world.customerPosts(NEW_EXPORT_PROBLEM);
    const form = await world.openFormFromShortcut(thread);
    // Someone else escalates the same thread while the agent reads the suggestions.
    const { issue, escalation } = await world.escalate(thread, 'Escalating, customer is waiting');

    await world.clickInView(form, { blockId: 'escalator_suggestion_0', actionId: 'escalator:solved' });

    const answer = world.currentView(form.id).blocks[0]?.text?.text;
    expect(answer).toContain('Not closed.');
    expect(answer).toContain(`Issue #${issue.number} was escalated meanwhile as #${escalation.number}`);
    expect((await world.app.ctx.store.issues.get(issue.id))?.status).not.toBe('resolved');
    expect(await world.app.ctx.store.knowledge.listDeflections(new Date(0), FAR_FUTURE)).toEqual([]);
    expect((await world.app.ctx.store.escalations.get(escalation.id))?.status).toBe('open');
  });

  it('"View conversation" pages through the whole thread, with no way past either end', async () => {
    const thread = await world.customerPosts('Our dashboard shows no data since the migration.');
    for (let i = 1; i <= 44; i++) {
      if (i % 2) await world.customerPosts(`Customer detail number ${i}`, thread);
      else await world.agentReplies(thread, `Agent answer number ${i}`);
    }
    const { escalation, cardTs } = await world.escalate(thread, 'Data missing after migration');
    const card = world.fake.message(L2, cardTs)!;
    const button = (
      card.blocks as Array<{
        elements?: Array<{ action_id: string; value?: string; text: { text: string } }>;
      }>
    )
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'escalator:view_conversation');
    expect(button).toMatchObject({ value: escalation.id, text: { text: 'View conversation (45)' } });

    const opened = world.fake.callsTo('views.open').length;
    await world.expectOk(
      sendInteraction(
        world.eventsUrl,
        SECRET,
        blockAction({
          actionId: 'escalator:view_conversation',
          channel: L2,
          user: 'U0BOB',
          message: card as unknown as Record<string, unknown>,
          messageTs: cardTs,
        }),
      ),
    );
    const call = await eventually(() => world.fake.callsTo('views.open')[opened], 'the conversation');
    const first = world.openView(call);
    const text = (view: OpenView) => JSON.stringify(view.blocks);
    const pageButtons = (view: OpenView) =>
      view.blocks
        .filter((b) => b.type === 'actions')
        .flatMap((b) => (b.elements ?? []).map((e) => e.action_id));

    expect(first.title.text).toBe('Conversation #1');
    expect(text(first)).toContain('Page 1 of 2 · 45 messages');
    expect(text(first)).toContain('*<@U0CUSTOMER>* (customer)');
    expect(text(first)).toContain('Our dashboard shows no data since the migration.');
    expect(text(first)).not.toContain('Agent answer number 40');
    expect(pageButtons(first)).toEqual(['escalator:transcript_newer']);
    expect(first.blocks.length).toBeLessThanOrEqual(100);
    expect(blockKitProblems(first.blocks)).toEqual([]);

    await world.clickInView(
      first,
      { blockId: 'escalator_transcript_pages', actionId: 'escalator:transcript_newer' },
      { user: 'U0BOB' },
    );
    const last = world.currentView(first.id);
    expect(text(last)).toContain('Page 2 of 2 · 45 messages');
    expect(text(last)).toContain('Agent answer number 44');
    expect(text(last)).not.toContain('Our dashboard shows no data');
    expect(pageButtons(last)).toEqual(['escalator:transcript_older']);

    await world.clickInView(
      last,
      { blockId: 'escalator_transcript_pages', actionId: 'escalator:transcript_older' },
      { user: 'U0BOB' },
    );
    const back = world.currentView(first.id);
    expect(text(back)).toContain('Page 1 of 2');
    expect(pageButtons(back)).toEqual(['escalator:transcript_newer']);
  });

  it('the resolve form asks for an optional reusable answer, and stores it when given', async () => {
    const withAnswer = await world.customerPosts(EXPORT_PROBLEMS[0]!);
    const first = await world.escalate(withAnswer, 'CSV export fails');
    const opened = world.fake.callsTo('views.open').length;
    await world.resolve(first.escalation.id, first.cardTs, {
      note: 'Cleared the export cache.',
      answer: '  Settings → Data → Clear export cache, then export again.  ',
    });
    const form = world.fake.callsTo('views.open')[opened]!.args.view as OpenView;
    const answerInput = form.blocks.find((b) => b.block_id === 'answer') as unknown as {
      optional: boolean;
      label: { text: string };
    };
    expect(answerInput.optional).toBe(true);
    expect(answerInput.label.text).toBe('Reusable answer for the frontline (for knowledge gaps)');

    const without = await world.customerPosts(UNRELATED_PROBLEM);
    const second = await world.escalate(without, 'Address change');
    await world.resolve(second.escalation.id, second.cardTs, {
      note: 'Changed it.',
      rootCause: 'customer_request',
    });

    const answers = await world.app.ctx.store.knowledge.listAnswers();
    expect(answers.map((a) => [a.escalationNumber, a.answer])).toEqual([
      [first.escalation.number, 'Settings → Data → Clear export cache, then export again.'],
    ]);
  });

  describe('@escalator escalate in a thread with similar past escalations', () => {
    async function mention(
      thread: string,
      { eventId = newEventId(), retryNum, command = 'escalate P2 export still failing' } = {} as {
        eventId?: string;
        retryNum?: number;
        command?: string;
      },
    ) {
      const event = appMentionEvent({
        channel: SUPPORT,
        user: AGENT,
        threadTs: thread,
        text: `<@U0BOT> ${command}`,
        eventId,
      });
      await world.expectOk(sendEvent(world.eventsUrl, SECRET, event, retryNum ? { retryNum } : {}));
    }
    const offers = () =>
      world.fake
        .callsTo('chat.postEphemeral')
        .filter(
          (c) => c.args.user === AGENT && JSON.stringify(c.args.blocks ?? []).includes('escalator:solved'),
        );

    function click(
      offer: (typeof world.fake.calls)[number],
      thread: string,
      blockId: string,
      actionId: string,
      id: string,
    ) {
      return world.expectOk(
        sendInteraction(
          world.eventsUrl,
          SECRET,
          ephemeralBlockAction({
            blocks: offer.args.blocks as unknown[],
            channel: SUPPORT,
            user: AGENT,
            threadTs: thread,
            blockId,
            actionId,
            responseUrl: world.fake.responseUrl(id),
          }),
        ),
      );
    }

    it('shows the suggestions once (even when Slack repeats the event) and escalates once however often "Escalate anyway" is clicked', async () => {
      await solved(EXPORT_PROBLEMS[0]!, { note: 'Cleared the stale export cache.' });
      const thread = await world.customerPosts(NEW_EXPORT_PROBLEM);
      const issue = await world.issueOf(thread);

      const eventId = newEventId();
      await mention(thread, { eventId });
      const [offer] = await eventually(() => (offers().length ? offers() : undefined), 'the suggestions');
      expect(offer!.args.thread_ts).toBe(thread);
      expect(JSON.stringify(offer!.args.blocks)).toContain('Escalate anyway');
      expect(blockKitProblems(offer!.args.blocks, String(offer!.args.text))).toEqual([]);
      await mention(thread, { eventId, retryNum: 1 }); // Slack's retry of the same event
      expect(await world.app.ctx.store.escalations.listForIssue(issue.id)).toEqual([]);

      // A double click: both clicks are answered with what the first did.
      await click(offer!, thread, 'escalator_before_escalating', 'escalator:escalate_anyway', 'anyway-1');
      await world.fake.waitForResponse((_b, r) => r.id === 'anyway-1');
      await click(offer!, thread, 'escalator_before_escalating', 'escalator:escalate_anyway', 'anyway-2');
      const second = await world.fake.waitForResponse((_b, r) => r.id === 'anyway-2');
      const confirmation = `Escalated issue #${issue.number} to *L2 Tech* as #2.`;
      for (const id of ['anyway-1', 'anyway-2']) {
        expect(world.fake.responses.find((r) => r.id === id)?.body).toMatchObject({
          replace_original: true,
          text: expect.stringContaining(confirmation),
        });
      }
      expect(second.failed).toBeUndefined();

      const escalations = await world.app.ctx.store.escalations.listForIssue(issue.id);
      expect(escalations).toHaveLength(1);
      expect(escalations[0]).toMatchObject({ reason: 'export still failing', priority: 'P2' });
      await world.fake.waitFor(
        'chat.postMessage',
        (args) => args.channel === L2 && JSON.stringify(args.blocks ?? '').includes('export still failing'),
      );
      expect(offers()).toHaveLength(1);
    });

    it('"This solved it" in the answer closes the thread and replaces the answer with what happened', async () => {
      await solved(EXPORT_PROBLEMS[0]!, { note: 'Cleared the stale export cache.' });
      const thread = await world.customerPosts(NEW_EXPORT_PROBLEM);
      const issue = await world.issueOf(thread);
      await mention(thread);
      const [offer] = await eventually(() => (offers().length ? offers() : undefined), 'the suggestions');

      await click(offer!, thread, 'escalator_suggestion_0', 'escalator:solved', 'solved-1');

      const replaced = await world.fake.waitForResponse((_b, r) => r.id === 'solved-1');
      expect(replaced.body).toMatchObject({
        replace_original: true,
        text: expect.stringContaining(`Closed issue #${issue.number} with the fix from escalation #1`),
      });
      expect((await world.app.ctx.store.issues.get(issue.id))?.status).toBe('resolved');
      expect(await world.app.ctx.store.escalations.listForIssue(issue.id)).toEqual([]);
    });

    it('with nothing similar, the mention escalates at once as before', async () => {
      await solved(EXPORT_PROBLEMS[0]!, { note: 'Cleared the stale export cache.' });
      const thread = await world.customerPosts(UNRELATED_PROBLEM);
      const issue = await world.issueOf(thread);
      await mention(thread, { command: 'escalate the new address needs the account admin' });
      const confirmation = await eventually(
        () =>
          world.fake
            .callsTo('chat.postEphemeral')
            .find((c) => c.args.user === AGENT && c.args.thread_ts === thread),
        'the answer to the mention',
      );
      expect(confirmation.args.text).toContain(`Escalated issue #${issue.number} to *L2 Tech* as #2`);
      expect(await world.app.ctx.store.escalations.listForIssue(issue.id)).toHaveLength(1);
      expect(offers()).toEqual([]);
    });
  });
});
