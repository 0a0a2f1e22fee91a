import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../src/config/config-error.js';
import { parseDuration } from '../../src/config/duration.js';
import { parsePolicy } from '../../src/config/load-policy.js';
import { PATH_TYPES, PRIORITIES } from '../../src/domain/policy.js';

/**
 * Property tests of the policy loader: random valid policies load with every value in place;
 * random breakages of one value are reported with the line of that value and its key path, and
 * nothing the loader is given makes it throw anything but a ConfigError.
 */

type Json = Record<string, unknown>;

const duration = fc
  .tuple(fc.integer({ min: 1, max: 500 }), fc.constantFrom('s', 'm', 'h', 'd', 'w'))
  .map(([n, u]) => `${n}${u}`);
const slackChannel = fc.stringMatching(/^C[A-Z0-9]{4,9}$/).map((id) => `slack:${id}`);
const teamsChannel = fc.stringMatching(/^[a-z0-9]{6,12}$/).map((id) => `teams:19:${id}@thread.tacv2`);
const channel = fc.oneof(slackChannel, teamsChannel);
const name = fc.stringMatching(/^[a-z][a-z0-9]{1,9}$/);

const level = fc.record(
  {
    name: fc.stringMatching(/^[A-Z][A-Za-z0-9 ]{0,15}[A-Za-z0-9]$/),
    channel,
    ackWithin: duration,
    resolveWithin: duration,
  },
  { requiredKeys: ['name', 'channel'] },
);
const sla = fc.record(
  { firstResponse: duration, resolve: duration, clock: fc.constantFrom('business', 'calendar') },
  { requiredKeys: ['firstResponse', 'resolve'] },
);

/** A valid policy as an admin would write it (as data; the tests write it out as YAML). */
const validPolicy = fc
  .record({
    timezone: fc.constantFrom('UTC', 'Australia/Sydney', 'Europe/London', 'America/New_York'),
    pathNames: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
    paths: fc.array(
      fc.record({
        type: fc.constantFrom(...PATH_TYPES),
        levels: fc.array(level, { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 3, maxLength: 3 },
    ),
    support: fc.uniqueArray(channel, { minLength: 1, maxLength: 3 }),
    priorities: fc.subarray([...PRIORITIES], { minLength: 1 }),
    slas: fc.array(sla, { minLength: 4, maxLength: 4 }),
    every: fc.constantFrom('5s', '30s', '1m', '5m', '15m', '1h'),
    pick: fc.nat(),
  })
  .map((r): Json => {
    const paths = Object.fromEntries(r.pathNames.map((p, i) => [p, r.paths[i]!]));
    return {
      timezone: r.timezone,
      checker: { every: r.every },
      supportChannels: r.support.map((c, i) => ({ channel: c, path: r.pathNames[i % r.pathNames.length] })),
      priorities: Object.fromEntries(r.priorities.map((p, i) => [p, r.slas[i]!])),
      defaultPriority: r.priorities[r.pick % r.priorities.length],
      paths,
      triggers: { slaBreach: { path: r.pathNames[0] } },
    };
  });

const clone = (p: Json): Json => structuredClone(p);
const firstPath = (p: Json) => Object.keys(p.paths as Json)[0]!;
const firstPriority = (p: Json) => Object.keys(p.priorities as Json)[0]!;
const levelsOf = (p: Json, path: string) => (p.paths as Record<string, { levels: Json[] }>)[path]!.levels;

interface Breakage {
  /** The key path the loader must name (as it prints it). */
  key: string;
  /** The key whose line the problem must be on (undefined: a missing key, placed on its parent). */
  onLineOf?: string;
  apply(policy: Json): void;
}

const junkDuration = fc.constantFrom(
  '30 minutes',
  '1.5h',
  'soon',
  '0m',
  '-5m',
  '15',
  'm15',
  42,
  true,
  null,
  [],
);
/** One thing wrong with a valid policy: a bad value, an unknown key, a missing key, a wrong type. */
const breakage: fc.Arbitrary<(p: Json) => Breakage> = fc.oneof(
  junkDuration.map((junk) => (p: Json) => {
    const path = firstPath(p);
    return {
      key: `paths.${path}.levels[0].ackWithin`,
      onLineOf: 'ackWithin',
      apply: (q: Json) => {
        levelsOf(q, path)[0]!.ackWithin = junk;
      },
    };
  }),
  junkDuration.map((junk) => (p: Json) => {
    const priority = firstPriority(p);
    return {
      key: `priorities.${priority}.resolve`,
      onLineOf: 'resolve',
      apply: (q: Json) => {
        ((q.priorities as Json)[priority] as Json).resolve = junk;
      },
    };
  }),
  fc.stringMatching(/^[a-z]{3,10}$/).map((typo) => (p: Json) => {
    const path = firstPath(p);
    const key = `x${typo}`;
    return {
      key: `paths.${path}.levels[0].${key}`,
      onLineOf: key,
      apply: (q: Json) => {
        levelsOf(q, path)[0]![key] = '5m';
      },
    };
  }),
  fc.constantFrom('ackWithn', 'timeZone', 'suportChannels').map((typo) => (p: Json) => ({
    key: typo === 'ackWithn' ? `paths.${firstPath(p)}.levels[0].ackWithn` : typo,
    onLineOf: typo,
    apply: (q: Json) => {
      if (typo === 'ackWithn') levelsOf(q, firstPath(p))[0]!.ackWithn = '5m';
      else q[typo] = 'x';
    },
  })),
  fc.constantFrom('timezone', 'defaultPriority').map((missing) => () => ({
    key: missing,
    apply: (q: Json) => {
      delete q[missing];
    },
  })),
  fc.stringMatching(/^C[A-Z0-9]{3,8}$/).map((bare) => () => ({
    key: 'supportChannels[0].channel',
    onLineOf: 'channel',
    apply: (q: Json) => {
      (q.supportChannels as Json[])[0]!.channel = bare;
    },
  })),
  fc.constantFrom(7, 'sideways', true).map((type) => (p: Json) => ({
    key: `paths.${firstPath(p)}.type`,
    onLineOf: 'type',
    apply: (q: Json) => {
      (q.paths as Record<string, Json>)[firstPath(p)]!.type = type;
    },
  })),
  fc.constantFrom('P5', 'high', 1).map((priority) => () => ({
    key: 'defaultPriority',
    onLineOf: 'defaultPriority',
    apply: (q: Json) => {
      q.defaultPriority = priority;
    },
  })),
);

/** The ConfigError parsePolicy throws (fails the test when it returns or throws anything else). */
function configErrorOf(yaml: string): ConfigError {
  try {
    parsePolicy(yaml, 'policy.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`parsePolicy threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
  }
  throw new Error('parsePolicy accepted a broken policy');
}

describe('parsePolicy', () => {
  it('loads every random valid policy with its values in place', () => {
    fc.assert(
      fc.property(validPolicy, (written) => {
        const policy = parsePolicy(stringify(written), 'policy.yaml');
        expect(policy.timezone).toBe(written.timezone);
        expect(policy.defaultPriority).toBe(written.defaultPriority);
        expect(policy.supportChannels).toEqual(written.supportChannels);
        for (const [pathName, path] of Object.entries(written.paths as Record<string, { levels: Json[] }>)) {
          expect(policy.paths[pathName]!.levels).toHaveLength(path.levels.length);
          path.levels.forEach((l, i) => {
            const loaded = policy.paths[pathName]!.levels[i]!;
            expect(loaded.name).toBe(l.name);
            expect(loaded.channel).toBe(l.channel);
            expect(loaded.ackWithinMs).toBe(
              l.ackWithin === undefined ? undefined : parseDuration(String(l.ackWithin)),
            );
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('one thing broken: a ConfigError whose problem names the line and the key', () => {
    fc.assert(
      fc.property(validPolicy, breakage, (written, makeBreakage) => {
        const broken = clone(written);
        const what = makeBreakage(written);
        what.apply(broken);
        const yaml = stringify(broken);
        const error = configErrorOf(yaml);
        const lines = yaml.split('\n');
        // Every problem is placed, and one of them is about the broken key, on its line.
        for (const problem of error.problems) expect(problem).toMatch(/^line \d+, col \d+: /);
        const about = error.problems.find((p) => p.includes(` ${what.key}: `));
        expect(about, `${what.key} in ${JSON.stringify(error.problems)}`).toBeDefined();
        if (what.onLineOf) {
          const line = Number(/^line (\d+)/.exec(about!)![1]);
          expect(lines[line - 1]).toContain(`${what.onLineOf}:`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('throws nothing but a ConfigError, whatever the file holds', () => {
    const yamlish = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'{}[]:-,&*!|>#"\' \nab1'.split('')), maxLength: 80 }),
      fc
        .anything()
        .map((v) => stringify(v))
        .filter((t): t is string => typeof t === 'string'),
      validPolicy.chain((p) =>
        fc.tuple(fc.nat(), fc.string({ maxLength: 5 })).map(([at, insert]) => {
          const text = stringify(p);
          const i = at % (text.length + 1);
          return text.slice(0, i) + insert + text.slice(i);
        }),
      ),
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        try {
          parsePolicy(text, 'policy.yaml');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          for (const problem of (error as ConfigError).problems) expect(typeof problem).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a path may be named like a JavaScript built-in and is found only by its name; "__proto__" is refused', () => {
    const builtIn = fc.constantFrom(
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'prototype',
      '__proto__',
    );
    fc.assert(
      fc.property(validPolicy, builtIn, builtIn, (written, own, other) => {
        const renamed = clone(written);
        const old = firstPath(renamed);
        const paths = renamed.paths as Json;
        const entries = Object.entries(paths).map(([n, p]) => [n === old ? own : n, p] as const);
        // Built with defineProperty: a plain assignment of "__proto__" would not make a key.
        renamed.paths = entries.reduce(
          (o, [n, p]) => Object.defineProperty(o, n, { value: p, enumerable: true, writable: true }),
          {} as Json,
        );
        for (const c of renamed.supportChannels as Json[]) if (c.path === old) c.path = own;
        ((renamed.triggers as Json).slaBreach as Json).path = firstPath(written) === old ? own : old;
        const yaml = stringify(renamed);
        if (own === '__proto__') {
          expect(configErrorOf(yaml).problems.some((p) => p.includes(' paths.__proto__: '))).toBe(true);
          return;
        }
        const policy = parsePolicy(yaml, 'policy.yaml');
        expect(policy.paths[own]?.name).toBe(own);
        if (other !== own) expect(policy.paths[other]).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
