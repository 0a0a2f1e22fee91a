/**
 * Coded errors the core raises for things a person did that cannot happen (claiming a resolved
 * escalation, escalating an untracked thread). Adapters turn the code into a clear reply; the
 * message is already written for the person who clicked or typed.
 */
export const ERROR_CODES = [
  'issue_not_found',
  'escalation_not_found',
  'not_a_support_channel',
  'already_escalated',
  'already_claimed',
  'illegal_transition',
  'stale_action',
  'no_higher_level',
  'unknown_path',
  'unknown_priority',
  'invalid_input',
  'duplicate',
  // The person is not allowed to do this at this level (not a member, not a listed responder).
  'not_allowed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class EscalatorError extends Error {
  override readonly name = 'EscalatorError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isEscalatorError(error: unknown, code?: ErrorCode): error is EscalatorError {
  return error instanceof EscalatorError && (code === undefined || error.code === code);
}
