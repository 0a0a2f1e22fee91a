import { lastRunBetween, parseCronSchedule } from '../../domain/digest/cron-schedule.js';
import { isoWeekContaining, weekBefore } from '../../domain/digest/period.js';
import { newId } from '../../domain/ids.js';
import type { AppContext } from '../context.js';
import { buildDigestReport } from './build-report.js';
import { buildDigestCard } from './digest-card.js';

/** The weekly digest covers everything; on-demand reports may be limited to a path. */
const SCOPE = 'all';

export type DigestOutcome =
  | { sent: true; period: string; channels: string[] }
  | { sent: false; why: 'no_digest_configured' | 'not_due_yet' | 'already_sent' | 'not_watching_yet' };

/**
 * Sends last week's digest if its run is due: the schedule has fired since the week ended (in the
 * policy timezone) and no `digests` row says it was sent. Called on every cron run and once at
 * start, so a run missed while Escalator was down is caught up, and a restart never sends twice
 * (the row and the outbox entries are written in one transaction; the row's unique key settles a
 * race between two replicas).
 */
export async function sendDueDigest(ctx: AppContext): Promise<DigestOutcome> {
  const digest = ctx.policy.digest;
  if (!digest) return { sent: false, why: 'no_digest_configured' };
  const { timezone } = ctx.policy;
  const now = ctx.clock.now();
  const week = weekBefore(isoWeekContaining(now, timezone), timezone);
  // The minute the week ends counts: "0 0 * * mon" fires exactly then.
  const ranSince = lastRunBetween(
    parseCronSchedule(digest.schedule),
    new Date(week.to.getTime() - 60_000),
    now,
    timezone,
  );
  if (!ranSince) return { sent: false, why: 'not_due_yet' };
  if (await ctx.store.digests.find(week.label, SCOPE)) return { sent: false, why: 'already_sent' };
  // A new installation does not report on the week before it watched anything.
  const firstIssue = await ctx.store.analytics.firstIssueOpenedAt();
  if (!firstIssue || firstIssue >= week.to) return { sent: false, why: 'not_watching_yet' };

  const report = await buildDigestReport(ctx.store, {
    period: week,
    previousPeriod: weekBefore(week, timezone),
    path: null,
    timeZone: timezone,
    now,
  });
  const sent = await ctx.store.transaction(async (tx) => {
    const claimed = await tx.digests.claim({
      id: newId('dig', now),
      period: week.label,
      scope: SCOPE,
      channels: digest.channels,
      sentAt: now,
    });
    if (!claimed) return false;
    for (const channel of digest.channels) {
      const card = buildDigestCard(report, { policy: ctx.policy, channel, full: false });
      await tx.outbox.add(
        `digest:${week.label}:${channel}`,
        { kind: 'post_digest', channel, card, period: week.label },
        now,
      );
    }
    return true;
  });
  if (!sent) return { sent: false, why: 'already_sent' };
  ctx.outboxChanged();
  return { sent: true, period: week.label, channels: digest.channels };
}
