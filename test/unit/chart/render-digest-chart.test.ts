import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fontMeasure } from '../../../adapters/chart/font-metrics.js';
import {
  DIGEST_CHART_HEIGHT,
  DIGEST_CHART_WIDTH,
  renderDigestChartPng,
  renderDigestChartSvg,
} from '../../../adapters/chart/render-digest-chart.js';
import type { DigestChart } from '../../../src/domain/digest/chart.js';
import { readPng } from '../../support/core/read-png.js';

/** Teams allows about 28 KB per bot message; the PNG is embedded as base64 next to the card's text. */
const PNG_BUDGET_BYTES = 18 * 1024;

const WEEK = [
  '2026-03-02',
  '2026-03-03',
  '2026-03-04',
  '2026-03-05',
  '2026-03-06',
  '2026-03-07',
  '2026-03-08',
];

function typicalWeek(overrides: Partial<DigestChart> = {}): DigestChart {
  return {
    title: 'Escalations, week 2026-W10 (2–8 March)',
    days: WEEK,
    series: [
      { trigger: 'manual', label: 'Manual', counts: [4, 6, 3, 5, 7, 0, 1] },
      { trigger: 'sla_breach', label: 'SLA breach', counts: [2, 1, 3, 0, 2, 0, 0] },
      { trigger: 'manager_request', label: 'Manager request', counts: [1, 0, 2, 1, 1, 0, 0] },
      { trigger: 'high_value', label: 'High value', counts: [0, 1, 1, 0, 2, 0, 0] },
      { trigger: 'legal', label: 'Legal / compliance', counts: [0, 0, 1, 0, 0, 0, 0] },
      { trigger: 'dissatisfaction', label: 'Dissatisfaction', counts: [1, 2, 0, 1, 1, 1, 0] },
    ],
    medianResolveHours: [3.5, 5.2, 2.1, 4.8, 6, null, 1.2],
    ...overrides,
  };
}

const emptyWeek = (): DigestChart => ({
  title: 'Escalations, week 2026-W11 (9–15 March)',
  days: WEEK,
  series: [],
  medianResolveHours: WEEK.map(() => null),
});

/** The colours the chart gives these triggers' bars. */
const MANUAL_BLUE = [0x4c, 0x78, 0xa8];
const LEGAL_PURPLE = [0xb2, 0x79, 0xa2];

/** Decodes the PNG with resvg (a decoder independent of the one that wrote it) and counts pixels of one colour. */
function pixelsOfColour(png: Uint8Array, [r, g, b]: number[]): number {
  const href = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${DIGEST_CHART_WIDTH}" height="${DIGEST_CHART_HEIGHT}"><image xlink:href="${href}" width="${DIGEST_CHART_WIDTH}" height="${DIGEST_CHART_HEIGHT}"/></svg>`;
  const pixels = new Resvg(svg, { imageRendering: 1 }).render().pixels;
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i] === r && pixels[i + 1] === g && pixels[i + 2] === b) count++;
  }
  return count;
}

/** The texts Vega wrote into the SVG: title, axis labels and titles, legend labels. */
async function textsOf(chart: DigestChart): Promise<string[]> {
  const svg = await renderDigestChartSvg(chart);
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the digest chart PNG', () => {
  it('is a valid PNG of the fixed size for a typical week', async () => {
    const png = readPng(await renderDigestChartPng(typicalWeek()));

    expect({ width: png.width, height: png.height }).toEqual({
      width: DIGEST_CHART_WIDTH,
      height: DIGEST_CHART_HEIGHT,
    });
  });

  it('stays small enough to embed in a Teams card for a typical week', async () => {
    const png = await renderDigestChartPng(typicalWeek());

    expect(png.length).toBeLessThanOrEqual(PNG_BUDGET_BYTES);
  });

  it('stays within the budget for a crowded week: every trigger on every day', async () => {
    const triggers = [
      ['manual', 'Manual'],
      ['sla_breach', 'SLA breach'],
      ['manager_request', 'Manager request'],
      ['high_value', 'High value'],
      ['systemic', 'Systemic'],
      ['legal', 'Legal / compliance'],
      ['dissatisfaction', 'Dissatisfaction'],
      ['ack_timeout', 'Unclaimed'],
      ['bounce', 'Bounced back'],
    ];
    const crowded = typicalWeek({
      series: triggers.map(([trigger, label], t) => ({
        trigger: trigger!,
        label: label!,
        counts: WEEK.map((_, d) => 1 + ((t * 7 + d * 3) % 9)),
      })),
      medianResolveHours: [12.5, 30.25, 7, 48, 19.5, 3.75, 26],
    });

    const png = await renderDigestChartPng(crowded);

    expect(readPng(png).width).toBe(DIGEST_CHART_WIDTH);
    expect(png.length).toBeLessThanOrEqual(PNG_BUDGET_BYTES);
  });

  it('draws each trigger in its colour, and no bar for a trigger that did not fire', async () => {
    const withLegal = await renderDigestChartPng(typicalWeek());
    const withoutLegal = await renderDigestChartPng(
      typicalWeek({ series: typicalWeek().series.filter((s) => s.trigger !== 'legal') }),
    );

    expect(pixelsOfColour(withLegal, MANUAL_BLUE)).toBeGreaterThan(5_000);
    expect(pixelsOfColour(withLegal, LEGAL_PURPLE)).toBeGreaterThan(500);
    expect(pixelsOfColour(withoutLegal, LEGAL_PURPLE)).toBe(0);
  });

  it('renders a week without escalations as a picture that says so', async () => {
    const png = await renderDigestChartPng(emptyWeek());

    const info = readPng(png);
    expect([info.width, info.height]).toEqual([DIGEST_CHART_WIDTH, DIGEST_CHART_HEIGHT]);
    expect(pixelsOfColour(png, MANUAL_BLUE)).toBe(0);
    const texts = await textsOf(emptyWeek());
    expect(texts.sort()).toEqual(['Escalations, week 2026-W11 (9–15 March)', 'No escalations this week']);
  });

  it('gives the same bytes for the same week, whatever was drawn before', async () => {
    const first = await renderDigestChartPng(typicalWeek());
    await renderDigestChartPng(emptyWeek());
    const again = await renderDigestChartPng(typicalWeek());

    expect(Buffer.compare(first, again)).toBe(0);
  });

  it('gives a different picture for different figures', async () => {
    const week = typicalWeek();
    const busierMonday = typicalWeek({
      series: week.series.map((s, i) => (i === 0 ? { ...s, counts: [9, ...s.counts.slice(1)] } : s)),
    });

    const a = await renderDigestChartPng(week);
    const b = await renderDigestChartPng(busierMonday);

    expect(Buffer.compare(a, b)).not.toBe(0);
  });

  it('asks nothing of the network', async () => {
    const fetch = vi.fn(() => Promise.reject(new Error('no network in this test')));
    vi.stubGlobal('fetch', fetch);

    await renderDigestChartPng(typicalWeek());
    await renderDigestChartPng(emptyWeek());

    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('what the chart says', () => {
  it('puts every day of the period on the x axis, quiet days included, labelled like "Mon 2"', async () => {
    // Nothing at all on the weekend: no bar, and nothing resolved, so no point of the median line either.
    const quietWeekend = typicalWeek({
      series: typicalWeek().series.map((s) => ({ ...s, counts: [...s.counts.slice(0, 5), 0, 0] })),
      medianResolveHours: WEEK.map(() => null),
    });

    const texts = await textsOf(quietWeekend);

    expect(texts).toEqual(
      expect.arrayContaining(['Mon 2', 'Tue 3', 'Wed 4', 'Thu 5', 'Fri 6', 'Sat 7', 'Sun 8']),
    );
  });

  it('names every trigger in the legend and the median line on its own axis', async () => {
    const texts = await textsOf(typicalWeek());

    expect(texts).toEqual(
      expect.arrayContaining([
        'Escalations, week 2026-W10 (2–8 March)',
        'Manual',
        'SLA breach',
        'Manager request',
        'High value',
        'Legal / compliance',
        'Dissatisfaction',
        'Escalations',
        'Median hours to resolve',
      ]),
    );
  });

  it('leaves the median line out when nothing was resolved, rather than drawing an empty axis', async () => {
    const texts = await textsOf(typicalWeek({ medianResolveHours: WEEK.map(() => null) }));

    expect(texts).toContain('Escalations');
    expect(texts).not.toContain('Median hours to resolve');
  });

  it('draws titles and labels with markup characters as text', async () => {
    const chart = typicalWeek({
      title: 'Support <EU> & "APAC"',
      series: [{ trigger: 'custom', label: 'R&D <beta>', counts: [1, 0, 0, 0, 0, 0, 0] }],
    });

    const texts = await textsOf(chart);
    const png = readPng(await renderDigestChartPng(chart));

    expect(texts).toEqual(
      expect.arrayContaining(['Support &lt;EU&gt; &amp; "APAC"', 'R&amp;D &lt;beta&gt;']),
    );
    expect(png.width).toBe(DIGEST_CHART_WIDTH);
  });
});

describe('fontMeasure', () => {
  const measure = fontMeasure(
    fileURLToPath(new URL('../../../adapters/chart/fonts/DejaVuSans.ttf', import.meta.url)),
  );

  it("reads the bundled font's own advance widths", () => {
    // DejaVu Sans (2048 units per em): every digit advances 1303 units, a space 651.
    expect(measure('0123456789', 2048)).toBe(13_030);
    expect(measure(' ', 2048)).toBe(651);
    expect(measure('Manual', 11)).toBeGreaterThan(measure('iiiiii', 11));
  });
});
