/**
 * The shape of the escalation policy file, in zod. Every leaf says what is allowed when it is wrong,
 * and every mapping is strict, so a typo in a key is an error instead of a silently ignored setting.
 * Rules that relate one part of the file to another (a trigger naming a path) are in
 * `load-policy.ts`, because they must run even when the shape has errors elsewhere.
 */

import { z } from 'zod';
import { parseCronSchedule } from '../domain/digest/cron-schedule.js';
import { KNOWLEDGE_DEFAULTS, PATH_TYPES, PRIORITIES, WEEKDAYS } from '../domain/policy.js';
import { RESPONDER_HINT, responderOf } from '../domain/responders.js';
import { ACCOUNT_MATCH_HINT, accountMatchKind } from '../domain/triggers/accounts.js';
import { SYSTEMIC_DEFAULTS } from '../domain/triggers/defaults.js';
import { DURATION_HINT, parseDuration } from './duration.js';

/** How a value the admin wrote is shown in a message. */
export function show(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

type IssueInput = { input?: unknown };

/** Error text for a leaf: a missing value is "required", a wrong one "is not <what>"; both give the hint. */
const says =
  (what: string, hint: string) =>
  (iss: IssueInput): string =>
    iss.input === undefined ? `is required: ${hint}` : `${show(iss.input)} is not ${what}: ${hint}`;

export const CHANNEL_HINT = 'use slack:C0123 or teams:19:...@thread.tacv2';
const USER_HINT = 'use slack:U0123 or teams:29:...';
const PLATFORM_PREFIX = /^(slack|teams):.+/;

const text = (what: string, hint: string) =>
  z.string({ error: says(what, hint) }).min(1, { error: `must not be empty: ${hint}` });

/** A string of a fixed form: one error text for "missing", "not a string" and "wrong form" alike. */
const matching = (form: RegExp, what: string, hint: string) =>
  z.string({ error: says(what, hint) }).regex(form, { error: says(what, hint) });

const duration = z.string({ error: says('a duration', DURATION_HINT) }).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', input: value, message: (error as Error).message });
    return z.NEVER;
  }
});

const prefixed = (what: string, hint: string) =>
  z.string({ error: says(what, hint) }).regex(PLATFORM_PREFIX, {
    error: (iss) => `${show(iss.input)} has no platform prefix: ${hint}`,
  });
const channel = prefixed('a channel', CHANNEL_HINT);

const responder = z.string({ error: says('a responder', RESPONDER_HINT) }).transform((value, ctx) => {
  const found = responderOf(value.trim());
  if (found) return found.id;
  ctx.addIssue({
    code: 'custom',
    input: value,
    message: says('a responder', RESPONDER_HINT)({ input: value }),
  });
  return z.NEVER;
});

const TIME_HINT = 'use HH:MM on a 24-hour clock, such as 09:00 or 17:30';
const time = matching(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time', TIME_HINT);

const DATE_HINT = 'use YYYY-MM-DD, such as 2026-12-24';
// The form, and a real calendar day (not 2026-02-30), which Date exposes by rolling it over.
const isDate = (d: string) => {
  const time = Date.parse(`${d}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(d);
};
const date = z
  .string({ error: says('a date', DATE_HINT) })
  .refine(isDate, { error: says('a date', DATE_HINT) });

const or = (values: readonly string[]) => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
const weekday = z.enum(WEEKDAYS, { error: says('a weekday', `use ${or(WEEKDAYS)}`) });
export const PRIORITY_HINT = `use ${or(PRIORITIES)}`;
const priority = z.enum(PRIORITIES, { error: says('a priority', PRIORITY_HINT) });

const TIMEZONE_HINT = 'use an IANA time zone name, such as Australia/Sydney, Europe/London or UTC';
const timezone = z.string({ error: says('a time zone', TIMEZONE_HINT) }).refine(isTimeZone, {
  error: says('a time zone', TIMEZONE_HINT),
});

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// Trigger phrases are case-insensitive regular expressions ("speak to (a|your) manager").
const PHRASE_HINT = 'phrases are case-insensitive regular expressions, such as "speak to (a|your) manager"';
const phrase = text('a phrase', PHRASE_HINT).superRefine((value, ctx) => {
  try {
    new RegExp(value, 'i');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `${show(value)} is not a valid pattern (${(error as Error).message}): ${PHRASE_HINT}`,
    });
  }
});

/** A number with one error text for every way it can be wrong (not a number, not whole, out of range). */
const number = (what: string, hint: string, range: { min?: number; max?: number; int?: boolean }) => {
  const error = says(what, hint);
  let schema = z.number({ error });
  if (range.int) schema = schema.int({ error });
  if (range.min !== undefined) schema = schema.min(range.min, { error });
  if (range.max !== undefined) schema = schema.max(range.max, { error });
  return schema;
};

const list = <T extends z.ZodType>(item: T, hint: string) => z.array(item, { error: says('a list', hint) });

/** Closest allowed key to a typo, if one is close enough to be a likely intent. */
function suggestion(key: string, allowed: string[]): string {
  const near =
    allowed.find((a) => a.toLowerCase() === key.toLowerCase()) ??
    allowed.find((a) => editDistance(a, key) <= Math.floor(key.length / 4));
  return near ? ` (did you mean ${near}?)` : '';
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/**
 * A strict mapping. zod reports all unknown keys of one mapping in one issue; its message has one
 * line per key, in the order of `issue.keys`, so the loader can place each key on its own line.
 */
const mapping = <T extends z.ZodRawShape>(shape: T) => {
  const allowed = Object.keys(shape);
  const allowedText = `allowed keys are ${allowed.join(', ')}`;
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        return iss.keys
          .map((key) => `unknown key "${key}"${suggestion(key, allowed)}; ${allowedText}`)
          .join('\n');
      }
      return iss.input === undefined
        ? `is required: a mapping; ${allowedText}`
        : `${show(iss.input)} is not a mapping; ${allowedText}`;
    },
  });
};

const businessHours = mapping({
  days: list(weekday, 'list weekdays, such as [mon, tue, wed, thu, fri]').min(1, {
    error: 'must list at least one day, such as [mon, tue, wed, thu, fri]',
  }),
  start: time,
  end: time,
  holidays: mapping({
    country: matching(/^[A-Z]{2}$/, 'a country code', 'use a two-letter ISO 3166 code such as AU').optional(),
    state: text('a state', 'use a state or region code such as NSW').optional(),
    dates: list(date, `list dates: ${DATE_HINT}`).default([]),
  }).default(() => ({ dates: [] })),
});

const sla = mapping({
  firstResponse: duration,
  resolve: duration,
  clock: z
    .enum(['business', 'calendar'], { error: says('a clock', 'use business or calendar') })
    .default('business'),
});

const level = mapping({
  name: text('a level name', 'give the level a short name, such as L2 Tech'),
  channel: channel.optional(),
  webhook: mapping({
    url: z.url({
      protocol: /^https?$/,
      error: says('a URL', 'use an http(s) URL, such as https://vendor.example.com/hook'),
    }),
    secretEnv: matching(
      /^[A-Za-z_][A-Za-z0-9_]*$/,
      'a variable name',
      'use a variable name such as VENDOR_HOOK_SECRET',
    ).optional(),
  }).optional(),
  ackWithin: duration.optional(),
  resolveWithin: duration.optional(),
  // Who may act on this level's cards; without it, the members of its channel.
  responders: list(responder, `list people or groups: ${RESPONDER_HINT}`)
    .min(1, {
      error: `list at least one responder (${RESPONDER_HINT}), or leave responders out to let the members of the level's channel act`,
    })
    .optional(),
});

const path = mapping({
  type: z.enum(PATH_TYPES, { error: says('a path type', `use ${or(PATH_TYPES)}`) }),
  levels: list(level, 'list levels, such as - { name: L2 Tech, channel: slack:C0L2 }').min(1, {
    error: 'a path needs at least one level, such as - { name: L2 Tech, channel: slack:C0L2 }',
  }),
});

// Fields every trigger has: where it escalates to. Cross-checked against `paths` by the loader.
const target = {
  path: text('a path name', 'name one of the paths defined under paths'),
  level: number('a level number', 'use 1 for the first level, 2 for the second, ...', {
    int: true,
    min: 1,
  }).optional(),
  priority: priority.optional(),
};
// Phrase triggers work with no phrases of their own: the built-in defaults (src/domain/triggers/lexicons.ts).
const phrases = list(phrase, 'list phrases, such as ["lawyer", "legal action"]').default([]);
const replaceDefaults = z
  .boolean({
    error: says(
      'true or false',
      'use true to use only the phrases listed here, or leave it out to add them to the built-in ones',
    ),
  })
  .optional();
const phraseTrigger = { ...target, phrases, replaceDefaults };

const accountMatch = z
  .string({ error: says('an account match', ACCOUNT_MATCH_HINT) })
  .refine((value) => accountMatchKind(value.trim()) !== undefined, {
    error: says('an account match', ACCOUNT_MATCH_HINT),
  });

const triggers = mapping({
  slaBreach: mapping(target).optional(),
  managerRequest: mapping(phraseTrigger).optional(),
  highValue: mapping({
    ...target,
    accounts: list(
      mapping({
        match: accountMatch,
        tier: text('a tier', 'use a tier name such as enterprise').optional(),
      }),
      'list accounts, such as [{ match: acme.com, tier: enterprise }]',
    ).default([]),
    amountOver: mapping({
      value: number('an amount', 'use a number above 0, such as 10000', { min: Number.MIN_VALUE }),
      currency: matching(/^[A-Z]{3}$/, 'a currency', 'use a three-letter ISO 4217 code such as AUD'),
    }).optional(),
  }).optional(),
  // Naming systemic is enough: 3 threads within 1h at similarity 0.5 unless set.
  systemic: mapping({
    ...target,
    minThreads: number('a thread count', 'use a whole number of 2 or more, such as 3', {
      int: true,
      min: 2,
    }).default(SYSTEMIC_DEFAULTS.minThreads),
    within: duration.default(SYSTEMIC_DEFAULTS.withinMs),
    similarity: number('a similarity', 'use a number from 0 to 1, such as 0.5', { min: 0, max: 1 }).default(
      SYSTEMIC_DEFAULTS.similarity,
    ),
  }).optional(),
  legal: mapping(phraseTrigger).optional(),
  dissatisfaction: mapping({
    ...phraseTrigger,
    sentimentBelow: number('a sentiment score', 'use a number such as -3 (the default)', {}).optional(),
  }).optional(),
});

export const policySchema = mapping({
  timezone,
  // Defaults are functions so each parsed policy gets its own arrays (zod only copies shallowly).
  businessHours: businessHours.default(() => ({
    days: [...WEEKDAYS.slice(0, 5)],
    start: '09:00',
    end: '17:00',
    holidays: { dates: [] },
  })),
  checker: mapping({ every: duration.default(60_000) }).default({ every: 60_000 }),
  staff: mapping({
    slackTeamIds: list(
      text('a Slack team id', 'use a team id such as T0123'),
      'list team ids, such as [T0123]',
    ).default([]),
    teamsTenantIds: list(
      text(
        'a Microsoft Entra tenant id',
        'use a tenant id (a GUID) such as 72f988bf-86f1-41af-91ab-2d7cd011db47',
      ),
      'list tenant ids, such as [72f988bf-86f1-41af-91ab-2d7cd011db47]',
    ).default([]),
    userIds: list(prefixed('a user id', USER_HINT), `list user ids: ${USER_HINT}`).default([]),
  }).default(() => ({ slackTeamIds: [], teamsTenantIds: [], userIds: [] })),
  supportChannels: list(
    mapping({
      channel,
      path: text('a path name', 'name one of the paths defined under paths'),
      // How reports name the channel where the platform cannot (Teams has no channel mentions).
      name: text('a channel name', 'use the name people know it by, such as "#support-billing"').optional(),
    }),
    'list channels, such as - { channel: slack:C0SUPPORT, path: tech }',
  ).min(1, {
    error: 'list at least one channel to watch, such as - { channel: slack:C0SUPPORT, path: tech }',
  }),
  priorities: mapping({ P1: sla.optional(), P2: sla.optional(), P3: sla.optional(), P4: sla.optional() }),
  defaultPriority: priority,
  paths: z.record(z.string(), path, {
    error: says('a mapping of paths', 'name each path, such as tech: { type: functional, levels: [...] }'),
  }),
  triggers: triggers.default({}),
  digest: mapping({
    schedule: text('a schedule', 'use a cron expression, such as "0 9 * * mon"').superRefine((value, ctx) => {
      if (value === '') return; // already said: must not be empty
      try {
        parseCronSchedule(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', input: value, message: (error as Error).message });
      }
    }),
    channels: list(channel, 'list channels, such as [slack:C0LEADS]').min(1, {
      error: 'list at least one channel, such as [slack:C0LEADS]',
    }),
  }).optional(),
  retention: mapping({ messageText: duration.optional() }).default({}),
  // After a resolution: ask for CSAT in the thread; a customer writing within reopenWithin reopens it.
  followUp: mapping({
    csat: z
      .boolean({ error: says('true or false', 'use csat: true to ask customers for a 1-5 rating') })
      .default(true),
    reopenWithin: duration.default(7 * 24 * 3_600_000),
  }).default(() => ({ csat: true, reopenWithin: 7 * 24 * 3_600_000 })),
  // Similar past escalations, shown before escalating and on cards: how alike (0..1), how far back, how many.
  knowledge: mapping({
    similarity: number('a similarity', 'use a number from 0 to 1, such as 0.35', { min: 0, max: 1 }).default(
      KNOWLEDGE_DEFAULTS.similarity,
    ),
    within: duration.default(KNOWLEDGE_DEFAULTS.withinMs),
    suggestions: number('a count', 'use a whole number from 0 (none shown) to 3', {
      int: true,
      min: 0,
      max: 3,
    }).default(KNOWLEDGE_DEFAULTS.suggestions),
  }).default(() => ({
    similarity: KNOWLEDGE_DEFAULTS.similarity,
    within: KNOWLEDGE_DEFAULTS.withinMs,
    suggestions: KNOWLEDGE_DEFAULTS.suggestions,
  })),
  // Transcripts that leave the chat (webhooks) mask e-mail addresses unless showEmails is true.
  transcripts: mapping({
    showEmails: z
      .boolean({ error: says('true or false', 'use showEmails: true to send e-mail addresses unmasked') })
      .default(false),
  }).default(() => ({ showEmails: false })),
  // Product names the thread summary picks out as key facts.
  products: list(
    text('a product name', 'use a name such as "Acme Billing"'),
    'list product names, such as ["Acme Billing", "Acme API"]',
  ).default([]),
});

export type ParsedPolicy = z.output<typeof policySchema>;
