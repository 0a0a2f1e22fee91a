import { expect } from 'vitest';
import { type ErrorCode, EscalatorError } from '../../../src/domain/errors.js';

/** Awaits `promise`, expects it to reject with an `EscalatorError` of `code`, and returns the error. */
export async function expectRefused(promise: Promise<unknown>, code: ErrorCode): Promise<EscalatorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EscalatorError);
  expect((error as EscalatorError).code).toBe(code);
  return error as EscalatorError;
}
