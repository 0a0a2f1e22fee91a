import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { type Actor, claimEscalation, escalateFurther } from '../../../src/app/act-on-escalation.js';
import { authorizeResponder } from '../../../src/app/authorize-responder.js';
import type { AppContext } from '../../../src/app/context.js';
import { getEscalation } from '../../../src/app/find-threads.js';
import { tellUser } from '../../../src/app/tell-user.js';
import { isEscalatorError } from '../../../src/domain/errors.js';
import { isActive } from '../../../src/domain/escalation.js';
import { type EscalationAction, nextStatus } from '../../../src/domain/transitions.js';
import { learnSlackPerson } from '../learn-people.js';
import { bounceModal, dismissModal, resolveModal } from '../modals.js';
import { ACTION_PREFIX } from '../render-block-kit.js';
import { replies } from '../replies.js';
import { toCore } from '../slack-ids.js';
import type { SlackHandlerDeps } from './deps.js';

/** Buttons that open a form first, and the transition the form leads to. */
const FORM_ACTIONS: Record<string, EscalationAction> = {
  resolve: 'resolve',
  bounce: 'bounce',
  not_an_escalation: 'dismiss',
};

const CARD_ACTION = new RegExp(`^${ACTION_PREFIX}(claim|resolve|bounce|escalate_further|not_an_escalation)$`);

/**
 * How long the membership check may take before a form opens anyway: Slack's `trigger_id` is
 * valid for 3 s after the click. The form's submission is checked again, so a late answer only
 * costs the person a form they cannot submit.
 */
const BEFORE_FORM_BUDGET_MS = 1_500;

/**
 * Clicks on card buttons. Claim and Escalate further act at once; Resolve and Bounce back open a
 * form first. Whoever loses a race or clicks a stale card is told privately what happened.
 */
export function registerCardActions(app: App, { ctx, log }: SlackHandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(CARD_ACTION, async ({ action, body, ack, client }) => {
    await ack();
    await learnSlackPerson(ctx, client, body.user.id, log);
    const escalationId = action.value ?? '';
    const user = toCore(body.user.id);
    const channel = toCore(body.channel?.id ?? '');
    const who: Actor = { actor: user, source: 'slack' };
    const verb = action.action_id.slice(ACTION_PREFIX.length);
    const tell = (text: string) => tellUser(ctx, { channel, userId: user }, replies.fromCore(text));

    try {
      if (verb === 'claim') {
        await claimEscalation(ctx, escalationId, who);
      } else if (verb === 'escalate_further') {
        const { followUp } = await escalateFurther(ctx, escalationId, who);
        if (followUp)
          await tell(
            `Escalated further as #${followUp.number} to *${followUp.pathSnapshot.levels[followUp.level]?.name}*.`,
          );
      } else {
        const escalation = await getEscalation(ctx, escalationId);
        if (!escalation) return void (await tell('That escalation no longer exists.'));
        // Check before opening the form, so a stale card or a person who may not act here gets an
        // answer instead of a form that fails. (Submitting the form checks both again.)
        const transition = FORM_ACTIONS[verb] ?? 'bounce';
        await mayActBeforeForm(ctx, escalation.id, who, transition);
        if (!isActive(escalation)) nextStatus(escalation, transition);
        const view =
          verb === 'resolve'
            ? resolveModal(escalation.id, escalation.number)
            : verb === 'not_an_escalation'
              ? dismissModal(escalation.id, escalation.number)
              : bounceModal(escalation.id, escalation.number);
        await client.views.open({ trigger_id: body.trigger_id, view });
      }
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      log.info({ escalationId, user, code: error.code }, 'card action refused');
      await tell(error.message);
    }
  });

  // The "Open thread" link button still sends an action; acknowledge it so Slack shows no error.
  app.action(new RegExp(`^${ACTION_PREFIX}open_thread_\\d+$`), async ({ ack }) => {
    await ack();
  });
}

/** Refuses (with the reason) a person who may not act at the level, if the answer comes in time. */
async function mayActBeforeForm(ctx: AppContext, escalationId: string, who: Actor, action: EscalationAction) {
  const check = authorizeResponder(ctx, escalationId, who, action);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), BEFORE_FORM_BUDGET_MS);
  });
  try {
    await Promise.race([check, late]);
  } finally {
    clearTimeout(timer);
    // A refusal that comes after the form opened is audited; the submission is refused too.
    check.catch(() => {});
  }
}
