/**
 * Settings that are valid but probably not what the admin meant. Each warning names the key it is
 * about (so the script can place it on its line) and what to do. Few on purpose: a warning that is
 * usually right to ignore teaches people to ignore all of them.
 */
import { definedPriorities, type Policy, type Triggers } from '../../domain/policy.js';
import { moreUrgent } from '../../domain/sla.js';
import { DEFAULT_SENTIMENT_BELOW } from '../../domain/triggers/index.js';
import { humanDuration, joinWords } from './plain-words.js';

export type KeyPath = (string | number)[];

export interface PolicyWarning {
  /** The key the warning is about, such as ['paths', 'vendors']. */
  at: KeyPath;
  message: string;
}

const TRIGGER_KEYS: (keyof Triggers)[] = [
  'slaBreach',
  'managerRequest',
  'highValue',
  'systemic',
  'legal',
  'dissatisfaction',
];

export function policyWarnings(policy: Policy): PolicyWarning[] {
  return [
    ...unusedPaths(policy),
    ...levelDeadlines(policy),
    ...sharedChannels(policy),
    ...triggerSettings(policy),
    ...staffSettings(policy),
  ];
}

function unusedPaths(policy: Policy): PolicyWarning[] {
  const used = new Set([
    ...policy.supportChannels.map((c) => c.path),
    ...TRIGGER_KEYS.flatMap((key) => policy.triggers[key]?.path ?? []),
  ]);
  return Object.keys(policy.paths)
    .filter((name) => !used.has(name))
    .map((name) => ({
      at: ['paths', name],
      message: `no support channel and no trigger uses path "${name}": only an agent naming it by hand reaches it; point a trigger or channel at it, or remove it`,
    }));
}

function levelDeadlines(policy: Policy): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  for (const path of Object.values(policy.paths)) {
    path.levels.forEach((level, i) => {
      const { ackWithinMs: ack, resolveWithinMs: resolve } = level;
      if (ack !== undefined && resolve !== undefined && ack >= resolve) {
        warnings.push({
          at: ['paths', path.name, 'levels', i, 'ackWithin'],
          message: `ackWithin ${humanDuration(ack)} is not shorter than resolveWithin ${humanDuration(resolve)}: the card may be overdue for resolution before anyone must claim it; shorten ackWithin or lengthen resolveWithin`,
        });
      }
    });
  }
  return warnings;
}

/** A support channel that also receives cards (or digests): customers there would see them. */
function sharedChannels(policy: Policy): PolicyWarning[] {
  const support = new Map(policy.supportChannels.map((c, i) => [c.channel, i]));
  const warnings: PolicyWarning[] = [];
  for (const path of Object.values(policy.paths)) {
    path.levels.forEach((level, i) => {
      const index = level.channel === undefined ? undefined : support.get(level.channel);
      if (index === undefined) return;
      warnings.push({
        at: ['paths', path.name, 'levels', i, 'channel'],
        message: `${level.channel} is a support channel too (supportChannels[${index}]): escalation cards would be posted where customers write, and card threads tracked as issues; use a separate escalation channel`,
      });
    });
  }
  (policy.digest?.channels ?? []).forEach((channel, i) => {
    const index = support.get(channel);
    if (index === undefined) return;
    warnings.push({
      at: ['digest', 'channels', i],
      message: `${channel} is a support channel too (supportChannels[${index}]): the metrics digest would be posted where customers write; post it to a leads channel`,
    });
  });
  return warnings;
}

function triggerSettings(policy: Policy): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  const off = TRIGGER_KEYS.filter((key) => policy.triggers[key] === undefined);
  if (off.length > 0) {
    warnings.push({
      at: ['triggers'],
      message: `${joinWords(off)} ${off.length === 1 ? 'is' : 'are'} turned off (not named under triggers): add ${off.length === 1 ? 'it' : 'them'}, such as ${off[0]}: { path: ${Object.keys(policy.paths)[0] ?? 'tech'} }, if that was not meant`,
    });
  }
  for (const key of TRIGGER_KEYS) {
    const trigger = policy.triggers[key];
    if (trigger?.priority && !moreUrgent(trigger.priority, policy.defaultPriority)) {
      warnings.push({
        at: ['triggers', key, 'priority'],
        message: `${trigger.priority} is not more urgent than defaultPriority ${policy.defaultPriority}: a trigger only ever raises the priority, so this changes nothing; use a more urgent one (${
          definedPriorities(policy)
            .filter((p) => moreUrgent(p, policy.defaultPriority))
            .join(', ') || 'none is defined'
        }) or leave it out`,
      });
    }
  }
  if (policy.triggers.slaBreach && Object.keys(policy.priorities).length === 0) {
    warnings.push({
      at: ['triggers', 'slaBreach'],
      message: 'no priority has SLA targets, so slaBreach never fires: define targets under priorities',
    });
  }
  const sentiment = policy.triggers.dissatisfaction?.sentimentBelow;
  if (sentiment !== undefined && sentiment >= 0) {
    warnings.push({
      at: ['triggers', 'dissatisfaction', 'sentimentBelow'],
      message: `${sentiment} fires on every message that is not positive (scores at or below it fire): use a negative score such as ${DEFAULT_SENTIMENT_BELOW}`,
    });
  }
  return warnings;
}

function staffSettings(policy: Policy): PolicyWarning[] {
  const { slackTeamIds, teamsTenantIds, userIds } = policy.staff;
  if (slackTeamIds.length + teamsTenantIds.length + userIds.length > 0) return [];
  return [
    {
      at: ['staff'],
      message:
        "nobody counts as staff, so every answer is read as a customer message (triggers fire on agents' words) and no answer stops the first-response clock: list your workspace, such as staff: { slackTeamIds: [T0123] }",
    },
  ];
}
