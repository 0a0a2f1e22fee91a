import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { findActiveEscalation, findThread } from '../../../src/app/find-threads.js';
import { tellUser } from '../../../src/app/tell-user.js';
import type { Issue } from '../../../src/domain/issue.js';
import type { Priority } from '../../../src/domain/policy.js';
import { type ChatCommand, parseEscalateCommand } from '../../shared/parse-escalate-command.js';
import { backfillSlackThread } from '../backfill-thread.js';
import { escalateFormView, formThreads, suggestionsForForm } from '../escalate-form.js';
import { learnSlackPerson } from '../learn-people.js';
import { replies } from '../replies.js';
import { parsePermalink, toCore } from '../slack-ids.js';
import type { SlackHandlerDeps } from './deps.js';
import { escalateFromThread } from './escalate-from-thread.js';
import { offerBeforeEscalating } from './offer-before-escalating.js';
import { isWithdrawMention, withdrawFromThread } from './withdraw-command.js';

const ESCALATE_SHORTCUT = 'escalate_thread';

/**
 * Time for reading a thread from Slack before answering a request Slack wants answered within 3 s
 * (a slash command's ack, a shortcut's `trigger_id`).
 */
const BEFORE_ACK_BUDGET_MS = 1_500;

/**
 * The three ways a frontline agent escalates by hand: `/escalate` (a form, or a thread link and a
 * reason), the "Escalate thread" message shortcut, and `@escalator escalate <reason>` in a thread
 * (Slack runs no slash commands inside threads).
 */
export function registerEscalateEntryPoints(app: App, deps: SlackHandlerDeps): void {
  const { ctx } = deps;

  app.command('/escalate', async ({ command, ack, client }) => {
    void learnSlackPerson(ctx, client, command.user_id, deps.log);
    const channel = toCore(command.channel_id);
    const user = toCore(command.user_id);
    const text = command.text.trim();
    if (text === 'help') return void (await ack({ response_type: 'ephemeral', text: replies.usage }));

    const link = parsePermalink(text);
    if (link) {
      const thread = { channel: toCore(link.channel), threadTs: link.threadTs };
      let lookup = await findThread(ctx, thread.channel, thread.threadTs);
      // A thread of a support channel Escalator never saw (it joined late): read it from Slack.
      const untracked = !lookup.found && lookup.why === 'untracked';
      if (untracked) {
        await backfillSlackThread(deps, client, thread, { budgetMs: BEFORE_ACK_BUDGET_MS });
        lookup = await findThread(ctx, thread.channel, thread.threadTs);
      }
      if (!lookup.found)
        return void (await ack({ response_type: 'ephemeral', text: replies.lookup(lookup, ctx.policy) }));
      const reason = text.replace(/<?https:\/\/\S+>?/, '').trim();
      if (!reason) {
        await ack();
        return openEscalateForm(deps, client, {
          triggerId: command.trigger_id,
          channel: lookup.issue.channel,
          user,
          issue: lookup.issue,
        });
      }
      await ack();
      // Messages Escalator missed go on the card too (the form's submit does the same).
      if (!untracked) await backfillSlackThread(deps, client, thread);
      return escalateAndConfirm(deps, lookup.issue, { actor: user, reason, replyIn: channel });
    }

    const lookup = await findThread(ctx, channel, '-');
    if (!lookup.found && lookup.why === 'not_a_support_channel') {
      return void (await ack({ response_type: 'ephemeral', text: replies.notSupportChannel(ctx.policy) }));
    }
    await ack();
    await openEscalateForm(deps, client, { triggerId: command.trigger_id, channel, user, reason: text });
  });

  app.shortcut(ESCALATE_SHORTCUT, async ({ shortcut, ack, client }) => {
    await ack();
    await learnSlackPerson(ctx, client, shortcut.user.id, deps.log);
    if (shortcut.type !== 'message_action') return;
    const channel = toCore(shortcut.channel.id);
    const user = toCore(shortcut.user.id);
    const message = shortcut.message as { ts: string; thread_ts?: string };
    const threadTs = message.thread_ts ?? message.ts;
    let lookup = await findThread(ctx, channel, threadTs);
    // Escalator joined after the thread started: read it from Slack so it can be escalated. (For a
    // tracked thread, the form's submit fills in missed messages.)
    if (!lookup.found && lookup.why === 'untracked') {
      await backfillSlackThread(deps, client, { channel, threadTs }, { budgetMs: BEFORE_ACK_BUDGET_MS });
      lookup = await findThread(ctx, channel, threadTs);
    }
    if (!lookup.found) {
      await tellUser(
        ctx,
        { channel, userId: user, threadId: message.thread_ts },
        replies.lookup(lookup, ctx.policy),
      );
      return;
    }
    await openEscalateForm(deps, client, {
      triggerId: shortcut.trigger_id,
      channel,
      user,
      issue: lookup.issue,
    });
  });

  app.event('app_mention', async ({ event, body, client }) => {
    if (!event.user) return;
    await learnSlackPerson(ctx, client, event.user, deps.log);
    const channel = toCore(event.channel);
    const user = toCore(event.user);
    const command = parseMentionCommand(event.text ?? '');
    const inThread = event.thread_ts;
    if (isWithdrawMention(event.text ?? '')) {
      await withdrawFromThread(deps, { channel, user, threadTs: inThread, text: event.text ?? '' });
      return;
    }
    if (command.verb !== 'escalate') {
      await tellUser(ctx, { channel, userId: user, threadId: inThread }, replies.mentionUsage);
      return;
    }
    if (!inThread) {
      await tellUser(ctx, { channel, userId: user }, replies.mentionOutsideThread);
      return;
    }
    // Read the thread from Slack first: messages Escalator missed belong on the card, and a thread
    // it never saw (it joined late) becomes escalatable.
    await backfillSlackThread(deps, client, { channel, threadTs: inThread });
    const lookup = await findThread(ctx, channel, inThread);
    if (!lookup.found) {
      await tellUser(ctx, { channel, userId: user, threadId: inThread }, replies.lookup(lookup, ctx.policy));
      return;
    }
    const eventId = (body as { event_id?: string }).event_id ?? event.ts;
    // Similar resolved escalations first: the agent may find the fix there and need no escalation.
    const offered = await offerBeforeEscalating(deps, client, {
      issue: lookup.issue,
      channel,
      user,
      threadTs: inThread,
      command,
      eventId,
    });
    if (offered) return;
    await escalateAndConfirm(deps, lookup.issue, {
      actor: user,
      reason: command.reason,
      path: command.path,
      priority: command.priority,
      replyIn: channel,
      threadId: inThread,
      // Slack retries an event it thinks went unanswered, with the same event_id: escalate (and answer) once.
      eventKey: `slack:mention:${eventId}`,
    });
  });
}

async function openEscalateForm(
  deps: SlackHandlerDeps,
  client: WebClient,
  form: { triggerId: string; channel: string; user: string; issue?: Issue; reason?: string },
): Promise<void> {
  const { ctx } = deps;
  const { channel, user, issue } = form;
  const active = issue ? await findActiveEscalation(ctx, issue.id) : undefined;
  if (issue && active) {
    const level = active.pathSnapshot.levels[active.level]?.name ?? active.path;
    const state = active.claimedBy ? `claimed by <@${active.claimedBy}>` : 'waiting to be claimed';
    await tellUser(
      ctx,
      { channel, userId: user },
      replies.fromCore(
        `Issue #${issue.number} is already escalated as #${active.number} (${level}, ${state}).`,
      ),
    );
    return;
  }
  // A resolved thread can be escalated again (a re-escalation): it comes first.
  const threads = await formThreads(deps, channel, issue);
  if (threads.length === 0) {
    await tellUser(ctx, { channel, userId: user }, replies.noOpenThreads(channel.slice('slack:'.length)));
    return;
  }
  // "Before you escalate": the chosen thread's similar past escalations, in the form itself.
  const suggestions = issue ? await suggestionsForForm(deps, issue, form.reason) : [];
  await client.views.open({
    trigger_id: form.triggerId,
    view: await escalateFormView(deps, { channel, threads, issue, reason: form.reason, suggestions }),
  });
}

async function escalateAndConfirm(
  { ctx }: SlackHandlerDeps,
  issue: Issue,
  request: {
    actor: string;
    reason: string;
    path?: string;
    priority?: Priority;
    replyIn: string;
    threadId?: string;
    eventKey?: string;
  },
): Promise<void> {
  const reply = await escalateFromThread(ctx, issue, request);
  // undefined: a repeat, answered the first time.
  if (reply)
    await tellUser(
      ctx,
      { channel: request.replyIn, userId: request.actor, threadId: request.threadId },
      reply,
    );
}

/** `escalate [to <path>] [P1-P4] <reason>` after the bot's leading mention (later ones stay in the reason). */
export function parseMentionCommand(text: string): ChatCommand {
  return parseEscalateCommand(text.replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>/, ''));
}
