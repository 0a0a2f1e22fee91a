import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/config/duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5s', 5_000],
    ['15m', 900_000],
    ['4h', 14_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['90d', 7_776_000_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '90x',
    '',
    '0s',
    '-5m',
    '1.5h',
    '15',
    'm',
    '15 m',
    ' 15m',
    '15M',
    '015m',
    '1h30m',
    '99999999999999999w',
  ])('rejects %j and says what is allowed', (text) => {
    expect(() => parseDuration(text)).toThrow(
      /is (not|too long) a duration: use a number followed by s, m, h, d or w/,
    );
  });

  it('quotes the bad value in the message', () => {
    expect(() => parseDuration('90x')).toThrow(
      '"90x" is not a duration: use a number followed by s, m, h, d or w, such as 30s, 15m, 4h, 2d, 1w',
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [1_800_000, '30m'],
    [5_400_000, '90m'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
    [1_209_600_000, '2w'],
    [90_000, '90s'],
    [1_500, '1500ms'],
    [0, '0ms'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const text of ['30s', '15m', '4h', '2d', '1w', '90m', '36h']) {
      expect(formatDuration(parseDuration(text))).toBe(text);
    }
  });
});
