import type { App, BlockAction, ButtonAction, RespondFn, StaticSelectAction } from '@slack/bolt';
import { findActiveEscalation } from '../../../src/app/find-threads.js';
import { closeAsSolved } from '../../../src/app/knowledge/close-as-solved.js';
import { tellUser } from '../../../src/app/tell-user.js';
import { isEscalatorError } from '../../../src/domain/errors.js';
import { ESCALATE_ANYWAY_ACTION } from '../before-escalating-message.js';
import { escalateFormView, formThreads, suggestionsForForm } from '../escalate-form.js';
import { parseEscalateAnywayValue, parseSolvedValue } from '../knowledge-values.js';
import { learnSlackPerson } from '../learn-people.js';
import { FIELD, fieldValue, MODALS, noticeModal, VALUE } from '../modals.js';
import { replies } from '../replies.js';
import { toCore } from '../slack-ids.js';
import { SOLVED_ACTION } from '../suggestion-blocks.js';
import { updateView } from '../update-view.js';
import type { SlackHandlerDeps } from './deps.js';
import { escalatedText, escalateFromThread } from './escalate-from-thread.js';
import { anywayKey } from './offer-before-escalating.js';

type Values = Parameters<typeof fieldValue>[0];

const NOT_OURS =
  'That button did not come from Escalator as it is now. Open the escalate form again (or mention @escalator in the thread).';

/**
 * "Before you escalate": a thread picked in the escalate form gets its similar past escalations
 * under it; "This solved it" (in the form, or in the answer to a mention) closes the thread without
 * escalating; "Escalate anyway" (after a mention) escalates as the mention asked.
 */
export function registerBeforeEscalatingActions(app: App, deps: SlackHandlerDeps): void {
  const { ctx, log } = deps;

  // The thread select has `dispatch_action`: Slack tells us each pick while the form is open.
  app.action<BlockAction<StaticSelectAction>>(
    { block_id: FIELD.thread, action_id: VALUE },
    async ({ ack, body, action, client }) => {
      await ack();
      const view = body.view;
      if (!view || view.callback_id !== MODALS.escalate) return;
      const { channel } = JSON.parse(view.private_metadata) as { channel: string };
      const issue = await ctx.store.issues.get(action.selected_option?.value ?? '');
      // What the agent typed so far says what the thread is about too.
      const said = fieldValue(view.state.values as Values, FIELD.reason);
      const [threads, suggestions] = await Promise.all([
        formThreads(deps, channel, issue),
        issue ? suggestionsForForm(deps, issue, said) : Promise.resolve([]),
      ]);
      const next = await escalateFormView(deps, { channel, threads, issue, reason: said, suggestions });
      await updateView(client, view, next, log);
    },
  );

  app.action<BlockAction<ButtonAction>>(SOLVED_ACTION, async ({ ack, body, action, client, respond }) => {
    await ack();
    await learnSlackPerson(ctx, client, body.user.id, log);
    const view = body.container?.type === 'view' ? body.view : undefined;
    const answer = async (title: string, text: string) => {
      if (view) await updateView(client, view, noticeModal(title, text), log);
      else await answerInPlace(deps, respond, body, text);
    };
    const choice = parseSolvedValue(action.value);
    if (!choice) return void (await answer('Not closed', NOT_OURS));
    try {
      const { issue, entry } = await closeAsSolved(ctx, {
        issueId: choice.issueId,
        entryId: choice.entryId,
        actor: toCore(body.user.id),
        source: 'slack',
        // Slack repeats a click it thinks went unanswered with the same trigger_id: close (and count) once.
        eventKey: `slack:solved:${body.trigger_id ?? action.action_ts}`,
      });
      await answer(
        'Solved',
        `✅ Closed issue #${issue.number} with the fix from escalation #${entry.escalationNumber}. It was not escalated; the thread has a note saying what solved it.`,
      );
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      log.info({ issue: choice.issueId, code: error.code }, '"This solved it" refused');
      // A repeat of a click already answered: in a message that first answer stays. (A modal shows
      // it only if nothing changed the modal meanwhile: see updateView.)
      if (error.code === 'duplicate' && !view) return;
      await answer('Not closed', `*Not closed.* ${replies.fromCore(error.message)}`);
    }
  });

  app.action<BlockAction<ButtonAction>>(
    ESCALATE_ANYWAY_ACTION,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      await learnSlackPerson(ctx, client, body.user.id, log);
      const request = parseEscalateAnywayValue(action.value);
      if (!request) return void (await answerInPlace(deps, respond, body, NOT_OURS));
      const issue = await ctx.store.issues.get(request.issueId);
      if (!issue)
        return void (await answerInPlace(
          deps,
          respond,
          body,
          'That thread is not tracked by Escalator any more.',
        ));
      const reply = await escalateFromThread(ctx, issue, {
        actor: toCore(body.user.id),
        reason: request.reason,
        path: request.path,
        priority: request.priority,
        eventKey: anywayKey(request.eventId),
      });
      if (reply) return void (await answerInPlace(deps, respond, body, reply));
      // A second click (or Slack repeating the first) on an escalation already made: the message
      // says what the first click did, again, rather than keep buttons that do nothing.
      const active = await findActiveEscalation(ctx, issue.id);
      if (active) await answerInPlace(deps, respond, body, escalatedText(issue, active));
    },
  );
}

/**
 * Replaces the private message the button was on (its `response_url`), so its buttons go away; when
 * that fails, the answer still reaches the person as a new private message.
 */
async function answerInPlace(
  { ctx, log }: SlackHandlerDeps,
  respond: RespondFn,
  body: BlockAction,
  text: string,
): Promise<void> {
  try {
    await respond({ replace_original: true, text });
  } catch (error) {
    log.warn({ error: (error as Error).message }, 'could not replace the message; answering anew');
    const container = body.container as { channel_id?: string; thread_ts?: string };
    const channel = body.channel?.id ?? container.channel_id;
    if (!channel) return;
    await tellUser(
      ctx,
      { channel: toCore(channel), userId: toCore(body.user.id), threadId: container.thread_ts },
      text,
    );
  }
}
