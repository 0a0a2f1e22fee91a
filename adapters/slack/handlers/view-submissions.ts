import type { App, ViewSubmitAction } from '@slack/bolt';
import { bounceEscalation, resolveEscalation } from '../../../src/app/act-on-escalation.js';
import { threadOfIssue } from '../../../src/app/backfill-messages.js';
import { dismissEscalation } from '../../../src/app/dismiss-escalation.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import { tellUser } from '../../../src/app/tell-user.js';
import { type EscalatorError, isEscalatorError } from '../../../src/domain/errors.js';
import type { Priority, RootCause } from '../../../src/domain/policy.js';
import { backfillSlackThread } from '../backfill-thread.js';
import { learnSlackPerson } from '../learn-people.js';
import { FIELD, fieldValue, MODALS } from '../modals.js';
import { replies } from '../replies.js';
import { toCore } from '../slack-ids.js';
import type { SlackHandlerDeps } from './deps.js';

type Values = Parameters<typeof fieldValue>[0];

/** Time for reading the thread from Slack before the form's answer is due (Slack waits 3 s). */
const BEFORE_ACK_BUDGET_MS = 1_500;

/**
 * Form submissions. The work is a local database transaction (milliseconds), so it runs before
 * the ack: that way a problem shows inline in the form, next to the field to fix. The escalate form
 * first reads the thread from Slack (within a budget) so the card has the messages Escalator missed.
 */
export function registerViewSubmissions(app: App, deps: SlackHandlerDeps): void {
  const { ctx, log } = deps;
  app.view<ViewSubmitAction>(MODALS.escalate, async ({ ack, view, body, client }) => {
    void learnSlackPerson(ctx, client, body.user.id, log);
    const values = view.state.values as Values;
    const { channel } = JSON.parse(view.private_metadata) as { channel: string };
    const user = toCore(body.user.id);
    const issueId = fieldValue(values, FIELD.thread);
    const reason = fieldValue(values, FIELD.reason) ?? '';
    if (!issueId)
      return void (await ack({
        response_action: 'errors',
        errors: { [FIELD.thread]: 'Pick the thread to escalate.' },
      }));
    if (!reason.trim()) {
      return void (await ack({
        response_action: 'errors',
        errors: { [FIELD.reason]: 'Say why: the specialist reads this first.' },
      }));
    }
    // Messages Escalator missed (it joined late, an event was lost) go on the card too.
    const thread = await threadOfIssue(ctx, issueId);
    if (thread?.channel.startsWith('slack:')) {
      await backfillSlackThread(
        deps,
        client,
        { channel: thread.channel, threadTs: thread.threadId },
        { budgetMs: BEFORE_ACK_BUDGET_MS },
      );
    }
    try {
      const escalation = await escalateIssue(ctx, {
        issueId,
        reason,
        path: fieldValue(values, FIELD.path),
        priority: fieldValue(values, FIELD.priority) as Priority | undefined,
        reasonCategory: (fieldValue(values, FIELD.why) as RootCause | undefined) ?? null,
        actor: user,
        source: 'slack',
        // One view id per opened form: a double submit escalates once.
        eventKey: `slack:view:${view.id}`,
      });
      await ack();
      const level = escalation.pathSnapshot.levels[0]?.name ?? escalation.path;
      await tellUser(
        ctx,
        { channel, userId: user },
        `Escalated to *${level}* as #${escalation.number}. Updates will appear in the thread.`,
      );
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      if (error.code === 'duplicate') return void (await ack());
      await ack({
        response_action: 'errors',
        errors: { [fieldFor(error)]: replies.fromCore(error.message) },
      });
    }
  });

  app.view<ViewSubmitAction>(MODALS.resolve, async ({ ack, view, body }) => {
    const values = view.state.values as Values;
    const { escalationId } = JSON.parse(view.private_metadata) as { escalationId: string };
    const note = fieldValue(values, FIELD.note) ?? '';
    const rootCause = fieldValue(values, FIELD.rootCause) as RootCause | undefined;
    if (!note.trim())
      return void (await ack({ response_action: 'errors', errors: { [FIELD.note]: 'Say what fixed it.' } }));
    if (!rootCause)
      return void (await ack({
        response_action: 'errors',
        errors: { [FIELD.rootCause]: 'Pick the root cause.' },
      }));
    await submitChange(
      ack,
      async () => {
        await resolveEscalation(
          ctx,
          escalationId,
          { actor: toCore(body.user.id), source: 'slack' },
          // The reusable answer is optional; an empty field sends none.
          { note, rootCause, answer: fieldValue(values, FIELD.answer) },
        );
      },
      FIELD.note,
    );
  });

  app.view<ViewSubmitAction>(MODALS.dismiss, async ({ ack, view, body }) => {
    const values = view.state.values as Values;
    const { escalationId } = JSON.parse(view.private_metadata) as { escalationId: string };
    const reason = fieldValue(values, FIELD.reason) ?? '';
    await submitChange(
      ack,
      async () => {
        await dismissEscalation(
          ctx,
          escalationId,
          { actor: toCore(body.user.id), source: 'slack' },
          { reason },
        );
      },
      FIELD.reason,
    );
  });

  app.view<ViewSubmitAction>(MODALS.bounce, async ({ ack, view, body }) => {
    const values = view.state.values as Values;
    const { escalationId } = JSON.parse(view.private_metadata) as { escalationId: string };
    const reason = fieldValue(values, FIELD.reason) ?? '';
    if (!reason.trim())
      return void (await ack({
        response_action: 'errors',
        errors: { [FIELD.reason]: 'Say why it goes back.' },
      }));
    await submitChange(
      ack,
      async () => {
        await bounceEscalation(
          ctx,
          escalationId,
          { actor: toCore(body.user.id), source: 'slack' },
          { reason },
        );
      },
      FIELD.reason,
    );
  });
}

/** Runs a change; a refusal (someone resolved it meanwhile) is shown in the form. */
async function submitChange(
  ack: (response?: { response_action: 'errors'; errors: Record<string, string> }) => Promise<void>,
  work: () => Promise<void>,
  field: string,
): Promise<void> {
  try {
    await work();
    await ack();
  } catch (error) {
    if (!isEscalatorError(error)) throw error;
    await ack({ response_action: 'errors', errors: { [field]: replies.fromCore(error.message) } });
  }
}

function fieldFor(error: EscalatorError): string {
  switch (error.code) {
    case 'unknown_path':
      return FIELD.path;
    case 'unknown_priority':
      return FIELD.priority;
    case 'invalid_input':
      return FIELD.reason;
    default:
      return FIELD.thread;
  }
}
