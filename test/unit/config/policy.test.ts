import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { loadPolicyFile, parsePolicy } from '../../../src/config/load-policy.js';

const EXAMPLE_FILE = resolve(import.meta.dirname, '../../../escalation-policy.example.yaml');
const example = readFileSync(EXAMPLE_FILE, 'utf8');

/** The problems `parsePolicy` reports (fails the test if it does not throw a ConfigError). */
function problemsOf(yaml: string): string[] {
  try {
    parsePolicy(yaml, 'policy.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected parsePolicy to throw');
}

/**
 * Where a problem should be reported: `at` is text in the edited file with `^` just before the
 * character the problem points at. Returns the `line L, col C` prefix the loader should print.
 */
function positionOf(text: string, at: string): string {
  const index = text.indexOf(at.replace('^', ''));
  if (index < 0) throw new Error(`marker ${at} not found`);
  const before = text.slice(0, index + at.indexOf('^')).split('\n');
  return `line ${before.length}, col ${before.at(-1)!.length + 1}`;
}

describe('the example policy', () => {
  const policy = loadPolicyFile(EXAMPLE_FILE);

  it('loads, with durations in milliseconds', () => {
    expect(policy.timezone).toBe('Australia/Sydney');
    expect(policy.checker.everyMs).toBe(60_000);
    expect(policy.priorities.P1).toEqual({
      firstResponseMs: 900_000,
      resolveMs: 14_400_000,
      clock: 'calendar',
    });
    expect(policy.priorities.P2).toEqual({
      firstResponseMs: 3_600_000,
      resolveMs: 86_400_000,
      clock: 'business',
    });
    expect(policy.defaultPriority).toBe('P3');
    expect(policy.retention.messageTextMs).toBe(90 * 86_400_000);
  });

  it('has business hours, staff and support channels', () => {
    expect(policy.businessHours).toEqual({
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '09:00',
      end: '17:00',
      holidays: { country: 'AU', state: 'NSW', dates: ['2026-12-24'] },
    });
    expect(policy.staff).toEqual({ slackTeamIds: ['T0HOME'], teamsTenantIds: [], userIds: ['slack:U0LEAD'] });
    expect(policy.supportChannels).toEqual([{ channel: 'slack:C0SUPPORT', path: 'tech' }]);
  });

  it('names each path after its key and maps level durations', () => {
    expect(Object.keys(policy.paths)).toEqual(['tech', 'management', 'vendors']);
    expect(policy.paths.tech).toEqual({
      name: 'tech',
      type: 'functional',
      levels: [
        { name: 'L2 Tech', channel: 'slack:C0L2', ackWithinMs: 1_800_000, resolveWithinMs: 14_400_000 },
        { name: 'L3 Engineering', channel: 'slack:C0L3', ackWithinMs: 900_000, resolveWithinMs: 28_800_000 },
      ],
    });
    expect(policy.paths.management?.levels.map((l) => l.channel)).toEqual(['slack:C0LEADS', 'slack:C0HEAD']);
    expect(policy.paths.vendors?.levels[0]).toEqual({
      name: 'Payments vendor',
      webhook: { url: 'https://vendor.example.com/escalations', secretEnv: 'VENDOR_HOOK_SECRET' },
    });
  });

  it('has every trigger', () => {
    expect(policy.triggers.slaBreach).toEqual({ path: 'tech' });
    expect(policy.triggers.systemic).toEqual({
      path: 'tech',
      level: 2,
      minThreads: 3,
      withinMs: 3_600_000,
      similarity: 0.5,
    });
    expect(policy.triggers.highValue).toEqual({
      path: 'management',
      priority: 'P2',
      accounts: [{ match: 'acme.com', tier: 'enterprise' }],
      amountOver: { value: 10000, currency: 'AUD' },
    });
    expect(policy.triggers.legal?.phrases).toContain('GDPR');
    expect(policy.triggers.managerRequest?.phrases).toEqual(['speak to (a|your) manager', 'supervisor']);
    expect(policy.triggers.dissatisfaction).toMatchObject({
      sentimentBelow: -3,
      phrases: ['cancel my account'],
    });
    expect(policy.digest).toEqual({ schedule: '0 9 * * mon', channels: ['slack:C0LEADS'] });
  });
});

describe('defaults', () => {
  it('fills in business hours, checker, staff, triggers and retention', () => {
    const policy = parsePolicy(
      [
        'timezone: UTC',
        'supportChannels: [{ channel: "teams:19:abc@thread.tacv2", path: tech }]',
        'priorities: { P2: { firstResponse: 1h, resolve: 1d } }',
        'defaultPriority: P2',
        'paths: { tech: { type: functional, levels: [{ name: L2, channel: slack:C0L2 }] } }',
      ].join('\n'),
      'minimal.yaml',
    );
    expect(policy.businessHours).toEqual({
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '09:00',
      end: '17:00',
      holidays: { dates: [] },
    });
    expect(policy.checker).toEqual({ everyMs: 60_000 });
    expect(policy.staff).toEqual({ slackTeamIds: [], teamsTenantIds: [], userIds: [] });
    expect(policy.triggers).toEqual({});
    expect(policy.retention).toEqual({});
    expect(policy.digest).toBeUndefined();
    expect(policy.priorities.P2?.clock).toBe('business');
    expect(policy.knowledge).toEqual({ similarity: 0.35, withinMs: 365 * 24 * 3_600_000, suggestions: 3 });
    expect(policy.transcripts).toEqual({ showEmails: false });
  });
});

/** One broken edit of the example file each: what is reported, where, and what it says is allowed. */
const cases: {
  name: string;
  from: string | RegExp;
  to: string;
  at: string;
  path: string;
  allowed: string;
}[] = [
  {
    name: 'a bad duration',
    from: 'ackWithin: 30m',
    to: 'ackWithin: 30x',
    at: 'ackWithin: ^30x',
    path: 'paths.tech.levels[0].ackWithin',
    allowed:
      '"30x" is not a duration: use a number followed by s, m, h, d or w, such as 30s, 15m, 4h, 2d, 1w',
  },
  {
    name: 'a bad duration type',
    from: 'checker: { every: 1m }',
    to: 'checker: { every: 60 }',
    at: 'every: ^60',
    path: 'checker.every',
    allowed: 'such as 30s, 15m',
  },
  {
    name: 'a bad time',
    from: 'start: "09:00"',
    to: 'start: "9am"',
    at: 'start: ^"9am"',
    path: 'businessHours.start',
    allowed: 'HH:MM',
  },
  {
    name: 'an unknown weekday',
    from: 'days: [mon, tue, wed, thu, fri]',
    to: 'days: [mon, tue, wed, thu, fry]',
    at: 'thu, ^fry]',
    path: 'businessHours.days[4]',
    allowed: 'mon, tue, wed, thu, fri, sat or sun',
  },
  {
    name: 'a priority beyond P4',
    from: '  P4: {',
    to: '  P5: {',
    at: '^P5: {',
    path: 'priorities.P5',
    allowed: 'allowed keys are P1, P2, P3, P4',
  },
  {
    name: 'a default priority that is not a priority',
    from: 'defaultPriority: P3',
    to: 'defaultPriority: P7',
    at: 'defaultPriority: ^P7',
    path: 'defaultPriority',
    allowed: 'P1, P2, P3 or P4',
  },
  {
    name: 'a default priority not defined under priorities',
    from: '  P3: { firstResponse: 4h, resolve: 3d }\n',
    to: '',
    at: 'defaultPriority: ^P3',
    path: 'defaultPriority',
    allowed: 'defined are P1, P2, P4',
  },
  {
    name: 'a bad clock',
    from: 'clock: calendar',
    to: 'clock: always',
    at: 'clock: ^always',
    path: 'priorities.P1.clock',
    allowed: 'business or calendar',
  },
  {
    name: 'a channel without a platform prefix',
    from: 'channel: slack:C0SUPPORT',
    to: 'channel: C0SUPPORT',
    at: 'channel: ^C0SUPPORT',
    path: 'supportChannels[0].channel',
    allowed: 'use slack:C0123 or teams:19:...@thread.tacv2',
  },
  {
    name: 'a staff user without a platform prefix',
    from: 'userIds: [slack:U0LEAD]',
    to: 'userIds: [U0LEAD]',
    at: 'userIds: [^U0LEAD]',
    path: 'staff.userIds[0]',
    allowed: 'slack:U0123',
  },
  {
    name: 'a support channel naming a missing path',
    from: '{ channel: slack:C0SUPPORT, path: tech }',
    to: '{ channel: slack:C0SUPPORT, path: billing }',
    at: 'path: ^billing',
    path: 'supportChannels[0].path',
    allowed: 'no path named "billing": defined paths are tech, management, vendors',
  },
  {
    name: 'a trigger naming a missing path',
    from: 'slaBreach: { path: tech }',
    to: 'slaBreach: { path: teck }',
    at: 'path: ^teck',
    path: 'triggers.slaBreach.path',
    allowed: 'defined paths are tech, management, vendors',
  },
  {
    name: 'a trigger level beyond the path',
    from: 'level: 2, minThreads',
    to: 'level: 3, minThreads',
    at: 'level: ^3',
    path: 'triggers.systemic.level',
    allowed: 'use 1 to 2',
  },
  {
    name: 'a trigger priority not defined under priorities',
    from: '  P2: { firstResponse: 1h, resolve: 1d }\n',
    to: '',
    at: 'priority: ^P2',
    path: 'triggers.highValue.priority',
    allowed: 'defined are P1, P3, P4',
  },
  {
    name: 'a level with neither channel nor webhook',
    from: '{ name: L2 Tech, channel: slack:C0L2, ',
    to: '{ name: L2 Tech, ',
    at: '- ^{ name: L2 Tech',
    path: 'paths.tech.levels[0]',
    allowed: 'needs a channel or a webhook',
  },
  {
    name: 'a path with no levels',
    from: /( {4}levels:\n)( {6}#[^\n]*\n)?( {6}- \{ name: Payments vendor[^\n]*\n)/,
    to: '    levels: []\n',
    at: 'levels: ^[]',
    path: 'paths.vendors.levels',
    allowed: 'at least one level',
  },
  {
    name: 'an invalid time zone',
    from: 'timezone: Australia/Sydney',
    to: 'timezone: Australia/Sidney',
    at: 'timezone: ^Australia/Sidney',
    path: 'timezone',
    allowed: 'IANA time zone name',
  },
  {
    name: 'an unknown top-level key',
    from: 'defaultPriority: P3\n',
    to: 'defaultPriority: P3\ndefaultPriorty: P2\n',
    at: '^defaultPriorty',
    path: 'defaultPriorty',
    allowed:
      'unknown key "defaultPriorty" (did you mean defaultPriority?); allowed keys are timezone, businessHours,',
  },
  {
    name: 'an unknown nested key',
    from: 'ackWithin: 15m, resolveWithin: 8h',
    to: 'ackWithin: 15m, resolvewithin: 8h',
    at: '^resolvewithin',
    path: 'paths.tech.levels[1].resolvewithin',
    allowed: 'allowed keys are name, channel, webhook, ackWithin, resolveWithin',
  },
  {
    name: 'an unknown trigger',
    from: 'triggers:\n',
    to: 'triggers:\n  angry: { path: tech }\n',
    at: '^angry',
    path: 'triggers.angry',
    allowed: 'allowed keys are slaBreach, managerRequest, highValue, systemic, legal, dissatisfaction',
  },
  {
    name: 'missing support channels',
    from: /supportChannels:\n[^\n]*\n/,
    to: '',
    at: '^timezone',
    path: 'supportChannels',
    allowed: 'is required',
  },
  {
    name: 'an empty digest schedule',
    from: 'schedule: "0 9 * * mon"',
    to: 'schedule: ""',
    at: 'schedule: ^""',
    path: 'digest.schedule',
    allowed: 'must not be empty',
  },
  {
    name: 'a digest schedule that is no cron expression',
    from: 'schedule: "0 9 * * mon"',
    to: 'schedule: "0 25 * * mon"',
    at: 'schedule: ^"0 25',
    path: 'digest.schedule',
    allowed: 'cron hour "25" is not valid: use 0-23',
  },
  {
    name: 'an invalid phrase pattern',
    from: '"supervisor"',
    to: '"(supervisor"',
    at: '^"(supervisor"',
    path: 'triggers.managerRequest.phrases[1]',
    allowed: 'regular expressions',
  },
  {
    name: 'an account match that is no domain, team, tenant or user',
    from: 'match: "acme.com"',
    to: 'match: "Acme Corp"',
    at: 'match: ^"Acme Corp"',
    path: 'triggers.highValue.accounts[0].match',
    allowed:
      '"Acme Corp" is not an account match: use an e-mail domain (acme.com), a Slack team id (T0123ABC), a Microsoft tenant id',
  },
  {
    name: 'an account match that is an e-mail address',
    from: 'match: "acme.com"',
    to: 'match: "ann@acme.com"',
    at: 'match: ^"ann@acme.com"',
    path: 'triggers.highValue.accounts[0].match',
    allowed: 'or a prefixed user id (slack:U0123, teams:29:...)',
  },
  {
    name: 'replaceDefaults that is not true or false',
    from: 'managerRequest: { path: management, phrases:',
    to: 'managerRequest: { path: management, replaceDefaults: yes, phrases:',
    at: 'replaceDefaults: ^yes',
    path: 'triggers.managerRequest.replaceDefaults',
    allowed: '"yes" is not true or false: use true to use only the phrases listed here',
  },
  {
    name: 'replaceDefaults with no phrases to replace them',
    from: 'legal: { path: management, priority: P1, phrases: ["lawyer", "legal action", "GDPR"] }',
    to: 'legal: { path: management, priority: P1, replaceDefaults: true }',
    at: 'P1, replaceDefaults: ^true',
    path: 'triggers.legal.replaceDefaults',
    allowed: 'replaceDefaults: true with no phrases leaves nothing to match',
  },
  {
    name: 'a high-value trigger with neither accounts nor an amount',
    from: /( {4}accounts: [^\n]*\n)( {4}amountOver: [^\n]*\n)/,
    to: '',
    at: '  highValue:\n    ^path: management',
    path: 'triggers.highValue',
    allowed: 'highValue needs accounts or amountOver to fire',
  },
  {
    name: 'a systemic similarity above 1',
    from: 'similarity: 0.5 }',
    to: 'similarity: 5 }',
    at: 'similarity: ^5 }',
    path: 'triggers.systemic.similarity',
    allowed: '5 is not a similarity: use a number from 0 to 1',
  },
  {
    name: 'a knowledge similarity that is not a number',
    from: 'knowledge: { similarity: 0.35,',
    to: 'knowledge: { similarity: high,',
    at: 'knowledge: { similarity: ^high,',
    path: 'knowledge.similarity',
    allowed: '"high" is not a similarity: use a number from 0 to 1',
  },
  {
    name: 'more than three suggestions',
    from: 'suggestions: 3 }',
    to: 'suggestions: 5 }',
    at: 'suggestions: ^5 }',
    path: 'knowledge.suggestions',
    allowed: 'use a whole number from 0 (none shown) to 3',
  },
  {
    name: 'a misspelt transcripts key',
    from: 'transcripts: { showEmails: false }',
    to: 'transcripts: { showEmail: false }',
    at: 'transcripts: { ^showEmail: false }',
    path: 'transcripts.showEmail',
    allowed: 'showEmail',
  },
];

describe('a broken policy', () => {
  it.each(cases)(
    'reports $name with its line, key path and what is allowed',
    ({ from, to, at, path, allowed }) => {
      const broken = example.replace(from, to);
      expect(broken).not.toBe(example);
      const problems = problemsOf(broken);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        new RegExp(`^${positionOf(broken, at)}: ${path.replace(/[.[\]]/g, '\\$&')}: `),
      );
      expect(problems[0]).toContain(allowed);
    },
  );

  it('reports several problems at once, in file order, under one heading', () => {
    const broken = example
      .replace('timezone: Australia/Sydney', 'timezone: Nowhere')
      .replace('ackWithin: 30m', 'ackWithin: 30x')
      .replace('slaBreach: { path: tech }', 'slaBreach: { path: teck }');
    let error: unknown;
    try {
      parsePolicy(broken, 'my-policy.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { message, problems } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('timezone:');
    expect(problems[1]).toContain('paths.tech.levels[0].ackWithin:');
    expect(problems[2]).toContain('triggers.slaBreach.path:');
    expect(message.startsWith('Escalation policy my-policy.yaml is invalid:\n  - line ')).toBe(true);
    expect(message.split('\n')).toHaveLength(4);
  });

  it.each([
    ['an unclosed flow mapping', 'timezone: UTC\nchecker: { every: 1m\n', 'YAML syntax error'],
    ['a duplicate key', 'timezone: UTC\ntimezone: UTC\n', 'line 2, col 1: YAML syntax error'],
    ['a bad indent', 'timezone: UTC\n  paths: x\n   y: z\n', 'YAML syntax error'],
  ])('reports %s as a YAML syntax error with its line', (_, yaml, expected) => {
    const problems = problemsOf(yaml);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^line \d+, col \d+: YAML syntax error: /);
    expect(problems[0]).toContain(expected);
  });

  it('reports an empty file and a file that is not a mapping', () => {
    expect(problemsOf('')[0]).toContain('the file is empty');
    expect(problemsOf('- a\n- b\n')[0]).toContain('a list is not a mapping; allowed keys are timezone');
  });

  it('reports a file that cannot be read', () => {
    expect(() => loadPolicyFile('/nonexistent/policy.yaml')).toThrow(
      /Escalation policy \/nonexistent\/policy.yaml cannot be read:\n {2}- no such file/,
    );
  });
});

describe('triggers', () => {
  const minimal = (triggers: string) =>
    parsePolicy(
      [
        'timezone: UTC',
        'supportChannels: [{ channel: slack:C1, path: tech }]',
        'priorities: { P3: { firstResponse: 1h, resolve: 1d } }',
        'defaultPriority: P3',
        'paths: { tech: { type: functional, levels: [{ name: L2, channel: slack:C2 }] } }',
        'triggers:',
        triggers,
      ].join('\n'),
      'triggers.yaml',
    ).triggers;

  it('are enabled by naming them: phrase triggers use the built-in phrases, systemic its defaults', () => {
    const triggers = minimal(
      [
        '  managerRequest: { path: tech }',
        '  legal: { path: tech }',
        '  dissatisfaction: { path: tech }',
        '  systemic: { path: tech }',
      ].join('\n'),
    );
    expect(triggers).toEqual({
      managerRequest: { path: 'tech', phrases: [] },
      legal: { path: 'tech', phrases: [] },
      dissatisfaction: { path: 'tech', phrases: [] },
      systemic: { path: 'tech', minThreads: 3, withinMs: 3_600_000, similarity: 0.5 },
    });
    expect(triggers.dissatisfaction?.sentimentBelow).toBeUndefined();
  });

  it('keep replaceDefaults and partial systemic settings', () => {
    const triggers = minimal(
      [
        '  managerRequest: { path: tech, phrases: ["head honcho"], replaceDefaults: true }',
        '  legal: { path: tech, phrases: ["Widget Act"], replaceDefaults: false }',
        '  systemic: { path: tech, within: 30m }',
      ].join('\n'),
    );
    expect(triggers.managerRequest).toEqual({
      path: 'tech',
      phrases: ['head honcho'],
      replaceDefaults: true,
    });
    expect(triggers.legal).toEqual({ path: 'tech', phrases: ['Widget Act'], replaceDefaults: false });
    expect(triggers.systemic).toEqual({ path: 'tech', minThreads: 3, withinMs: 1_800_000, similarity: 0.5 });
  });

  it('accept each form of high-value account match', () => {
    const triggers = minimal(
      [
        '  highValue:',
        '    path: tech',
        '    accounts:',
        '      - { match: acme.com, tier: enterprise }',
        '      - { match: eu.acme.co.uk }',
        '      - { match: T0GLOBEX, tier: gold }',
        '      - { match: 72f988bf-86f1-41af-91ab-2d7cd011db47 }',
        '      - { match: "slack:U0VIP" }',
        '      - { match: "teams:29:1abcDEF" }',
      ].join('\n'),
    );
    expect(triggers.highValue?.accounts.map((a) => a.match)).toEqual([
      'acme.com',
      'eu.acme.co.uk',
      'T0GLOBEX',
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
      'slack:U0VIP',
      'teams:29:1abcDEF',
    ]);
  });

  it('accept a high-value trigger with only an amount', () => {
    const triggers = minimal('  highValue: { path: tech, amountOver: { value: 5000, currency: USD } }');
    expect(triggers.highValue).toEqual({
      path: 'tech',
      accounts: [],
      amountOver: { value: 5000, currency: 'USD' },
    });
  });
});

describe('other checks', () => {
  it.each([
    ['a month that does not exist', '"2026-13-01"'],
    ['a day that does not exist', '"2026-02-30"'],
    ['another date form', '"24/12/2026"'],
  ])('rejects a holiday with %s', (_, date) => {
    const problems = problemsOf(example.replace('"2026-12-24"', date));
    expect(problems).toEqual([
      expect.stringContaining(`businessHours.holidays.dates[0]: ${date} is not a date: use YYYY-MM-DD`),
    ]);
  });

  it('rejects business hours that end before they start', () => {
    const problems = problemsOf(example.replace('end: "17:00"', 'end: "08:00"'));
    expect(problems).toEqual([
      expect.stringContaining('businessHours.end: "08:00" is not after start "09:00"'),
    ]);
  });

  it('rejects a support channel listed twice', () => {
    const twice = example.replace(
      '  - { channel: slack:C0SUPPORT, path: tech }\n',
      '  - { channel: slack:C0SUPPORT, path: tech }\n  - { channel: slack:C0SUPPORT, path: management }\n',
    );
    expect(problemsOf(twice)).toEqual([
      expect.stringContaining('supportChannels[1].channel: "slack:C0SUPPORT" is listed twice'),
    ]);
  });

  it('gives each parsed policy its own default lists', () => {
    const minimal = [
      'timezone: UTC',
      'supportChannels: [{ channel: slack:C1, path: tech }]',
      'priorities: { P3: { firstResponse: 1h, resolve: 1d } }',
      'defaultPriority: P3',
      'paths: { tech: { type: functional, levels: [{ name: L2, channel: slack:C2 }] } }',
    ].join('\n');
    const first = parsePolicy(minimal, 'a.yaml');
    first.businessHours.days.push('sat');
    first.staff.userIds.push('slack:U1');
    const second = parsePolicy(minimal, 'b.yaml');
    expect(second.businessHours.days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(second.staff.userIds).toEqual([]);
  });

  it('follows YAML anchors and merge keys', () => {
    const yaml = example.replace(
      '      - { name: Head of Support, channel: slack:C0HEAD, ackWithin: 2h }',
      '      - &head { name: Head of Support, channel: slack:C0HEAD, ackWithin: 2h }\n      - { <<: *head, name: VP Support }',
    );
    const levels = parsePolicy(yaml, 'anchors.yaml').paths.management?.levels;
    expect(levels?.[2]).toEqual({ name: 'VP Support', channel: 'slack:C0HEAD', ackWithinMs: 7_200_000 });
  });
});
