import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../support/metrics/prometheus-text.js';

/** The reader the /metrics tests rely on must itself refuse what Prometheus would refuse. */
describe('the Prometheus text reader used by the tests', () => {
  const valid = [
    '# HELP escalator_x_total Things.',
    '# TYPE escalator_x_total counter',
    'escalator_x_total{platform="slack",kind="a \\"quoted\\" one"} 3',
    '# TYPE lag gauge',
    'lag Nan',
    '',
  ].join('\n');

  it('reads samples, labels (with escapes) and NaN as Prometheus does', () => {
    const text = parsePrometheusText(valid);
    expect(text.value('escalator_x_total', { platform: 'slack', kind: 'a "quoted" one' })).toBe(3);
    expect(text.value('lag')).toBeNaN();
    expect(text.series('escalator_x_total')).toEqual(['{kind="a "quoted" one",platform="slack"} 3']);
  });

  it.each([
    ['a sample before its TYPE', 'x 1\n'],
    ['an unknown type', '# TYPE x countr\nx 1\n'],
    ['a value that is not a number', '# TYPE x gauge\nx one\n'],
    ['unquoted label values', '# TYPE x gauge\nx{a=b} 1\n'],
    ['a label given twice', '# TYPE x gauge\nx{a="1",a="2"} 1\n'],
    ['a second TYPE line', '# TYPE x gauge\n# TYPE x gauge\nx 1\n'],
    ['no final newline', '# TYPE x gauge\nx 1'],
  ])('refuses %s', (_name, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
