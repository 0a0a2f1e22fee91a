import { formatDuration } from '../../domain/summary/index.js';

/**
 * How the digest writes its figures: shares as whole percents, times as people say them, and the
 * change against the previous period as an arrow with the difference ("▲ 3", "▼ 2 pts", "▲ 40m").
 */
export function percent(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)}%`;
}

export function duration(ms: number | null): string {
  return ms === null ? '–' : formatDuration(ms);
}

type Change = (current: number, previous: number) => string;

/** "" when either side has no value (nothing to compare), "(= )" when nothing moved. */
function arrow(current: number | null, previous: number | null, difference: Change): string {
  if (current === null || previous === null) return '';
  if (current === previous) return ' (= last week)';
  const up = current > previous;
  return ` (${up ? '▲' : '▼'} ${difference(current, previous)})`;
}

export const change = {
  count: (current: number | null, previous: number | null) =>
    arrow(current, previous, (a, b) => String(Math.abs(a - b))),
  /** Shares change in percentage points: 8% → 10% is "▲ 2 pts", not "▲ 25%". */
  share: (current: number | null, previous: number | null) => {
    const rounded = (x: number | null) => (x === null ? null : Math.round(x * 100));
    return arrow(rounded(current), rounded(previous), (a, b) => `${Math.abs(a - b)} pts`);
  },
  duration: (current: number | null, previous: number | null) =>
    arrow(current, previous, (a, b) => formatDuration(Math.abs(a - b))),
  score: (current: number | null, previous: number | null) => {
    const rounded = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
    return arrow(rounded(current), rounded(previous), (a, b) => Math.abs(a - b).toFixed(1));
  },
};

/** A channel in core text: `<#slack:C0123|#support>`; adapters show it natively or by the label. */
export function channelToken(channel: string, label: string): string {
  return `<#${channel}|${label.replace(/[|>]/g, '')}>`;
}
