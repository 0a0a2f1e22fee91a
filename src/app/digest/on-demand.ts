import type { Card } from '../../domain/card.js';
import { isoWeekByLabel, isoWeekContaining, weekBefore } from '../../domain/digest/period.js';
import type { DigestReport } from '../../domain/digest/report.js';
import type { Policy } from '../../domain/policy.js';
import type { Clock } from '../../ports/clock.js';
import type { AppContext } from '../context.js';
import { buildDigestReport, type DigestSource } from './build-report.js';
import { buildDigestCard } from './digest-card.js';

export const DIGEST_USAGE =
  'Ask for `this week`, `last week` or an ISO week such as `2026-W14`, optionally followed by a path name (`last week tech`).';

export type DigestRequest = { week: 'this' | 'last' | string; path: string | null };

/**
 * Reads what a team lead typed after `/escalation-digest` (or `@Escalator digest`): a week, then
 * optionally a path. Nothing means this week so far.
 */
export function parseDigestRequest(
  text: string,
  paths: string[],
): { ok: true; request: DigestRequest } | { ok: false; message: string } {
  let rest = text.trim().replace(/\s+/g, ' ');
  let week: DigestRequest['week'] = 'this';
  const named = /^(this|last) week\b/i.exec(rest);
  const iso = /^(\d{4}-w\d{2})\b/i.exec(rest);
  if (named) {
    week = named[1]!.toLowerCase() as 'this' | 'last';
    rest = rest.slice(named[0].length).trim();
  } else if (iso) {
    week = iso[1]!.toUpperCase();
    rest = rest.slice(iso[0].length).trim();
  }
  if (rest === '') return { ok: true, request: { week, path: null } };
  const path = paths.find((p) => p.toLowerCase() === rest.toLowerCase());
  if (path) return { ok: true, request: { week, path } };
  const known = paths.length > 0 ? ` Paths: ${paths.join(', ')}.` : '';
  return { ok: false, message: `"${rest}" is neither a week nor a path. ${DIGEST_USAGE}${known}` };
}

/**
 * The report for what someone typed (`last week tech`), built by the digest's own report builder;
 * a request that cannot be read, or a week not started yet, comes back with what to type. Used
 * by the on-demand command and the dashboard's period picker, so both read weeks the same way.
 */
export async function requestedReport(
  ctx: { store: DigestSource; policy: Policy; clock: Clock },
  text: string,
): Promise<{ ok: true; report: DigestReport } | { ok: false; message: string }> {
  const parsed = parseDigestRequest(text, Object.keys(ctx.policy.paths));
  if (!parsed.ok) return parsed;
  const { timezone } = ctx.policy;
  const now = ctx.clock.now();
  const thisWeek = isoWeekContaining(now, timezone);
  const { week, path } = parsed.request;
  const period =
    week === 'this'
      ? thisWeek
      : week === 'last'
        ? weekBefore(thisWeek, timezone)
        : isoWeekByLabel(week, timezone);
  if (!period) return { ok: false, message: `${week} is not a week of that year. ${DIGEST_USAGE}` };
  if (period.from > now)
    return { ok: false, message: `${period.label} has not started yet. ${DIGEST_USAGE}` };
  const report = await buildDigestReport(ctx.store, {
    period,
    previousPeriod: weekBefore(period, timezone),
    path,
    timeZone: timezone,
    now,
  });
  return { ok: true, report };
}

/**
 * The full report for a week (and path) that someone asked for, as a card for their platform. A
 * read only: nothing is stored and nothing is sent to anyone else.
 */
export async function digestOnDemand(
  ctx: AppContext,
  input: { text: string; channel: string },
): Promise<{ ok: true; card: Card } | { ok: false; message: string }> {
  const answer = await requestedReport(ctx, input.text);
  if (!answer.ok) return answer;
  return {
    ok: true,
    card: buildDigestCard(answer.report, { policy: ctx.policy, channel: input.channel, full: true }),
  };
}
