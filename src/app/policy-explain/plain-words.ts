/**
 * Small pieces of plain English shared by the policy explanation and the replay report: durations
 * as people say them, weekday ranges, lists with "and"/"or".
 */
import { WEEKDAYS, type Weekday } from '../../domain/policy.js';

const UNITS: [number, string][] = [
  [604_800_000, 'week'],
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1_000, 'second'],
];

/** 1800000 -> "30 minutes", 5400000 -> "90 minutes", 604800000 -> "1 week": the largest exact unit. */
export function humanDuration(ms: number): string {
  for (const [size, unit] of UNITS) {
    if (ms > 0 && ms % size === 0) return counted(ms / size, unit);
  }
  return `${ms} ms`;
}

/** `counted(1, 'level')` -> "1 level", `counted(3, 'level')` -> "3 levels". */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** ["a", "b", "c"] -> "a, b and c" (or "or"). */
export function joinWords(words: readonly string[], last: 'and' | 'or' = 'and'): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${last} ${words.at(-1)}`;
}

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** [mon..fri] -> "Monday to Friday"; [mon, wed] -> "Monday and Wednesday". */
export function weekdayRange(days: readonly Weekday[]): string {
  const indexes = [...new Set(days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
  if (indexes.length === 7) return 'every day';
  const consecutive = indexes.every((n, i) => i === 0 || n === indexes[i - 1]! + 1);
  const names = indexes.map((i) => DAY_NAMES[WEEKDAYS[i]!]);
  if (consecutive && names.length >= 3) return `${names[0]} to ${names.at(-1)}`;
  return joinWords(names);
}

/** A value quoted as the admin wrote it. */
export const quoted = (text: string) => `"${text}"`;
