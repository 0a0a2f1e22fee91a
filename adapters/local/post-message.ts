import { digestOnDemand } from '../../src/app/digest/on-demand.js';
import { escalateIssue } from '../../src/app/escalate-issue.js';
import { findThread } from '../../src/app/find-threads.js';
import { pastFixesForMention } from '../../src/app/knowledge/find-similar-past.js';
import { trackMessage } from '../../src/app/track-message.js';
import { withdrawEscalation } from '../../src/app/withdraw-escalation.js';
import { isEscalatorError } from '../../src/domain/errors.js';
import type { LocalMessage } from '../../src/ports/local-workspace.js';
import { parseEscalateCommand } from '../shared/parse-escalate-command.js';
import { parseWithdrawCommand } from '../shared/parse-withdraw-command.js';
import { suggestionsCard } from './before-escalating.js';
import { BadRequest } from './http/json-io.js';
import { drawn } from './local-chat.js';
import { commandReplyId, postedMessageId } from './local-ids.js';
import { PERSONAS, type Persona, personaOf } from './personas.js';
import type { Workspace } from './workspace.js';

/** The longest message a persona may post (Slack's own limit). */
export const MAX_MESSAGE_CHARS = 40_000;

/** What the page sends to post as a persona. */
export interface PostRequest {
  channel: string;
  /** The root message's id, to reply in its thread. */
  threadId?: string;
  authorId: string;
  text: string;
  /** Chosen by the page for each message; the same one twice stores the message once. */
  clientId: string;
}

/** Either the message as posted, or (for a command) the private reply to it. */
export type PostOutcome = { message: LocalMessage } | { reply: LocalMessage };

export const COMMAND_HELP = [
  'Commands:',
  '• in a support thread: /escalate [to <path>] [P1-P4] <reason> (or "@Escalator escalate <reason>", which',
  '  first shows similar past escalations, if any, with "This solved it" and "Escalate anyway"),',
  '  and /withdraw [reason] (or "@Escalator withdraw") to take back an unclaimed escalation;',
  '• anywhere: /escalation-digest [this week|last week|YYYY-Www] [path].',
].join('\n');

/**
 * Posts a persona's message as the platforms' adapters would receive it: stored in the workspace,
 * then given to `trackMessage` (in a support channel it opens or continues an issue, and the
 * checker reads it for triggers). A command is not posted: it runs, and its answer is a private
 * reply only the persona sees.
 */
export async function postMessage(ws: Workspace, request: PostRequest): Promise<PostOutcome> {
  const author = personaOf(request.authorId);
  if (!author) {
    throw new BadRequest(
      `authorId "${request.authorId}" is nobody here: use one of ${PERSONAS.map((p) => p.id).join(', ')}.`,
    );
  }
  if (!ws.channel(request.channel)) {
    throw new BadRequest(
      `There is no channel "${request.channel}" in the local workspace: use one of ${ws.channels.map((c) => c.id).join(', ')}.`,
      404,
    );
  }
  if (request.threadId !== undefined) {
    const root = await ws.messages.get(request.threadId);
    if (!root || root.channel !== request.channel || root.threadId !== null) {
      throw new BadRequest(
        `There is no thread "${request.threadId}" in ${request.channel}: give the id of its first message.`,
        404,
      );
    }
  }
  if (request.text.length > MAX_MESSAGE_CHARS) {
    throw new BadRequest(`The text is longer than ${MAX_MESSAGE_CHARS} characters: shorten it.`);
  }
  const command = commandOf(request.text);
  if (command) return { reply: await runCommand(ws, author, request, command) };

  const at = ws.ctx.clock.now();
  const message = await ws.store({
    id: postedMessageId(author.id, request.clientId),
    channel: request.channel,
    threadId: request.threadId ?? null,
    authorId: author.id,
    kind: 'text',
    text: request.text,
    card: null,
    csat: null,
    visibleTo: null,
    createdAt: at,
    updatedAt: at,
  });
  // Its own event key: a retried request is stored once and tracked once, whichever step it reached.
  await trackMessage(ws.ctx, {
    eventKey: `local:message:${message.id}`,
    channel: message.channel,
    messageId: message.id,
    threadId: message.threadId ?? message.id,
    author: { id: author.id, role: author.role === 'customer' ? 'customer' : 'staff' },
    text: request.text,
    at: message.createdAt,
  });
  return { message };
}

type Command =
  /** `via: 'mention'` offers similar past escalations first; `/escalate` is the form's submit and escalates. */
  | { kind: 'escalate'; text: string; via: 'slash' | 'mention' }
  | { kind: 'withdraw'; reason: string }
  | { kind: 'digest'; text: string }
  | { kind: 'unknown'; said: string };

/** `/escalate …`, `/withdraw …`, `/escalation-digest …`, or `@Escalator <command>`; undefined for words. */
export function commandOf(text: string): Command | undefined {
  const trimmed = text.trim();
  const slash = /^\/([\w-]+)(?:\s+([\s\S]*))?$/.exec(trimmed);
  if (slash) {
    const [, name = '', rest = ''] = slash;
    switch (name.toLowerCase()) {
      case 'escalate':
        return { kind: 'escalate', text: `escalate ${rest}`, via: 'slash' };
      case 'withdraw':
        return { kind: 'withdraw', reason: rest.trim() };
      case 'escalation-digest':
        return { kind: 'digest', text: rest };
      default:
        return { kind: 'unknown', said: `/${name}` };
    }
  }
  const mention = /^@escalator\b[\s,:]*([\s\S]*)$/i.exec(trimmed);
  if (!mention) return undefined;
  const said = mention[1] ?? '';
  const digest = /^digest\b([\s\S]*)$/i.exec(said.trim());
  if (digest) return { kind: 'digest', text: digest[1] ?? '' };
  const withdraw = parseWithdrawCommand(said);
  if (withdraw) return { kind: 'withdraw', reason: withdraw.reason };
  if (parseEscalateCommand(said).verb === 'escalate') return { kind: 'escalate', text: said, via: 'mention' };
  return { kind: 'unknown', said: `@Escalator ${said.split(/\s+/)[0] ?? ''}`.trim() };
}

/**
 * Runs a command and stores its private reply. The reply is named after the request, so the same
 * request sent again gets the first answer back instead of running twice.
 */
async function runCommand(
  ws: Workspace,
  author: Persona,
  request: PostRequest,
  command: Command,
): Promise<LocalMessage> {
  const id = commandReplyId(author.id, request.clientId);
  const earlier = await ws.messages.get(id);
  if (earlier) return earlier;
  const answer = await answerCommand(ws, author, request, command, `local:command:${id}`);
  const at = ws.ctx.clock.now();
  return ws.store({
    id,
    channel: request.channel,
    threadId: request.threadId ?? null,
    authorId: null,
    kind: 'ephemeral',
    text: answer.text,
    card: answer.card ?? null,
    csat: null,
    visibleTo: author.id,
    createdAt: at,
    updatedAt: at,
  });
}

async function answerCommand(
  ws: Workspace,
  author: Persona,
  request: PostRequest,
  command: Command,
  eventKey: string,
): Promise<{ text: string; card?: LocalMessage['card'] }> {
  const { ctx } = ws;
  switch (command.kind) {
    case 'unknown':
      return { text: `Escalator does not know "${command.said}".\n${COMMAND_HELP}` };
    case 'digest': {
      const answer = await digestOnDemand(ctx, { text: command.text, channel: request.channel });
      if (!answer.ok) return { text: answer.message };
      return { text: answer.card.fallback, card: await drawn(answer.card) };
    }
    case 'escalate':
    case 'withdraw': {
      if (!request.threadId) {
        const example = command.kind === 'escalate' ? '/escalate <reason>' : '/withdraw [reason]';
        return {
          text: `Use ${example} inside the customer's thread: open the thread, then type it in the reply box.`,
        };
      }
      const lookup = await findThread(ctx, request.channel, request.threadId);
      if (!lookup.found) {
        return {
          text:
            lookup.why === 'not_a_support_channel'
              ? 'Escalator escalates threads of the support channels only; this channel is not one of them.'
              : 'Escalator has not seen this thread. Ask the customer to reply in it, then escalate again.',
        };
      }
      try {
        if (command.kind === 'withdraw') {
          const withdrawn = await withdrawEscalation(ctx, {
            issueId: lookup.issue.id,
            actor: author.id,
            source: 'local',
            reason: command.reason,
          });
          return {
            text: `You withdrew escalation #${withdrawn.number}; the thread is back with the frontline.`,
          };
        }
        const parsed = parseEscalateCommand(command.text);
        if (!parsed.reason) {
          return {
            text: 'Say why you are escalating: /escalate [to <path>] [P1-P4] <reason>, e.g. "/escalate P2 refund needs approval". The reason is what the specialist reads first.',
          };
        }
        if (command.via === 'mention') {
          const offered = await offerSimilarPast(ws, lookup.issue.id, parsed);
          if (offered) return offered;
        }
        const escalation = await escalateIssue(ctx, {
          issueId: lookup.issue.id,
          reason: parsed.reason,
          path: parsed.path,
          priority: parsed.priority,
          actor: author.id,
          source: 'local',
          eventKey,
        });
        const level = escalation.pathSnapshot.levels[0];
        const where = level?.channel ? ` The card is in <#${level.channel}|${level.name}>.` : '';
        return {
          text: `Escalated to ${level?.name ?? escalation.path} as #${escalation.number} (${escalation.priority}).${where} Updates will appear in this thread.`,
        };
      } catch (error) {
        if (!isEscalatorError(error)) throw error;
        if (error.code === 'duplicate') return { text: 'Already escalated.' };
        return { text: error.message };
      }
    }
  }
}

/**
 * "Before you escalate", for `@Escalator escalate …`: the similar past escalations as a private card
 * with "This solved it" and "Escalate anyway"; nothing is escalated yet. Undefined (escalate right
 * away) when nothing is similar enough, or when the escalation would be refused anyway (an unknown
 * path, an escalation already open): the agent hears that at once, not after choosing.
 */
async function offerSimilarPast(
  ws: Workspace,
  issueId: string,
  parsed: ReturnType<typeof parseEscalateCommand>,
): Promise<{ text: string; card: LocalMessage['card'] } | undefined> {
  const { ctx } = ws;
  const similar = await pastFixesForMention(ctx, { id: issueId }, parsed);
  if (similar.length === 0) return undefined;
  const card = suggestionsCard(
    similar,
    {
      issueId,
      reason: parsed.reason,
      ...(parsed.path ? { path: parsed.path } : {}),
      ...(parsed.priority ? { priority: parsed.priority } : {}),
    },
    ctx.clock.now(),
  );
  return { text: card.fallback, card };
}
