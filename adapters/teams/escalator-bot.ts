import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  CardFactory,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import {
  bounceEscalation,
  claimEscalation,
  escalateFurther,
  resolveEscalation,
} from '../../src/app/act-on-escalation.js';
import type { AppContext } from '../../src/app/context.js';
import { currentCard } from '../../src/app/current-card.js';
import { digestOnDemand } from '../../src/app/digest/on-demand.js';
import { namesOf, rememberConversation, rememberPerson } from '../../src/app/directory.js';
import { dismissEscalation } from '../../src/app/dismiss-escalation.js';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import { findActiveEscalation, findThread, listThreadChoices } from '../../src/app/find-threads.js';
import {
  escalationChannels,
  listMyEscalations,
  myEscalationsText,
} from '../../src/app/list-my-escalations.js';
import { csatThanks, recordCsat } from '../../src/app/record-csat.js';
import { tellUser } from '../../src/app/tell-user.js';
import { trackMessage } from '../../src/app/track-message.js';
import { updateMessage } from '../../src/app/update-message.js';
import { withdrawEscalation } from '../../src/app/withdraw-escalation.js';
import { isEscalatorError } from '../../src/domain/errors.js';
import { type Priority, ROOT_CAUSES, type RootCause } from '../../src/domain/policy.js';
import type { Logger } from '../../src/ports/logger.js';
import { parseEscalateCommand } from '../shared/parse-escalate-command.js';
import { parseWithdrawCommand } from '../shared/parse-withdraw-command.js';
import { mentionedIds } from '../shared/people.js';
import {
  answerBeforeEscalatingClick,
  closeWithPastFix,
  offerPastFixes,
  plainMentions,
  suggestionsFor,
} from './before-escalating.js';
import { conversationRequestOf, conversationTask, taskMessage } from './conversation-task.js';
import { CSAT_VERB, csatAnsweredCard, csatPromptCard } from './csat-card.js';
import { escalateForm } from './forms.js';
import { type AdaptiveCard, INPUT, renderAdaptiveCard } from './render-adaptive-card.js';
import { ESCALATE_ANYWAY_VERB, SOLVED_VERB } from './suggestions-card.js';
import { renderTeamsCard, type TeamsConversationData } from './teams-chat.js';
import { anyChannelOf, channelOf, plainText, threadRootOf, toCore } from './teams-ids.js';
import { teamsReplies } from './teams-replies.js';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const MINE_HINT = 'In this chat, write "mine" to list the escalations you claimed and the unclaimed ones.';

/**
 * Escalator's Teams bot: channel messages become issues, `@Escalator escalate` and the "Escalate"
 * message action escalate, and `Action.Execute` clicks on cards claim, resolve, bounce and escalate
 * further. Every change goes through the same use cases as Slack.
 */
export class EscalatorBot extends TeamsActivityHandler {
  constructor(
    private readonly ctx: AppContext,
    private readonly log: Logger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    // Someone joined or left a team: the rosters Escalator keeps for "who may act" are stale.
    this.onMembersAdded(async (_context, next) => {
      ctx.directory?.forget('teams:');
      await next();
    });
    this.onMembersRemoved(async (_context, next) => {
      ctx.directory?.forget('teams:');
      await next();
    });
    this.onTeamsMessageEditEvent(async (context, next) => {
      const { activity } = context;
      const channel = channelOf(activity);
      if (channel && activity.id) {
        await updateMessage(ctx, {
          eventKey: `teams:edit:${activity.id}:${String(activity.timestamp ?? '')}`,
          channel: toCore(channel),
          messageId: activity.id,
          text: plainText(activity.text),
          at: new Date(activity.timestamp ?? ctx.clock.now()),
        });
      }
      await next();
    });
    this.onTeamsMessageSoftDeleteEvent(async (context, next) => {
      const { activity } = context;
      const channel = channelOf(activity);
      if (channel && activity.id) {
        await updateMessage(ctx, {
          eventKey: `teams:delete:${activity.id}`,
          channel: toCore(channel),
          messageId: activity.id,
          at: new Date(activity.timestamp ?? ctx.clock.now()),
        });
      }
      await next();
    });
  }

  /** Learns how to reach the channel and who the sender is from every activity. */
  override async run(context: TurnContext): Promise<void> {
    const { activity } = context;
    const channel = anyChannelOf(activity);
    if (channel && activity.serviceUrl && activity.recipient?.id) {
      const data = activity.channelData as { tenant?: { id?: string }; team?: { id?: string } } | undefined;
      const reference: TeamsConversationData = {
        serviceUrl: activity.serviceUrl,
        tenantId: data?.tenant?.id ?? activity.conversation?.tenantId,
        teamId: data?.team?.id,
        botId: activity.recipient.id,
        botName: activity.recipient.name,
      };
      await rememberConversation(this.ctx, toCore(channel), 'teams', { ...reference });
    }
    if (activity.from?.id) await rememberPerson(this.ctx, userIdOf(activity.from), activity.from.name);
    await super.run(context);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const { activity } = context;
    const channel = channelOf(activity);
    if (!channel || !activity.id) {
      if (activity.conversation?.conversationType === 'personal') return this.personalChat(context);
      await context.sendActivity(teamsReplies.channelsOnly);
      return;
    }
    const core = toCore(channel);
    const threadId = threadRootOf(activity) ?? activity.id;
    const author = userIdOf(activity.from);
    const mentionsBot = (activity.entities ?? []).some(
      (e) =>
        e.type === 'mention' &&
        (e as { mentioned?: { id?: string } }).mentioned?.id === activity.recipient?.id,
    );
    await trackMessage(this.ctx, {
      eventKey: `teams:activity:${activity.id}`,
      channel: core,
      messageId: activity.id,
      threadId,
      author: { id: author, teamId: (activity.channelData as { tenant?: { id?: string } })?.tenant?.id },
      text: plainText(activity.text),
      at: new Date(activity.timestamp ?? this.ctx.clock.now()),
    });
    if (!mentionsBot) return;

    const said = plainText(TurnContext.removeRecipientMention(activity) ?? activity.text);
    const digest = digestRequest(said);
    if (digest !== undefined) return this.replyWithDigest(context, digest, core);
    const command = parseEscalateCommand(said);
    const reply = (text: string) => tellUser(this.ctx, { channel: core, userId: author, threadId }, text);
    const withdraw = parseWithdrawCommand(said);
    if (withdraw) return this.withdraw({ channel: core, threadId, author, reason: withdraw.reason }, reply);
    if (command.verb !== 'escalate') return reply(teamsReplies.usage);
    const lookup = await findThread(this.ctx, core, threadId);
    if (!lookup.found) return reply(teamsReplies.lookup(lookup, this.ctx.policy));
    // Before escalating: past fixes that look alike are offered first, with "Escalate anyway".
    const offer = await offerPastFixes(
      this.ctx,
      lookup.issue,
      {
        issueId: lookup.issue.id,
        reason: command.reason,
        ...(command.path ? { path: command.path } : {}),
        ...(command.priority ? { priority: command.priority } : {}),
      },
      author,
    );
    if (offer) {
      // Teams has no private replies in channels: the card goes into the thread, on this turn (the
      // outbox carries neutral cards and texts only). A redelivered mention is offered once.
      if (
        !(await this.ctx.store.processedEvents.remember(`teams:suggest:${activity.id}`, this.ctx.clock.now()))
      ) {
        return;
      }
      try {
        await context.sendActivity({ type: 'message', attachments: [CardFactory.adaptiveCard(offer)] });
        return;
      } catch (error) {
        // The offer is remembered, so a redelivery would show nothing: escalate as asked instead,
        // as the agent would have without similar past escalations.
        this.log.warn(
          { issue: lookup.issue.id, error: (error as Error).message },
          'could not show similar past escalations; escalating as asked',
        );
      }
    }
    try {
      await escalateIssue(this.ctx, {
        issueId: lookup.issue.id,
        reason: command.reason,
        path: command.path,
        priority: command.priority,
        actor: author,
        source: 'teams',
        // The channel service redelivers an activity it thinks went unanswered: escalate (and answer) once.
        eventKey: `teams:mention:${activity.id}`,
      });
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      if (error.code === 'duplicate') return; // answered the first time
      await reply(error.message);
    }
  }

  /**
   * `@Escalator withdraw [why]` in the escalated thread: the agent who escalated takes it back
   * while it is unclaimed. The thread note shows it worked; a refusal is a reply to the person.
   */
  private async withdraw(
    request: { channel: string; threadId: string; author: string; reason: string },
    reply: (text: string) => Promise<void>,
  ): Promise<void> {
    const lookup = await findThread(this.ctx, request.channel, request.threadId);
    if (!lookup.found) return reply(teamsReplies.lookup(lookup, this.ctx.policy));
    try {
      await withdrawEscalation(this.ctx, {
        issueId: lookup.issue.id,
        actor: request.author,
        source: 'teams',
        reason: request.reason,
      });
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      await reply(error.message);
    }
  }

  /**
   * A 1:1 chat with the bot: `mine` (or `@Escalator mine`) lists the person's claimed escalations
   * and the unclaimed ones; anything else gets the help answer.
   */
  private async personalChat(context: TurnContext): Promise<void> {
    const { activity } = context;
    const words = plainText(TurnContext.removeRecipientMention(activity) ?? activity.text)
      .replace(/^@?escalator\b/i, '')
      .trim()
      .toLowerCase();
    const digest = digestRequest(words);
    if (digest !== undefined) return this.replyWithDigest(context, digest, 'teams:personal');
    if (words !== 'mine') {
      await context.sendActivity(`${teamsReplies.channelsOnly} ${MINE_HINT}`);
      return;
    }
    // Unclaimed ones: every Teams escalation channel of the policy. Whether the person is a member
    // of each would take a Graph/roster call per channel and team on every request, too costly here.
    const mine = await listMyEscalations(this.ctx, {
      person: userIdOf(activity.from),
      channels: escalationChannels(this.ctx, 'teams:'),
    });
    await context.sendActivity({
      type: 'message',
      textFormat: 'markdown',
      text: `**My escalations**\n\n${myEscalationsText(mine, 'the escalation channels')}`,
    });
  }

  /**
   * `@Escalator digest [this week|last week|YYYY-Www] [path]`: the full report as a card, in reply
   * to the request (in a channel: in its thread; Teams has no private replies in channels).
   */
  private async replyWithDigest(context: TurnContext, request: string, channel: string): Promise<void> {
    const answer = await digestOnDemand(this.ctx, { text: request, channel });
    if (!answer.ok) {
      await context.sendActivity(answer.message);
      return;
    }
    const card = await renderTeamsCard(answer.card, (ids) => namesOf(this.ctx, ids));
    await context.sendActivity({ type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
  }

  /** A click on a card button: act, then answer with the card as it is now (or why not). */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invoke: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const data = (invoke.action?.data ?? {}) as Record<string, string | undefined>;
    const escalationId = data.escalationId ?? '';
    const who = { actor: userIdOf(context.activity.from), source: 'teams' as const };
    if (invoke.action?.verb === CSAT_VERB) return this.rateCsat(escalationId, data.score, who.actor);
    if (invoke.action?.verb === SOLVED_VERB || invoke.action?.verb === ESCALATE_ANYWAY_VERB) {
      const value = await answerBeforeEscalatingClick(this.ctx, this.log, {
        verb: invoke.action.verb,
        data: (invoke.action.data ?? {}) as Record<string, unknown>,
        actor: who.actor,
        ...(context.activity.id ? { activityId: context.activity.id } : {}),
      });
      return { statusCode: 200, type: CARD_CONTENT_TYPE, value };
    }
    let banner: string | undefined;
    try {
      switch (invoke.action?.verb) {
        case 'claim':
          await claimEscalation(this.ctx, escalationId, who);
          break;
        case 'resolve': {
          const rootCause = data[INPUT.rootCause] as RootCause | undefined;
          if (!rootCause || !ROOT_CAUSES.includes(rootCause)) {
            banner = 'Pick the root cause, then Resolve again.';
            break;
          }
          await resolveEscalation(this.ctx, escalationId, who, {
            note: data[INPUT.note] ?? '',
            rootCause,
            answer: data[INPUT.answer],
          });
          break;
        }
        case 'bounce':
          await bounceEscalation(this.ctx, escalationId, who, { reason: data[INPUT.reason] ?? '' });
          break;
        case 'escalate_further':
          await escalateFurther(this.ctx, escalationId, who);
          break;
        case 'not_an_escalation':
          await dismissEscalation(this.ctx, escalationId, who, { reason: data[INPUT.dismissReason] });
          break;
        default:
          banner = `Unknown action "${invoke.action?.verb}".`;
      }
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      this.log.info({ escalationId, code: error.code }, 'card action refused');
      banner = error.message;
    }
    return { statusCode: 200, type: CARD_CONTENT_TYPE, value: await this.cardFor(escalationId, banner) };
  }

  /**
   * A click on a CSAT prompt's rating button: the first answer is stored and the clicker's prompt
   * becomes the thanks; a later click, or a score out of range, is answered on the card.
   */
  private async rateCsat(
    escalationId: string,
    rawScore: unknown,
    respondent: string,
  ): Promise<AdaptiveCardInvokeResponse> {
    const score =
      typeof rawScore === 'number' || typeof rawScore === 'string' ? Number(rawScore) : Number.NaN;
    const answer = (card: Record<string, unknown>) => ({
      statusCode: 200,
      type: CARD_CONTENT_TYPE,
      value: card,
    });
    const plain = async (text: string) => plainMentions(text, await namesOf(this.ctx, mentionedIds(text)));
    try {
      const result = await recordCsat(this.ctx, { escalationId, score, respondent, source: 'teams' });
      const banner = result.message ? await plain(result.message) : undefined;
      return answer(csatAnsweredCard(await plain(result.thanks), banner));
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      this.log.info({ escalationId, code: error.code }, 'CSAT answer refused');
      // The prompt as it should look now (answered or not), with why the click changed nothing.
      const banner = await plain(error.message);
      const escalation = await this.ctx.store.escalations.get(escalationId);
      if (!escalation) return answer(csatAnsweredCard(undefined, banner));
      const stored = await this.ctx.store.csat.forEscalation(escalationId);
      return answer(
        stored
          ? csatAnsweredCard(await plain(csatThanks(escalation.number, stored)), banner)
          : csatPromptCard({ escalationId, number: escalation.number }, banner),
      );
    }
  }

  private async cardFor(escalationId: string, banner?: string) {
    try {
      const card = await currentCard(this.ctx, escalationId);
      const names = await namesOf(this.ctx, [
        ...mentionedIds(JSON.stringify(card)),
        ...mentionedIds(banner ?? ''),
      ]);
      return renderAdaptiveCard(card, names, { banner: banner ? `⚠️ ${banner}` : undefined });
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      return {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: `⚠️ ${error.message}`, wrap: true, color: 'Attention' }],
      };
    }
  }

  /** "Escalate" on a message (⋯ → More actions): the form, with the message's thread chosen. */
  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const { activity } = context;
    const channel = channelOf(activity);
    const threadId = threadRootOf(activity, action.messagePayload?.replyToId ?? action.messagePayload?.id);
    if (!channel || !threadId) return message(teamsReplies.channelsOnly);
    const lookup = await findThread(this.ctx, toCore(channel), threadId);
    if (!lookup.found) return message(teamsReplies.lookup(lookup, this.ctx.policy));
    const active = await findActiveEscalation(this.ctx, lookup.issue.id);
    if (active)
      return message(teamsReplies.alreadyEscalated(lookup.issue.number, active, await this.names(active)));
    const [choice] = await listThreadChoices(this.ctx, [lookup.issue]);
    const before = await suggestionsFor(this.ctx, lookup.issue);
    return form(
      escalateForm(this.ctx.policy, lookup.issue, choice?.preview ?? '', undefined, before),
      before.suggestions.length > 0,
    );
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const data = (action.data ?? {}) as Record<string, string | undefined>;
    const issue = data.issueId ? await this.ctx.store.issues.get(data.issueId) : undefined;
    if (!issue) return message('That thread is no longer tracked by Escalator.');
    if (data.solvedEntryId) return this.solvedFromForm(context, issue.id, data.solvedEntryId);
    if (!data.reason?.trim()) {
      const [choice] = await listThreadChoices(this.ctx, [issue]);
      const before = await suggestionsFor(this.ctx, issue);
      return form(
        escalateForm(
          this.ctx.policy,
          issue,
          choice?.preview ?? '',
          'Say why: the specialist reads this first.',
          before,
        ),
        before.suggestions.length > 0,
      );
    }
    try {
      const escalation = await escalateIssue(this.ctx, {
        issueId: issue.id,
        reason: data.reason,
        path: data.path,
        priority: data.priority as Priority | undefined,
        reasonCategory: ROOT_CAUSES.includes(data.why as RootCause) ? (data.why as RootCause) : null,
        actor: userIdOf(context.activity.from),
        source: 'teams',
        eventKey: `teams:submit:${context.activity.id}`,
      });
      const level = escalation.pathSnapshot.levels[0]?.name ?? escalation.path;
      return message(`Escalated to ${level} as #${escalation.number}. Updates will appear in the thread.`);
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      if (error.code === 'duplicate') return message('Already escalated.');
      return message(plainMentions(error.message, await namesOf(this.ctx, mentionedIds(error.message))));
    }
  }

  /** "This solved it" in the form: the issue is closed with that past fix instead of escalated. */
  private async solvedFromForm(
    context: TurnContext,
    issueId: string,
    entryId: string,
  ): Promise<MessagingExtensionActionResponse> {
    const { activity } = context;
    try {
      return message(
        await closeWithPastFix(this.ctx, {
          issueId,
          entryId,
          actor: userIdOf(activity.from),
          // Teams resends an invoke it thinks went unanswered: the thread is closed (and credited) once.
          ...(activity.id ? { eventKey: `teams:solved:${activity.id}` } : {}),
        }),
      );
    } catch (error) {
      if (!isEscalatorError(error)) throw error;
      this.log.info({ issueId, code: error.code }, '"This solved it" refused');
      return message(plainMentions(error.message, await namesOf(this.ctx, mentionedIds(error.message))));
    }
  }

  /** "View conversation" on a card: the escalation's whole thread in a task module, a page at a time. */
  protected override handleTeamsTaskModuleFetch(
    _context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    return this.conversationDialog(request);
  }

  /** Older / Newer inside the conversation task module: the page it leads to, in the same dialog. */
  protected override handleTeamsTaskModuleSubmit(
    _context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    return this.conversationDialog(request);
  }

  private async conversationDialog(request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const conversation = conversationRequestOf(request.data);
    if (!conversation) return taskMessage(UNKNOWN_DIALOG);
    return conversationTask(this.ctx, conversation);
  }

  private names(e: { claimedBy: string | null }) {
    return namesOf(this.ctx, e.claimedBy ? [e.claimedBy] : []);
  }
}

/** People on Teams are known by their Entra object id where Teams gives it (what admins list as staff). */
export function userIdOf(from: { id: string; aadObjectId?: string } | undefined): string {
  return toCore(from?.aadObjectId ?? from?.id ?? 'unknown');
}

const UNKNOWN_DIALOG =
  'Escalator does not know that dialog. Open it again from the card; if it still fails, the card may be from an older version.';

function message(text: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: text } };
}

/** The escalate form as a task module; `tall` when suggestions make it longer than its inputs. */
function form(card: AdaptiveCard, tall = false): MessagingExtensionActionResponse {
  return {
    task: {
      type: 'continue',
      value: {
        title: 'Escalate thread',
        height: tall ? 'large' : 'medium',
        width: 'medium',
        card: CardFactory.adaptiveCard(card),
      },
    },
  };
}

/** What follows "digest" when that is the command ("digest last week tech" → "last week tech"). */
function digestRequest(said: string): string | undefined {
  const match = /^\s*@?(?:escalator\s+)?digest\b(.*)$/is.exec(said);
  return match ? match[1]!.trim() : undefined;
}
