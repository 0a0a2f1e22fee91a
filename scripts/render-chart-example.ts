/**
 * Renders the weekly digest's chart for a made-up but realistic week and writes it to
 * `docs/images/digest-chart-example.png`, the picture the documentation shows.
 *
 *   npx tsx scripts/render-chart-example.ts
 *
 * Prints the PNG's size, which has to stay small enough to embed in a Teams card.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DIGEST_CHART_HEIGHT,
  DIGEST_CHART_WIDTH,
  renderDigestChartPng,
} from '../adapters/chart/render-digest-chart.js';
import type { DigestChart } from '../src/domain/digest/chart.js';

const OUT = fileURLToPath(new URL('../docs/images/digest-chart-example.png', import.meta.url));

/** Busy weekdays, a quiet weekend, a legal scare on Wednesday; Saturday's escalation is still open. */
const EXAMPLE_WEEK: DigestChart = {
  title: 'Escalations, week 2026-W10 (2–8 March)',
  days: ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'],
  series: [
    { trigger: 'manual', label: 'Manual', counts: [4, 6, 3, 5, 7, 0, 1] },
    { trigger: 'sla_breach', label: 'SLA breach', counts: [2, 1, 3, 0, 2, 0, 0] },
    { trigger: 'manager_request', label: 'Manager request', counts: [1, 0, 2, 1, 1, 0, 0] },
    { trigger: 'high_value', label: 'High value', counts: [0, 1, 1, 0, 2, 0, 0] },
    { trigger: 'legal', label: 'Legal / compliance', counts: [0, 0, 1, 0, 0, 0, 0] },
    { trigger: 'dissatisfaction', label: 'Dissatisfaction', counts: [1, 2, 0, 1, 1, 1, 0] },
  ],
  medianResolveHours: [3.5, 5.2, 2.1, 4.8, 6, null, 1.2],
};

const png = await renderDigestChartPng(EXAMPLE_WEEK);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, png);
console.log(
  `wrote ${relative(process.cwd(), OUT)}: ${DIGEST_CHART_WIDTH}×${DIGEST_CHART_HEIGHT} px, ${png.length} bytes`,
);
