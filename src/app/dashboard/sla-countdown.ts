import type { Escalation } from '../../domain/escalation.js';

/** The SLA clock running on an escalation, as the dashboard shows it. */
export interface SlaCountdown {
  /** Which deadline runs: claiming while open, resolving once claimed. */
  kind: 'claim' | 'resolve';
  dueAt: string;
  /** Until the deadline; negative once it passed. */
  remainingMs: number;
  overdue: boolean;
  /** "12m 05s left", "overdue by 12m". */
  text: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The deadline that runs now: the claim deadline while open (the resolve deadline when its level
 * sets no claim deadline), the resolve deadline once claimed; null when none runs.
 */
export function runningCountdown(
  e: Pick<Escalation, 'status' | 'ackDueAt' | 'resolveDueAt'>,
  now: Date,
): SlaCountdown | null {
  if (e.status !== 'open' && e.status !== 'claimed') return null;
  const [kind, due] =
    e.status === 'open' && e.ackDueAt
      ? (['claim', e.ackDueAt] as const)
      : (['resolve', e.resolveDueAt] as const);
  if (!due) return null;
  const remainingMs = due.getTime() - now.getTime();
  return {
    kind,
    dueAt: due.toISOString(),
    remainingMs,
    overdue: remainingMs < 0,
    text: countdownText(remainingMs),
  };
}

/**
 * A countdown as a lead reads it at a glance: seconds only in the last hour, "overdue by" once
 * late (whole minutes: the seconds of a miss do not matter). dashboard.js writes the same text
 * every second in the browser; keep the two in step.
 */
export function countdownText(remainingMs: number): string {
  const late = remainingMs < 0;
  const ms = Math.abs(remainingMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  let text: string;
  if (ms < MINUTE) text = `${Math.floor(ms / SECOND)}s`;
  else if (ms < HOUR) {
    const minutes = Math.floor(ms / MINUTE);
    text = late ? `${minutes}m` : `${minutes}m ${pad(Math.floor((ms % MINUTE) / SECOND))}s`;
  } else if (ms < 2 * DAY) text = `${Math.floor(ms / HOUR)}h ${pad(Math.floor((ms % HOUR) / MINUTE))}m`;
  else text = `${Math.floor(ms / DAY)}d ${Math.floor((ms % DAY) / HOUR)}h`;
  return late ? `overdue by ${text}` : `${text} left`;
}
