import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import type { DigestChart } from '../../src/domain/digest/chart.js';
import { CHART_FONT_FAMILY, digestChartSpec } from './digest-chart-spec.js';
import { encodeOpaquePng } from './encode-png.js';
import { fontMeasure, type MeasureText } from './font-metrics.js';

/** The PNG's size in pixels, whatever the data: cards and messages can reserve the space. */
export const DIGEST_CHART_WIDTH = 720;
export const DIGEST_CHART_HEIGHT = 360;

/** Bundled so the picture comes out the same on every machine, with or without system fonts. */
const FONT_FILE = fileURLToPath(new URL('./fonts/DejaVuSans.ttf', import.meta.url));

/**
 * Vega may only use the inline data of the spec: no chart service, no URL, no file. A spec that
 * asks for anything else fails instead of reaching out.
 */
const offlineLoader: vega.Loader = {
  load: (uri) => refuse(uri),
  sanitize: (uri) => refuse(uri),
  http: (uri) => refuse(uri),
  file: (filename) => refuse(filename),
};

function refuse(what: string): Promise<never> {
  return Promise.reject(new Error(`the digest chart renders offline and may not load ${what}`));
}

/** The digest's picture as a PNG of DIGEST_CHART_WIDTH × DIGEST_CHART_HEIGHT pixels. */
export async function renderDigestChartPng(chart: DigestChart): Promise<Buffer> {
  const svg = await renderDigestChartSvg(chart);
  const image = new Resvg(svg, {
    fitTo: { mode: 'width', value: DIGEST_CHART_WIDTH },
    background: 'white',
    font: {
      fontFiles: [FONT_FILE],
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    logLevel: 'off',
  }).render();
  return encodeOpaquePng(image.pixels, image.width, image.height);
}

/** The same picture as SVG, as Vega lays it out before resvg draws it. */
export async function renderDigestChartSvg(chart: DigestChart): Promise<string> {
  measureWithBundledFont();
  const spec = digestChartSpec(chart, { width: DIGEST_CHART_WIDTH, height: DIGEST_CHART_HEIGHT });
  const view = new vega.View(vega.parse(spec), { renderer: 'none', loader: offlineLoader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Vega's text measurement hook: exported but not typed; its source expects replacements (vl-convert sets one). */
interface VegaTextMetrics {
  width: (item: { fontSize?: number }, text: unknown) => number;
}

let measure: MeasureText | undefined;

/**
 * Vega measures text for layout (legend spacing, axis room) through one process-wide hook. Pointed
 * at the bundled font, the layout matches the glyphs resvg draws, on every machine.
 */
function measureWithBundledFont(): void {
  measure ??= fontMeasure(FONT_FILE);
  const metrics = (vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics;
  const byFont = measure;
  metrics.width = (item, text) => byFont(text == null ? '' : String(text).trim(), item.fontSize ?? 11);
}
