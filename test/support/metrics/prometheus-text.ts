/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), enough to check that
 * `/metrics` is what a Prometheus server accepts and to read sample values in tests. Throws on the
 * first line that is not valid, saying which.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Metric family name → its `# TYPE`. */
  types: Map<string, string>;
  samples: Sample[];
  /** The value of the sample with exactly these labels, or undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample of a family (all label sets), as `{labels} value` lines, sorted: easy to compare whole. */
  series(name: string): string[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES = ['_total', '_bucket', '_sum', '_count', '_created'];

export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  function fail(n: number, line: string, why: string): never {
    throw new Error(`line ${n + 1} is not Prometheus text (${why}): ${line}`);
  }
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, n) => {
      if (line === '') return;
      if (line.startsWith('#')) {
        const type = new RegExp(`^# TYPE (${NAME}) (\\S+)$`).exec(line);
        if (type) {
          if (!TYPES.has(type[2]!)) fail(n, line, `unknown type ${type[2]}`);
          if (types.has(type[1]!)) fail(n, line, 'a second TYPE for the same family');
          types.set(type[1]!, type[2]!);
          return;
        }
        if (line.startsWith('# TYPE')) fail(n, line, 'bad TYPE line');
        if (line.startsWith('# HELP') && !new RegExp(`^# HELP ${NAME} `).test(line))
          fail(n, line, 'bad HELP line');
        return;
      }
      const match = SAMPLE.exec(line);
      if (!match) fail(n, line, 'not a sample');
      const [, name, rawLabels = '', rawValue] = match;
      const family = familyOf(name!, types);
      if (!family) fail(n, line, `sample of ${name} before its TYPE`);
      const value = parseValue(rawValue!);
      if (value === undefined) fail(n, line, `value ${rawValue} is not a number`);
      const labels: Record<string, string> = {};
      let rest = rawLabels;
      while (rest.length > 0) {
        const label = LABEL.exec(rest);
        if (!label) fail(n, line, `bad labels at ${rest}`);
        if (label[1]! in labels) fail(n, line, `label ${label[1]} twice`);
        labels[label[1]!] = label[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        rest = rest.slice(label[0].length);
      }
      samples.push({ name: name!, labels, value: value! });
    });

  const same = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
  return {
    types,
    samples,
    value: (name, labels = {}) => samples.find((s) => s.name === name && same(s.labels, labels))?.value,
    series: (name) =>
      samples
        .filter((s) => s.name === name)
        .map(
          (s) =>
            `{${Object.entries(s.labels)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => `${k}="${v}"`)
              .join(',')}} ${s.value}`,
        )
        .sort(),
  };
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const suffix = SUFFIXES.find((s) => name.endsWith(s) && types.has(name.slice(0, -s.length)));
  return suffix ? name.slice(0, -suffix.length) : undefined;
}

/** As Prometheus reads them (Go's ParseFloat): NaN and Inf in any case, with an optional sign. */
function parseValue(raw: string): number | undefined {
  const special = raw.toLowerCase().replace(/^\+/, '');
  if (special === 'nan') return Number.NaN;
  if (special === 'inf' || special === 'infinity') return Number.POSITIVE_INFINITY;
  if (special === '-inf' || special === '-infinity') return Number.NEGATIVE_INFINITY;
  const value = Number(raw);
  return raw.trim() !== '' && !Number.isNaN(value) ? value : undefined;
}
