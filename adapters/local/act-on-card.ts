import {
  bounceEscalation,
  claimEscalation,
  escalateFurther,
  resolveEscalation,
} from '../../src/app/act-on-escalation.js';
import { dismissEscalation } from '../../src/app/dismiss-escalation.js';
import { recordCsat } from '../../src/app/record-csat.js';
import { CARD_ACTIONS, type CardActionId } from '../../src/domain/card.js';
import { isEscalatorError } from '../../src/domain/errors.js';
import { ROOT_CAUSE_LABELS, ROOT_CAUSES, type RootCause } from '../../src/domain/policy.js';
import { BadRequest } from './http/json-io.js';
import { PERSONAS, type Persona, personaOf } from './personas.js';
import type { Workspace } from './workspace.js';

/** A click on a card button, with what its form asked for. */
export interface ActionRequest {
  /** The card clicked, when known: it must be a message of the workspace. */
  messageId?: string;
  escalationId: string;
  action: string;
  personId: string;
  /** `answer`: with Resolve, the reusable answer for the frontline (optional; meant for knowledge gaps). */
  inputs?: { note?: string; rootCause?: string; answer?: string; reason?: string };
}

/**
 * What the person is told: `done` when the change was made (the card and the thread show it as
 * the outbox delivers), else `reply` says why not ("already claimed by …", "pick a root cause").
 */
export type ActionOutcome = { done: true; status: string } | { done: false; reply: string };

/** The same use cases as the Slack and Teams card buttons, acting as the persona. */
export async function actOnCard(ws: Workspace, request: ActionRequest): Promise<ActionOutcome> {
  const person = persona(request.personId);
  if (!CARD_ACTIONS.includes(request.action as CardActionId)) {
    throw new BadRequest(
      `action "${request.action}" is not a card button: use one of ${CARD_ACTIONS.join(', ')}.`,
    );
  }
  if (request.messageId !== undefined) {
    const card = await ws.messages.get(request.messageId);
    if (card?.kind !== 'card') throw new BadRequest(`There is no card "${request.messageId}" here.`, 404);
  }
  if (!(await ws.ctx.store.escalations.get(request.escalationId))) {
    throw new BadRequest(`There is no escalation "${request.escalationId}".`, 404);
  }
  const who = { actor: person.id, source: 'local' as const };
  const inputs = request.inputs ?? {};
  const id = request.escalationId;
  try {
    const changed = await (async () => {
      switch (request.action as CardActionId) {
        case 'claim':
          return claimEscalation(ws.ctx, id, who);
        case 'resolve':
          if (!ROOT_CAUSES.includes(inputs.rootCause as RootCause)) {
            return `Pick a root cause (${ROOT_CAUSES.map((c) => `${c}: ${ROOT_CAUSE_LABELS[c]}`).join(', ')}) and write what fixed it, then Resolve again.`;
          }
          return resolveEscalation(ws.ctx, id, who, {
            note: inputs.note ?? '',
            rootCause: inputs.rootCause as RootCause,
            ...(inputs.answer ? { answer: inputs.answer } : {}),
          });
        case 'bounce':
          return (await bounceEscalation(ws.ctx, id, who, { reason: inputs.reason ?? '' })).escalation;
        case 'escalate_further':
          return (await escalateFurther(ws.ctx, id, who, { reason: inputs.reason })).escalation;
        case 'not_an_escalation':
          return dismissEscalation(ws.ctx, id, who, { reason: inputs.reason });
      }
    })();
    if (typeof changed === 'string') return { done: false, reply: changed };
    return { done: true, status: changed.status };
  } catch (error) {
    if (!isEscalatorError(error)) throw error;
    return { done: false, reply: await ws.readable(error.message) };
  }
}

/** A click on a CSAT prompt's rating: the first answer counts, later ones are told who rated. */
export async function rateEscalation(
  ws: Workspace,
  request: { escalationId: string; score: unknown; personId: string },
): Promise<{ done: boolean; reply: string }> {
  const person = persona(request.personId);
  const score = request.score;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) {
    throw new BadRequest('score must be a whole number from 1 (poor) to 5 (great).');
  }
  if (!(await ws.ctx.store.escalations.get(request.escalationId))) {
    throw new BadRequest(`There is no escalation "${request.escalationId}".`, 404);
  }
  try {
    const result = await recordCsat(ws.ctx, {
      escalationId: request.escalationId,
      score,
      respondent: person.id,
      source: 'local',
    });
    if (result.outcome === 'recorded') {
      // The prompt now shows the rating: tell the pages to read it again.
      const prompt = await ws.messages.findCsatPrompt(request.escalationId);
      if (prompt) ws.feed.publish({ channel: prompt.channel, threadId: prompt.threadId, id: prompt.id });
      return { done: true, reply: await ws.readable(result.thanks) };
    }
    return { done: false, reply: await ws.readable(result.message ?? result.thanks) };
  } catch (error) {
    if (!isEscalatorError(error)) throw error;
    return { done: false, reply: await ws.readable(error.message) };
  }
}

function persona(id: string): Persona {
  const found = personaOf(id);
  if (!found) {
    throw new BadRequest(
      `personId "${id}" is nobody here: use one of ${PERSONAS.map((p) => p.id).join(', ')}.`,
    );
  }
  return found;
}
