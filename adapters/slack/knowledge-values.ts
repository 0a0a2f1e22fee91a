import type { Priority } from '../../src/domain/policy.js';
import { truncate } from '../../src/domain/text.js';

/** Slack refuses a button whose value is longer than this. */
export const BUTTON_VALUE_MAX = 2000;

/** "This solved it": the past resolution (knowledge entry) the agent says fixed the thread (issue). */
export interface SolvedChoice {
  entryId: string;
  issueId: string;
}

/** "Escalate anyway" after a mention: what the mention asked for, so the click escalates just as it would have. */
export interface EscalateAnywayRequest {
  issueId: string;
  /** The mention's `event_id`: clicking twice (or Slack retrying the click) escalates once. */
  eventId: string;
  reason: string;
  path?: string;
  priority?: Priority;
}

export function solvedValue(choice: SolvedChoice): string {
  return JSON.stringify({ entry: choice.entryId, issue: choice.issueId });
}

/** Reads a "This solved it" button value; undefined when it is not one of ours. */
export function parseSolvedValue(value: string | undefined): SolvedChoice | undefined {
  const data = parseObject(value);
  if (!data || typeof data.entry !== 'string' || typeof data.issue !== 'string') return undefined;
  return { entryId: data.entry, issueId: data.issue };
}

/**
 * The "Escalate anyway" value. A reason too long to fit Slack's 2000 characters is cut (and
 * `cut` says so, for the agent to be told): everything else is a few dozen characters.
 */
export function escalateAnywayValue(request: EscalateAnywayRequest): { value: string; cut: boolean } {
  const encode = (reason: string) =>
    JSON.stringify({
      issue: request.issueId,
      event: request.eventId,
      ...(request.path ? { path: request.path } : {}),
      ...(request.priority ? { priority: request.priority } : {}),
      reason,
    });
  let reason = request.reason;
  let value = encode(reason);
  // JSON escapes (quotes, line breaks) make the value longer than the reason: cut until it fits.
  while (value.length > BUTTON_VALUE_MAX && reason.length > 1) {
    reason = truncate(reason, Math.max(1, reason.length - (value.length - BUTTON_VALUE_MAX) - 1));
    value = encode(reason);
  }
  return { value, cut: reason !== request.reason };
}

export function parseEscalateAnywayValue(value: string | undefined): EscalateAnywayRequest | undefined {
  const data = parseObject(value);
  if (!data) return undefined;
  const { issue, event, reason, path, priority } = data;
  if (typeof issue !== 'string' || typeof event !== 'string' || typeof reason !== 'string') return undefined;
  return {
    issueId: issue,
    eventId: event,
    reason,
    ...(typeof path === 'string' ? { path } : {}),
    ...(typeof priority === 'string' ? { priority: priority as Priority } : {}),
  };
}

function parseObject(value: string | undefined): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(value ?? '');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
