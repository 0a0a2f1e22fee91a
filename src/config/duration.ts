/**
 * Durations in configuration are short, human strings (`30s`, `15m`, `4h`, `2d`, `1w`) so an admin
 * never has to count milliseconds. Inside the program they are always milliseconds.
 */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** Units from largest to smallest, so `formatDuration` picks the largest exact one. */
const UNITS_DESCENDING: Unit[] = ['w', 'd', 'h', 'm', 's'];

/** Said in every duration error, so the admin sees what to write instead. */
export const DURATION_HINT = 'use a number followed by s, m, h, d or w, such as 30s, 15m, 4h, 2d, 1w';

// A positive whole number (no leading zero, no sign, no decimals) and one unit letter, nothing else.
const DURATION = /^([1-9][0-9]*)([smhdw])$/;

/** `"15m"` -> 900000. Throws an Error that says what is allowed. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`${JSON.stringify(text)} is not a duration: ${DURATION_HINT}`);
  const ms = Number(match[1]) * UNIT_MS[match[2] as Unit];
  // Absurdly large numbers would lose precision and make timers misbehave.
  if (!Number.isSafeInteger(ms))
    throw new Error(`${JSON.stringify(text)} is too long a duration: ${DURATION_HINT}`);
  return ms;
}

/** 1800000 -> "30m", 5400000 -> "90m": the largest unit that divides exactly, so it parses back. */
export function formatDuration(ms: number): string {
  if (Number.isInteger(ms) && ms > 0) {
    for (const unit of UNITS_DESCENDING) {
      if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
    }
  }
  // Not expressible in whole seconds (only possible for computed values, never for parsed ones).
  return `${ms}ms`;
}
