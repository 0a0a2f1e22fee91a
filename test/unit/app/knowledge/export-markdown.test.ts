import { describe, expect, it } from 'vitest';
import { namesOf } from '../../../../src/app/dashboard/people-names.js';
import {
  escapeBlock,
  escapeInline,
  knowledgeMarkdown,
} from '../../../../src/app/knowledge/export-markdown.js';
import {
  KnowledgeExportUsageError,
  parseKnowledgeExportArgs,
} from '../../../../src/app/knowledge/parse-knowledge-export-args.js';
import type { KnowledgeEntry } from '../../../../src/domain/knowledge.js';

function entry(overrides: Partial<KnowledgeEntry>): KnowledgeEntry {
  return {
    id: 'kno_1',
    escalationId: 'esc_1',
    escalationNumber: 1,
    issueId: 'iss_1',
    issueNumber: 1,
    channel: 'slack:C0SUPPORT',
    threadId: '1700000000.000100',
    path: 'tech',
    problem: 'The CSV export fails with error 500\nExport broken, no idea why',
    resolutionNote: 'Cleared the cache',
    rootCause: 'knowledge_gap',
    answer: 'Press "Clear export cache" in Settings.',
    resolvedBy: 'slack:U0SAM',
    // 23:30 UTC on 2 March is 10:30 on 3 March in Sydney: the date is the policy's.
    resolvedAt: new Date('2026-03-02T23:30:00Z'),
    ...overrides,
  };
}

const names = () =>
  namesOf(
    {
      names: async () =>
        new Map([
          ['slack:U0SAM', 'Sam Specialist'],
          ['slack:U0RILEY', 'Riley Lead'],
        ]),
    },
    ['slack:U0SAM', 'slack:U0RILEY'],
  );

describe('the knowledge export as Markdown', () => {
  it('groups answers by path (alphabetical), each under its problem, with where it came from', async () => {
    const markdown = knowledgeMarkdown(
      [
        entry({}),
        entry({
          id: 'kno_2',
          escalationNumber: 7,
          path: 'billing',
          problem: 'Refund over the limit',
          answer: 'Team leads approve refunds up to 500 AUD.',
          rootCause: 'authority_gap',
          resolvedBy: 'slack:U0RILEY',
        }),
        entry({
          id: 'kno_3',
          escalationNumber: 9,
          problem: '',
          answer: 'Restart the sync from the admin page.',
        }),
      ],
      { timeZone: 'Australia/Sydney', names: await names(), since: '2026-03-01' },
    );
    expect(markdown).toBe(
      [
        '# Escalator knowledge base',
        '',
        'Reusable answers from resolved escalations, written by the people who resolved them, grouped by escalation path. Only escalations resolved on or after 2026-03-01.',
        '',
        '## billing',
        '',
        '### Refund over the limit',
        '',
        'Team leads approve refunds up to 500 AUD.',
        '',
        '<sub>From escalation #7, resolved by Riley Lead on 2026-03-03 · Authority gap</sub>',
        '',
        '## tech',
        '',
        '### The CSV export fails with error 500',
        '',
        'Press "Clear export cache" in Settings.',
        '',
        '<sub>From escalation #1, resolved by Sam Specialist on 2026-03-03 · Knowledge gap</sub>',
        '',
        '### Escalation #9',
        '',
        'Restart the sync from the admin page.',
        '',
        '<sub>From escalation #9, resolved by Sam Specialist on 2026-03-03 · Knowledge gap</sub>',
        '',
      ].join('\n'),
    );
  });

  it("escapes people's text, so an answer starting with # is not a heading and markup shows as typed", async () => {
    const markdown = knowledgeMarkdown(
      [
        entry({
          problem: '# Export ### broken <b>now</b>',
          answer:
            '# Not a heading\n1. not a list\n- nor this\n> nor a quote\n[a link](https://evil.example) and *stars* `code` <script>x</script>\n\n===',
        }),
      ],
      { timeZone: 'UTC', names: await names() },
    );
    expect(markdown).toContain('### \\# Export \\#\\#\\# broken \\<b\\>now\\</b\\>\n');
    expect(markdown).toContain(
      [
        '\\# Not a heading\\',
        '1\\. not a list\\',
        '\\- nor this\\',
        '\\> nor a quote\\',
        '\\[a link\\](https://evil.example) and \\*stars\\* \\`code\\` \\<script\\>x\\</script\\>',
        '',
        '\\===',
      ].join('\n'),
    );
    // The only headings are Escalator's own.
    expect(markdown.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      '# Escalator knowledge base',
      '## tech',
      '### \\# Export \\#\\#\\# broken \\<b\\>now\\</b\\>',
    ]);
  });

  it('writes mentions as names, and says so when there is nothing to export', async () => {
    const markdown = knowledgeMarkdown([entry({ answer: 'Ask <@slack:U0RILEY> to approve it.' })], {
      timeZone: 'UTC',
      names: await names(),
    });
    expect(markdown).toContain('Ask Riley Lead to approve it.');
    expect(knowledgeMarkdown([], { timeZone: 'UTC', names: await names() })).toContain(
      '_No reusable answers yet._',
    );
  });

  it('keeps line breaks and paragraphs, and escapes what opens code or emphasis inside a line', () => {
    expect(escapeBlock('first\nsecond\n\n  third   ')).toEqual(['first\\', 'second', '', 'third']);
    expect(escapeInline('a_b*c~d|e&amp;f\\g')).toBe('a\\_b\\*c\\~d\\|e\\&amp;f\\\\g');
  });
});

describe('npm run knowledge:export arguments', () => {
  it('reads --since and --out, both optional', () => {
    expect(parseKnowledgeExportArgs([])).toEqual({ help: false });
    expect(parseKnowledgeExportArgs(['--since', '2026-03-01', '--out=kb.md'])).toEqual({
      help: false,
      since: '2026-03-01',
      out: 'kb.md',
    });
    expect(parseKnowledgeExportArgs(['--help'])).toEqual({ help: true });
  });

  it.each([
    [
      ['--since', '2026-02-30'],
      '--since "2026-02-30" is not a date: write it as YYYY-MM-DD, e.g. --since 2026-11-01.',
    ],
    [['--since'], '--since needs a value, e.g. --since 2026-11-01.'],
    [['--since', '--out', 'kb.md'], '--since needs a value, e.g. --since 2026-11-01.'],
    [['--from', '2026-03-01'], 'Unknown option --from: the options are --since, --out and --help.'],
    [['kb.md'], 'Unexpected argument "kb.md": options are written --since YYYY-MM-DD and --out FILE.'],
    [['--out', 'a.md', '--out', 'b.md'], '--out is given twice: give it once.'],
  ])('refuses %j, naming the argument', (argv, message) => {
    expect(() => parseKnowledgeExportArgs(argv)).toThrow(new KnowledgeExportUsageError(message));
  });
});
