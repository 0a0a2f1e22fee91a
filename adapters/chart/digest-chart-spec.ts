import type { Spec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { DigestChart } from '../../src/domain/digest/chart.js';

/** The bundled font's family name; the spec and the rasteriser must agree on it. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

const MEDIAN_LABEL = 'Median hours to resolve';
export const EMPTY_WEEK_TEXT = 'No escalations this week';

const INK = '#333333';
const MUTED = '#666666';
const MEDIAN_COLOUR = '#222222';

/**
 * One colour per trigger, fixed so a trigger keeps its colour from one week's picture to the
 * next. Few, flat colours also keep the PNG small.
 */
const TRIGGER_COLOURS: Record<string, string> = {
  manual: '#4c78a8',
  sla_breach: '#e45756',
  manager_request: '#f58518',
  high_value: '#54a24b',
  legal: '#b279a2',
  dissatisfaction: '#ff9da6',
  systemic: '#72b7b2',
  ack_timeout: '#eeca3b',
  bounce: '#9d755d',
};
/** For triggers added after this table: colours not used above, handed out in series order. */
const SPARE_COLOURS = ['#bab0ac', '#17becf', '#8c564b', '#bcbd22', '#7f7f7f'];

function triggerColours(series: DigestChart['series']): string[] {
  let spare = 0;
  return series.map(
    (s) => TRIGGER_COLOURS[s.trigger] ?? SPARE_COLOURS[spare++ % SPARE_COLOURS.length] ?? MUTED,
  );
}

function hasEscalations(chart: DigestChart): boolean {
  return chart.series.some((s) => s.counts.some((n) => n > 0));
}

export interface ChartSize {
  width: number;
  height: number;
}

/**
 * The Vega spec of the digest picture: escalations per day stacked by trigger, and the median
 * time to resolve as a line on its own right-hand axis. Written in Vega-Lite, compiled here. Data
 * is inline only, so Vega never has anything to fetch.
 */
export function digestChartSpec(chart: DigestChart, size: ChartSize): Spec {
  const { spec } = compile(hasEscalations(chart) ? weekSpec(chart, size) : emptyWeekSpec(chart, size));
  // Vega-Lite cannot say where in its row a legend sits; Vega can: the line's legend goes top right,
  // across from the title.
  spec.config = { ...spec.config, legend: { ...spec.config?.legend, layout: { top: { anchor: 'end' } } } };
  return spec;
}

function weekSpec(chart: DigestChart, size: ChartSize): TopLevelSpec {
  const colours = triggerColours(chart.series);
  const bars = chart.series.flatMap((s, order) =>
    chart.days.flatMap((day, i) => {
      const count = s.counts[i] ?? 0;
      return count > 0 ? [{ day, trigger: s.label, count, order }] : [];
    }),
  );
  // Nulls stay in the data so the line breaks on days with nothing resolved instead of
  // drawing a slope through them.
  const medians = chart.days.map((day, i) => ({ day, hours: chart.medianResolveHours[i] ?? null }));
  const anyMedian = medians.some((m) => m.hours !== null);

  const x = {
    field: 'day',
    type: 'ordinal' as const,
    // The whole period, so quiet days still get their slot on the axis.
    scale: { domain: chart.days },
    sort: chart.days,
    axis: {
      title: null,
      labelExpr: DAY_LABEL_EXPR,
      labelAngle: chart.days.length > 10 ? -45 : 0,
    },
  };

  const barLayer = {
    data: { values: bars },
    mark: { type: 'bar' as const, width: { band: 0.7 } },
    encoding: {
      x,
      y: {
        field: 'count',
        type: 'quantitative' as const,
        stack: 'zero' as const,
        // nice: 5 rounds the top up to a labelled tick, so the tallest bar ends under a grid line.
        scale: { nice: 5 },
        axis: { title: 'Escalations', tickMinStep: 1, format: 'd' },
      },
      color: {
        field: 'trigger',
        type: 'nominal' as const,
        scale: { domain: chart.series.map((s) => s.label), range: colours },
        legend: {
          title: null,
          orient: 'bottom' as const,
          direction: 'horizontal' as const,
          // One row fits six usual labels in the width; more wrap onto a second row.
          columns: chart.series.length <= 6 ? chart.series.length : Math.ceil(chart.series.length / 2),
          labelLimit: 130,
        },
      },
      order: { field: 'order', type: 'quantitative' as const },
    },
  };

  const medianLayer = {
    data: { values: medians },
    mark: {
      type: 'line' as const,
      color: MEDIAN_COLOUR,
      strokeWidth: 2,
      point: { filled: true, size: 36, color: MEDIAN_COLOUR },
      invalid: 'break-paths-filter-domains' as const,
    },
    encoding: {
      x,
      y: {
        field: 'hours',
        type: 'quantitative' as const,
        scale: { nice: 5 },
        axis: { title: MEDIAN_LABEL, orient: 'right' as const, tickMinStep: 1 },
      },
      // A one-entry legend, top right, so readers know what the line is without reading the axis title.
      strokeDash: {
        datum: MEDIAN_LABEL,
        legend: {
          title: null,
          orient: 'top' as const,
          symbolType: 'stroke',
          symbolStrokeWidth: 2,
          symbolSize: 150,
          // Vega-Lite fills a line's legend symbol, which draws nothing for a stroke shape.
          encode: { symbols: { update: { stroke: { value: MEDIAN_COLOUR } } } },
        },
      },
    },
  };

  return {
    ...frame(chart, size),
    layer: anyMedian ? [barLayer, medianLayer] : [barLayer],
    resolve: { scale: { y: 'independent' } },
  };
}

/** A quiet week still gets a picture: the title and a plain sentence instead of empty axes. */
function emptyWeekSpec(chart: DigestChart, size: ChartSize): TopLevelSpec {
  return {
    ...frame(chart, size),
    data: { values: [{}] },
    mark: { type: 'text', text: EMPTY_WEEK_TEXT, fontSize: 20, color: MUTED },
  };
}

/** `2026-03-02` → `Mon 2`; the dates are calendar days, so UTC keeps the weekday right everywhere. */
const DAY_LABEL_EXPR = "utcFormat(toDate(datum.value + 'T00:00:00Z'), '%a %-d')";

function frame(chart: DigestChart, size: ChartSize) {
  return {
    title: { text: chart.title, anchor: 'start' as const, fontSize: 16, color: INK, offset: 12 },
    width: size.width,
    height: size.height,
    // The given size is the whole picture, axes, legend and title included.
    autosize: { type: 'fit' as const, contains: 'padding' as const },
    padding: 12,
    background: 'white',
    config: {
      font: CHART_FONT_FAMILY,
      // Only the regular weight is bundled; asking for bold would be faked differently per renderer.
      title: { fontWeight: 'normal' as const },
      axis: {
        titleFontWeight: 'normal' as const,
        titleFontSize: 12,
        titleColor: MUTED,
        labelFontSize: 11,
        labelColor: INK,
        domainColor: '#999999',
        tickColor: '#999999',
        gridColor: '#e6e6e6',
      },
      legend: {
        labelFontSize: 11,
        labelColor: INK,
        titleFontWeight: 'normal' as const,
      },
      view: { stroke: null },
    },
  };
}
