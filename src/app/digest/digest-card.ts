import type { Card, CardField, CardLink, CardSection } from '../../domain/card.js';
import { weekDates } from '../../domain/digest/period.js';
import type { Breakdown, DigestReport, MetricSet } from '../../domain/digest/report.js';
import { platformOf } from '../../domain/ids.js';
import type { Policy } from '../../domain/policy.js';
import { change, channelToken, duration, percent } from './digest-figures.js';

export interface DigestCardOptions {
  policy: Pick<Policy, 'timezone' | 'supportChannels'>;
  /** Where the card goes: decides how the "full report" command is written (Slack or Teams). */
  channel: string;
  /** The full report (on demand) adds every breakdown; the weekly digest stays short. */
  full: boolean;
}

/**
 * The digest as a neutral card: headline figures with week-over-week arrows, the top root causes
 * with an example thread each, the slowest level, the busiest channels, and how to get the rest.
 */
export function buildDigestCard(report: DigestReport, options: DigestCardOptions): Card {
  const { current: now, previous: before } = report;
  const { first, last } = weekDates(report.period, options.policy.timezone);
  const scope = report.path ? ` · path ${report.path}` : '';
  const title = `Escalation digest · ${report.period.label} (${shortDate(first)} – ${shortDate(last)})${scope}`;
  const headline =
    now.issues === null
      ? `*${now.escalations} escalations*${change.count(now.escalations, before.escalations)}`
      : `*${now.escalations} escalations* from ${now.issues} new issues${change.count(now.escalations, before.escalations)}`;
  const causes = report.rootCauses.slice(0, options.full ? report.rootCauses.length : 3);
  const links: CardLink[] = causes.flatMap((c) =>
    c.example
      ? [{ label: `Example of ${c.label.toLowerCase()}: #${c.example.escalationNumber}`, thread: c.example }]
      : [],
  );
  const sections: CardSection[] = [];
  if (causes.length > 0) {
    sections.push({
      heading: options.full ? 'Root causes' : 'Top root causes',
      text: causes
        .map(
          (c, i) =>
            `${i + 1}. ${c.label}: ${c.count} (${percent(c.share)})${change.count(c.count, c.previousCount)}${
              c.example ? ` · e.g. #${c.example.escalationNumber}` : ''
            }`,
        )
        .join('\n'),
    });
  }
  const slowest = slowestLevel(report.byLevel);
  if (slowest) {
    sections.push({
      heading: 'Slowest level',
      text: `${slowest.label}: median ${duration(slowest.current.timeToResolve.p50Ms)} to resolve (p90 ${duration(
        slowest.current.timeToResolve.p90Ms,
      )}), median ${duration(slowest.current.timeToClaim.p50Ms)} to claim`,
    });
  }
  const channels = report.byChannel.filter((b) => b.current.escalations > 0).slice(0, options.full ? 10 : 3);
  if (channels.length > 0) {
    sections.push({
      heading: 'Most escalations by support channel',
      text: channels
        .map(
          (b) =>
            `${channelToken(b.key, channelLabel(b.key, options.policy))}: ${b.current.escalations} of ${
              b.current.issues ?? 0
            } issues (${percent(b.current.escalationRate)})${change.count(b.current.escalations, b.previous.escalations)}`,
        )
        .join('\n'),
    });
  }
  sections.push(...frontlineSections(report, options.full));
  const cluster = report.systemicClusters[0];
  if (cluster) {
    sections.push({
      heading: 'Largest systemic cluster',
      text: `#${cluster.escalationNumber}: ${cluster.threads} threads · ${cluster.summary}`,
    });
  }
  if (options.full) sections.push(...breakdownSections(report, options.policy));
  return {
    fallback: `Escalation digest ${report.period.label}: ${now.escalations} escalations, escalation rate ${percent(
      now.escalationRate,
    )}${now.deflected === null ? '' : `, ${now.deflected} solved without escalating`}`,
    title,
    status: headline,
    fields: headlineFields(now, before),
    sections,
    actions: [],
    links: links.slice(0, 3),
    context: [footer(report, options)],
    chart: report.chart,
  };
}

function headlineFields(now: MetricSet, before: MetricSet): CardField[] {
  return [
    {
      label: 'Escalation rate',
      value: `${percent(now.escalationRate)}${change.share(now.escalationRate, before.escalationRate)}`,
    },
    {
      label: 'Time to claim (median)',
      value: `${duration(now.timeToClaim.p50Ms)}${change.duration(now.timeToClaim.p50Ms, before.timeToClaim.p50Ms)}`,
    },
    {
      label: 'Time to resolve (median)',
      value: `${duration(now.timeToResolve.p50Ms)}${change.duration(now.timeToResolve.p50Ms, before.timeToResolve.p50Ms)}`,
    },
    {
      label: 'Claimed / resolved in time',
      value: `${percent(now.ackCompliance)}${change.share(now.ackCompliance, before.ackCompliance)} / ${percent(
        now.resolveCompliance,
      )}${change.share(now.resolveCompliance, before.resolveCompliance)}`,
    },
    {
      label: 'Re-escalation rate',
      value: `${percent(now.reescalationRate)}${change.share(now.reescalationRate, before.reescalationRate)}`,
    },
    {
      label: 'Bounce rate',
      value: `${percent(now.bounceRate)}${change.share(now.bounceRate, before.bounceRate)}${
        now.pingPongs > 0 ? ` · ${now.pingPongs} ping-pong` : ''
      }`,
    },
    {
      label: 'CSAT after escalation',
      value:
        now.csat.mean === null
          ? `no answers (${now.csat.resolved} asked)`
          : `${now.csat.mean.toFixed(1)} / 5${change.score(now.csat.mean, before.csat.mean)} · ${now.csat.responses} answers (${percent(
              now.csat.responseRate,
            )})`,
    },
    {
      label: 'Avoidable (knowledge or authority gap)',
      value: `${now.avoidable.count} (${percent(now.avoidable.share)})${change.count(now.avoidable.count, before.avoidable.count)}`,
    },
    ...(now.deflected === null
      ? []
      : [
          {
            label: 'Solved without escalating',
            value: `${now.deflected} by “This solved it”${change.count(now.deflected, before.deflected)}`,
          },
        ]),
  ];
}

/** How many answers the weekly digest lists (the full report lists more). */
const ANSWERS_LISTED = { weekly: 5, full: 20 };

/**
 * What the frontline could have solved itself: per path, the escalations a knowledge or authority
 * gap caused and the threads closed by an earlier fix; then the reusable answers written, which
 * is how the first number goes down.
 */
function frontlineSections(report: DigestReport, full: boolean): CardSection[] {
  const sections: CardSection[] = [];
  const paths = report.byPath.filter((b) => b.current.avoidable.outOf > 0 || (b.current.deflected ?? 0) > 0);
  if (paths.length > 0) {
    sections.push({
      heading: 'Avoidable escalations by path',
      text: paths
        .slice(0, full ? paths.length : 5)
        .map((b) => {
          const { avoidable, deflected } = b.current;
          const solved = deflected === null ? '' : ` · ${deflected} solved without escalating`;
          return `*${b.label}*: avoidable ${avoidable.count} of ${avoidable.outOf} resolved (${percent(avoidable.share)})${solved}`;
        })
        .join('\n'),
    });
  }
  const answers = report.answersWritten ?? [];
  if (answers.length > 0) {
    const listed = answers.slice(0, full ? ANSWERS_LISTED.full : ANSWERS_LISTED.weekly);
    const more = answers.length - listed.length;
    sections.push({
      heading: `Knowledge answers written: ${answers.length}`,
      text: [
        ...listed.map((a) => `#${a.escalationNumber} · ${a.path} · ${a.firstLine}`),
        ...(more > 0 ? [`…and ${more} more`] : []),
      ].join('\n'),
    });
  }
  return sections;
}

/** The level whose escalations took longest to resolve (median, then p90), among those resolved. */
function slowestLevel(levels: Breakdown[]): Breakdown | undefined {
  const resolved = levels.filter((b) => b.current.timeToResolve.p50Ms !== null);
  return resolved.sort(
    (a, b) =>
      (b.current.timeToResolve.p50Ms ?? 0) - (a.current.timeToResolve.p50Ms ?? 0) ||
      (b.current.timeToResolve.p90Ms ?? 0) - (a.current.timeToResolve.p90Ms ?? 0),
  )[0];
}

function breakdownSections(report: DigestReport, policy: DigestCardOptions['policy']): CardSection[] {
  const sections: CardSection[] = [];
  const line = (label: string, b: Breakdown) =>
    `*${label}*: ${b.current.escalations} escalations, ${b.current.steps} steps${change.count(
      b.current.steps,
      b.previous.steps,
    )} · claim ${duration(b.current.timeToClaim.p50Ms)} / p90 ${duration(b.current.timeToClaim.p90Ms)} · resolve ${duration(
      b.current.timeToResolve.p50Ms,
    )} / p90 ${duration(b.current.timeToResolve.p90Ms)} · in time ${percent(b.current.ackCompliance)} claimed, ${percent(
      b.current.resolveCompliance,
    )} resolved · bounced ${percent(b.current.bounceRate)}`;
  const add = (heading: string, rows: Breakdown[], label: (b: Breakdown) => string) => {
    if (rows.length > 0) sections.push({ heading, text: rows.map((b) => line(label(b), b)).join('\n') });
  };
  add('By path', report.byPath, (b) => b.label);
  add('By level', report.byLevel, (b) => b.label);
  add('By trigger', report.byTrigger, (b) => b.label);
  add('By support channel', report.byChannel, (b) => channelToken(b.key, channelLabel(b.key, policy)));
  if (report.systemicClusters.length > 1) {
    sections.push({
      heading: 'Systemic clusters',
      text: report.systemicClusters
        .map((c) => `#${c.escalationNumber}: ${c.threads} threads · ${c.summary}`)
        .join('\n'),
    });
  }
  const { dismissed } = report.current;
  if (dismissed > 0) {
    sections.push({
      heading: 'Not an escalation',
      text: `${dismissed} escalations were marked "Not an escalation".`,
    });
  }
  return sections;
}

function footer(report: DigestReport, options: DigestCardOptions): string {
  const { first, last } = weekDates(report.period, options.policy.timezone);
  const args = `${report.period.label}${report.path ? ` ${report.path}` : ''}`;
  const command =
    platformOf(options.channel) === 'teams' ? `@Escalator digest ${args}` : `/escalation-digest ${args}`;
  const export_ = `npm run export -- --from ${first} --to ${last}`;
  const answers =
    (report.answersWritten ?? []).length > 0
      ? ` · Answers as Markdown: \`npm run knowledge:export -- --since ${first}\``
      : '';
  return options.full
    ? `Every escalation as CSV: \`${export_}\`${answers}`
    : `Full report: \`${command}\` · CSV: \`${export_}\`${answers}`;
}

function channelLabel(channel: string, policy: DigestCardOptions['policy']): string {
  const named = policy.supportChannels.find((c) => c.channel === channel)?.name;
  return named ?? channel.replace(/^(slack|teams):/, '');
}

/** `2026-11-23` → `23 Nov`. */
function shortDate(localDate: string): string {
  const [, month, day] = localDate.split('-').map(Number) as [number, number, number];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${day} ${months[month - 1]}`;
}
