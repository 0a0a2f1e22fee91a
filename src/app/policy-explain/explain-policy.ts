/**
 * An escalation policy in plain words, section by section, so an admin can check that the file
 * says what they meant before rolling it out (`npm run policy:check`). Pure: the caller passes the
 * parsed policy, its work calendar (for the coming holidays) and the current time.
 */
import { nextCronRun, parseCronSchedule } from '../../domain/digest/cron-schedule.js';
import {
  type EscalationPath,
  type Level,
  type Policy,
  PRIORITIES,
  type TriggerTarget,
  WEEKDAYS,
} from '../../domain/policy.js';
import { localDateOf, type WorkCalendar } from '../../domain/sla-clock.js';
import { formatTime } from '../../domain/text.js';
import { THREAD_MOOD_FACTOR, THREAD_MOOD_WINDOW } from '../../domain/triggers/defaults.js';
import { accountMatchKind, DEFAULT_SENTIMENT_BELOW, formatMoney } from '../../domain/triggers/index.js';

import { counted, humanDuration, joinWords, quoted, weekdayRange } from './plain-words.js';

export interface ExplainOptions {
  calendar: WorkCalendar;
  now: Date;
  /** How many coming holidays to name. */
  holidaysShown?: number;
}

/** A titled block of sentences. */
export interface ExplainedSection {
  title: string;
  lines: string[];
}

/** The policy, explained. Each line is one sentence (or a few short ones) about one setting. */
export function explainPolicy(policy: Policy, options: ExplainOptions): ExplainedSection[] {
  return [
    { title: 'Time', lines: explainTime(policy, options) },
    { title: 'Staff and customers', lines: explainStaff(policy) },
    { title: 'Support channels', lines: explainSupportChannels(policy) },
    { title: 'Escalation paths', lines: explainPaths(policy) },
    { title: 'Priorities and SLA targets', lines: explainPriorities(policy) },
    { title: 'Triggers', lines: explainTriggers(policy) },
    { title: 'Digest', lines: explainDigest(policy, options.now) },
    { title: 'Retention and follow-up', lines: explainRetention(policy) },
  ];
}

function explainTime(policy: Policy, options: ExplainOptions): string[] {
  const { businessHours: hours } = policy;
  const { country, state, dates } = hours.holidays;
  const lines = [
    `Time zone ${policy.timezone}: business hours, SLA clocks and the digest schedule are read in it.`,
    `Business hours are ${weekdayRange(hours.days)}, ${hours.start} to ${hours.end}.`,
  ];
  const sources = [
    ...(country ? [`the public holidays of ${country}${state ? ` (${state})` : ''}`] : []),
    ...(dates.length > 0 ? [`the listed ${dates.length === 1 ? 'date' : 'dates'} ${dates.join(', ')}`] : []),
  ];
  if (sources.length === 0) {
    lines.push('No holidays: business clocks run on every working day.');
  } else {
    lines.push(`Business clocks stop all day on ${joinWords(sources)}.`);
    const coming = comingHolidays(options);
    lines.push(
      coming.length > 0
        ? `The next holidays on working days: ${coming.join(', ')}.`
        : 'No holiday falls on a working day in the coming year.',
    );
  }
  lines.push(
    `The checker runs every ${humanDuration(policy.checker.everyMs)}: triggers, SLA deadlines and unclaimed cards are acted on within that time.`,
  );
  return lines;
}

/** The next holidays that fall on a working day (the only ones that stop a business clock). */
function comingHolidays(options: ExplainOptions): string[] {
  const { calendar, now } = options;
  const shown = options.holidaysShown ?? 5;
  const found: string[] = [];
  const today = localDateOf(now, calendar.timeZone);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  for (let i = 0; i < 366 && found.length < shown; i++) {
    const date = new Date(Date.UTC(y, m - 1, d + i));
    const local = date.toISOString().slice(0, 10);
    const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7]!;
    if (calendar.days.includes(weekday) && calendar.isHoliday(local)) {
      found.push(`${date.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' })} ${local}`);
    }
  }
  return found;
}

function explainStaff(policy: Policy): string[] {
  const { slackTeamIds, teamsTenantIds, userIds } = policy.staff;
  const who = [
    ...(slackTeamIds.length > 0
      ? [`everyone in the Slack workspace${plural(slackTeamIds)} ${slackTeamIds.join(', ')}`]
      : []),
    ...(teamsTenantIds.length > 0
      ? [`everyone in the Microsoft tenant${plural(teamsTenantIds)} ${teamsTenantIds.join(', ')}`]
      : []),
    ...(userIds.length > 0
      ? [`the listed ${userIds.length === 1 ? 'person' : 'people'} ${userIds.join(', ')}`]
      : []),
  ];
  if (who.length === 0) {
    return ['Nobody is listed as staff: every author in a support channel counts as a customer.'];
  }
  return [
    `Staff (their messages are answers, and the first one stops the first-response clock): ${joinWords(who)}.`,
    'Everyone else who writes in a support channel is a customer: their messages are read for triggers.',
  ];
}

const plural = (list: readonly unknown[]) => (list.length === 1 ? '' : 's');

function explainSupportChannels(policy: Policy): string[] {
  return [
    `Escalator watches ${counted(policy.supportChannels.length, 'support channel')}; each thread in one is an issue:`,
    ...policy.supportChannels.map((c) => {
      const path = policy.paths[c.path];
      const first = path?.levels[0]?.name;
      return `  ${c.channel}${c.name ? ` (${c.name})` : ''} → path ${c.path}${first ? ` (first level ${first})` : ''} when an agent escalates one of its threads by hand.`;
    }),
  ];
}

function explainPaths(policy: Policy): string[] {
  const lines: string[] = [];
  for (const path of Object.values(policy.paths)) {
    lines.push(`${path.name} (${path.type}, ${counted(path.levels.length, 'level')}):`);
    path.levels.forEach((level, i) => {
      lines.push(`  ${i + 1}. ${explainLevel(path, level, i)}`);
    });
  }
  return lines;
}

function explainLevel(path: EscalationPath, level: Level, index: number): string {
  const where = [
    ...(level.channel ? [`posts the card to ${level.channel}`] : []),
    ...(level.webhook
      ? [
          `calls the webhook ${level.webhook.url}${level.webhook.secretEnv ? ` (signed with the secret in $${level.webhook.secretEnv})` : ' (unsigned)'}`,
        ]
      : []),
  ];
  const last = index === path.levels.length - 1;
  const next = path.levels[index + 1];
  const ack =
    level.ackWithinMs === undefined
      ? 'no claim deadline'
      : last
        ? `unclaimed after ${humanDuration(level.ackWithinMs)} it reminds again (last level)`
        : `unclaimed after ${humanDuration(level.ackWithinMs)} it moves to ${next?.name}`;
  const resolve =
    level.resolveWithinMs === undefined
      ? 'no resolve deadline'
      : `unresolved after ${humanDuration(level.resolveWithinMs)} its priority is raised`;
  const responders = level.responders
    ? `only ${level.responders.join(', ')} may act on it`
    : level.channel
      ? `the members of ${level.channel} may act on it`
      : 'nobody in a chat channel acts on it';
  return `${level.name}: ${joinWords(where)}; ${ack}; ${resolve}; ${responders}.`;
}

function explainPriorities(policy: Policy): string[] {
  const lines: string[] = [];
  for (const p of PRIORITIES) {
    const sla = policy.priorities[p];
    if (!sla) continue;
    const business = sla.clock === 'business';
    const clock = business
      ? 'business clock (counts business hours only)'
      : 'calendar clock (round the clock)';
    lines.push(
      `${p}: first staff answer within ${workingTime(sla.firstResponseMs, business)}, resolved within ${workingTime(sla.resolveMs, business)}, ${clock}.`,
    );
  }
  const undefinedOnes = PRIORITIES.filter((p) => !policy.priorities[p]);
  if (undefinedOnes.length > 0) lines.push(`Not defined: ${undefinedOnes.join(', ')}.`);
  lines.push(`A new issue starts at ${policy.defaultPriority}; a trigger or a person can raise it.`);
  return lines;
}

/** A day on a business clock is 24 business hours, not a working day: said outright. */
function workingTime(ms: number, business: boolean): string {
  const DAY = 86_400_000;
  const text = humanDuration(ms);
  return business && ms % DAY === 0 ? `${text} (${ms / 3_600_000} business hours)` : text;
}

/** "management, level 1 (Team lead), raising the priority to P2 (never lowering it)". */
export function describeTarget(policy: Policy, target: TriggerTarget): string {
  const path = policy.paths[target.path];
  const index = Math.min((target.level ?? 1) - 1, (path?.levels.length ?? 1) - 1);
  const level = path?.levels[index];
  const priority = target.priority
    ? `, raising the priority to ${target.priority} (never lowering it)`
    : ', priority unchanged';
  return `path ${target.path}, level ${index + 1}${level ? ` (${level.name})` : ''}${priority}`;
}

function phraseSource(trigger: { phrases: string[]; replaceDefaults?: boolean }, what: string): string {
  const own = trigger.phrases.map(quoted);
  if (trigger.replaceDefaults) return `only the phrases ${joinWords(own, 'or')}`;
  if (own.length === 0) return `the built-in ${what} phrases`;
  return `the built-in ${what} phrases or ${joinWords(own, 'or')}`;
}

function explainTriggers(policy: Policy): string[] {
  const t = policy.triggers;
  const lines: string[] = [];
  if (t.slaBreach) {
    lines.push(
      `slaBreach: an issue's first response or resolution is overdue for its priority → ${describeTarget(policy, t.slaBreach)}.`,
    );
  }
  if (t.managerRequest) {
    lines.push(
      `managerRequest: a customer asks for a manager, using ${phraseSource(t.managerRequest, 'manager-request')} → ${describeTarget(policy, t.managerRequest)}.`,
    );
  }
  if (t.highValue) {
    const what: string[] = [];
    if (t.highValue.accounts.length > 0) {
      const accounts = t.highValue.accounts.map((a) => {
        const kind = accountMatchKind(a.match.trim());
        const how =
          kind === 'domain'
            ? 'e-mail domain'
            : kind === 'slackTeam'
              ? 'Slack team'
              : kind === 'tenant'
                ? 'Microsoft tenant'
                : 'person';
        return `${how} ${a.match}${a.tier ? ` (${a.tier} tier)` : ''}`;
      });
      what.push(`a message from a listed account: ${joinWords(accounts)}`);
    }
    if (t.highValue.amountOver) {
      const { value, currency } = t.highValue.amountOver;
      what.push(`an amount over ${formatMoney(value, currency)} (other currencies are not converted)`);
    }
    lines.push(`highValue: ${joinWords(what, 'or')} → ${describeTarget(policy, t.highValue)}.`);
  }
  if (t.systemic) {
    const s = t.systemic;
    lines.push(
      `systemic: ${s.minThreads} or more new threads from different customers within ${humanDuration(s.withinMs)} whose first messages are at least ${s.similarity} alike (0 to 1) → ${describeTarget(policy, s)}; later similar threads join that card.`,
    );
  }
  if (t.legal) {
    lines.push(
      `legal: a customer uses ${phraseSource(t.legal, 'legal, compliance and safety')} → ${describeTarget(policy, t.legal)}.`,
    );
  }
  if (t.dissatisfaction) {
    const d = t.dissatisfaction;
    const threshold = d.sentimentBelow ?? DEFAULT_SENTIMENT_BELOW;
    lines.push(
      `dissatisfaction: a customer uses ${phraseSource(d, 'churn')}, or writes a message scoring ${threshold} or lower (AFINN sentiment${d.sentimentBelow === undefined ? ', the default' : ''}), or their last ${THREAD_MOOD_WINDOW + 1} messages together score ${THREAD_MOOD_FACTOR * threshold} or lower → ${describeTarget(policy, d)}.`,
    );
  }
  if (lines.length === 0) lines.push('No automatic triggers: only people escalate.');
  lines.push(
    'Each trigger fires once per issue until the issue is resolved; a trigger on an issue already escalated adds its evidence to the open card.',
  );
  lines.push(
    'Agents can always escalate a thread by hand (/escalate, the "Escalate thread" shortcut, or @Escalator escalate) to its channel\'s path or any path they name.',
  );
  return lines;
}

function explainDigest(policy: Policy, now: Date): string[] {
  if (!policy.digest)
    return ['No weekly digest: add digest: { schedule: "0 9 * * mon", channels: [...] } to post one.'];
  const { schedule, channels } = policy.digest;
  const next = nextCronRun(parseCronSchedule(schedule), now, policy.timezone);
  return [
    `The digest of the last full week is posted to ${joinWords(channels)} on the schedule "${schedule}" (${policy.timezone}).`,
    next
      ? `Its next run is ${formatTime(next, policy.timezone)} (${localDateOf(next, policy.timezone)}).`
      : 'The schedule never fires: check its day and month fields.',
  ];
}

function explainRetention(policy: Policy): string[] {
  const text = policy.retention.messageTextMs;
  const { csat, reopenWithinMs } = policy.followUp;
  return [
    text === undefined
      ? 'Message text is kept for as long as the database: set retention: { messageText: 90d } to purge it.'
      : `Message text (and the words quoted on cards) is purged after ${humanDuration(text)}; counts and timings stay for the metrics.`,
    `After a resolution: ${csat ? 'the customer is asked for a 1-5 rating in the thread' : 'no rating is asked for'}; a customer writing again within ${humanDuration(reopenWithinMs)} reopens the issue.`,
    ...(policy.products.length > 0
      ? [`Products picked out in thread summaries: ${joinWords(policy.products)}.`]
      : []),
    ...explainKnowledge(policy),
  ];
}

function explainKnowledge(policy: Policy): string[] {
  const { similarity, withinMs, suggestions } = policy.knowledge;
  return [
    suggestions === 0
      ? 'No similar past escalations are shown (knowledge.suggestions is 0).'
      : `Before escalating, and on cards, up to ${suggestions} resolved escalations of the last ${humanDuration(withinMs)} are shown when they read at least ${similarity} alike.`,
    policy.transcripts.showEmails
      ? 'Transcripts sent to webhooks carry e-mail addresses as written.'
      : 'Transcripts sent to webhooks mask e-mail addresses.',
  ];
}
