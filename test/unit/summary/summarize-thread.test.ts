import { describe, expect, it } from 'vitest';
import type { ThreadMessage } from '../../../src/domain/issue.js';
import { condense, formatDuration, readableText } from '../../../src/domain/summary/readable-text.js';
import { SUMMARY_LIMITS, summarizeThread } from '../../../src/domain/summary/summarize-thread.js';
import { makeIssue } from '../../support/core/domain-builders.js';

const TZ = 'UTC';
const START = new Date('2026-03-02T09:00:00.000Z');
const CUSTOMER = 'slack:UCUST1';
const AGENT = 'slack:U0AGENT';
const LEAD = 'slack:U0LEAD';

let n = 0;
/** A message `minutes` after START. */
function msg(minutes: number, text: string, authorId = CUSTOMER): ThreadMessage {
  n += 1;
  return {
    id: `msg_${n}`,
    issueId: 'iss_test1',
    messageId: `1770000000.${String(n).padStart(6, '0')}`,
    authorId,
    authorRole: authorId === CUSTOMER ? 'customer' : 'staff',
    text,
    sentAt: new Date(START.getTime() + minutes * 60_000),
    editedAt: null,
    deletedAt: null,
  };
}

function summarize(messages: ThreadMessage[], nowMinutes = 120, products: string[] = []) {
  return summarizeThread({
    issue: makeIssue({ openedAt: START, firstResponseAt: null }),
    messages,
    products,
    now: new Date(START.getTime() + nowMinutes * 60_000),
    timeZone: TZ,
  });
}

describe("problem: the customer's first words", () => {
  it('is the first customer message as written, on one line', () => {
    const s = summarize([
      msg(0, 'Export fails\nwith   E42'),
      msg(5, 'Which browser?', AGENT),
      msg(6, 'Chrome'),
    ]);
    expect(s.problem).toEqual({ text: 'Export fails with E42', cut: false, messages: 1 });
  });

  it('joins an opening burst ("Hi" then the problem) sent before any staff reply', () => {
    const s = summarize([
      msg(0, 'Hi team'),
      msg(1, 'our nightly export fails since the update'),
      msg(2, 'Which export?', AGENT),
      msg(3, 'The payroll one'),
    ]);
    expect(s.problem?.text).toBe('Hi team / our nightly export fails since the update');
    expect(s.latest?.text).toBe('The payroll one');
  });

  it('leaves quoted lines, code and link markup out, and masks e-mail addresses', () => {
    const s = summarize([
      msg(
        0,
        '> what the agent said\nSee <https://status.acme.com|the status page>, mail <mailto:carla@acme.com|carla@acme.com>\n```stack trace```',
      ),
    ]);
    expect(s.problem?.text).toBe('See the status page, mail c***@acme.com [code]');
  });

  it('is condensed to its budget, at a sentence end, and says it was cut', () => {
    const long = `${'The export fails every night. '.repeat(60)}Please help.`;
    const s = summarize([msg(0, long)]);
    expect(s.problem?.cut).toBe(true);
    expect(s.problem!.text.length).toBeLessThanOrEqual(SUMMARY_LIMITS.problem);
    expect(s.problem!.text).toMatch(/night\. … \(cut to fit\)$/);
  });

  it('falls back to the first message when no customer wrote (staff opened it for them)', () => {
    expect(summarize([msg(0, 'Customer called: invoices are doubled', AGENT)]).problem?.text).toBe(
      'Customer called: invoices are doubled',
    );
  });
});

describe('tried so far: what staff did, one line each', () => {
  it('condenses each staff reply to one line, oldest first, leaving out acknowledgements and bot commands', () => {
    const s = summarize([
      msg(0, 'Export fails'),
      msg(1, 'ok', AGENT),
      msg(2, 'I restarted the export worker.\nLet me know if it works.', AGENT),
      msg(3, '<@U0BOT> escalate to tech P2 still broken', AGENT),
      msg(4, 'escalate to tech P2 still broken', AGENT), // Teams strips the mention
      msg(5, 'Cleared the cache for your workspace', LEAD),
    ]);
    expect(s.tried).toEqual({
      items: [
        {
          authorId: AGENT,
          at: expect.any(Date),
          text: 'I restarted the export worker. Let me know if it works.',
        },
        { authorId: LEAD, at: expect.any(Date), text: 'Cleared the cache for your workspace' },
      ],
      more: 0,
    });
  });

  it('cuts a long reply to one line and says so', () => {
    const s = summarize([msg(0, 'help'), msg(1, `Checked ${'the logs and the queue '.repeat(30)}`, AGENT)]);
    const [line] = s.tried.items;
    expect(line!.text.length).toBeLessThanOrEqual(SUMMARY_LIMITS.triedLine);
    expect(line!.text.endsWith('…')).toBe(true);
  });

  it('with more replies than room, keeps the ones that did something, most recent first, and counts the rest', () => {
    const chatter = Array.from({ length: 12 }, (_, i) =>
      msg(10 + i, `Thanks for waiting, update ${i} soon`, AGENT),
    );
    const actions = [
      msg(30, 'Restarted the sync service', AGENT),
      msg(31, 'Refunded the duplicate charge', AGENT),
    ];
    const s = summarize([msg(0, 'help'), ...chatter, ...actions, msg(40, 'Any news on this one?', AGENT)]);
    expect(s.tried.items).toHaveLength(SUMMARY_LIMITS.tried);
    expect(s.tried.more).toBe(15 - SUMMARY_LIMITS.tried);
    const texts = s.tried.items.map((t) => t.text);
    expect(texts).toContain('Restarted the sync service');
    expect(texts).toContain('Refunded the duplicate charge');
    expect(texts.at(-1)).toBe('Any news on this one?'); // still in thread order
  });

  it('repeats count once', () => {
    const s = summarize([
      msg(0, 'help'),
      msg(1, 'Checking with billing now', AGENT),
      msg(2, 'Checking with billing now', AGENT),
    ]);
    expect(s.tried.items.map((t) => t.text)).toEqual(['Checking with billing now']);
  });
});

describe('latest from the customer', () => {
  it('is the newest customer message, not a staff one', () => {
    const s = summarize([
      msg(0, 'Export fails'),
      msg(5, 'Any news? We invoice tomorrow'),
      msg(6, 'Looking', AGENT),
    ]);
    expect(s.latest).toEqual({
      text: 'Any news? We invoice tomorrow',
      cut: false,
      at: new Date(START.getTime() + 5 * 60_000),
    });
  });

  it('is absent when the only customer message is already the problem', () => {
    expect(summarize([msg(0, 'Only message')]).latest).toBeUndefined();
  });
});

describe("mood over the customer's messages", () => {
  it('worsening, with the scores', () => {
    const s = summarize([
      msg(0, 'Hi, thanks for the quick help last time, great service'),
      msg(10, 'The export is still failing'),
      msg(20, 'This is terrible, I am furious and disappointed, it is useless'),
    ]);
    expect(s.mood?.trend).toBe('worsening');
    expect(s.mood?.scores).toHaveLength(3);
    expect(s.mood!.scores.at(-1)!).toBeLessThan(0);
  });

  it('improving', () => {
    const s = summarize([
      msg(0, 'This is terrible and broken, I am angry'),
      msg(10, 'Still broken'),
      msg(20, 'It works now, thank you so much, great job!'),
    ]);
    expect(s.mood?.trend).toBe('improving');
  });

  it('steady', () => {
    expect(summarize([msg(0, 'The export fails'), msg(10, 'The export still fails')]).mood?.trend).toBe(
      'steady',
    );
  });

  it('no trend from one message, but its score', () => {
    const s = summarize([msg(0, 'This is awful')]);
    expect(s.mood).toEqual({ scores: [expect.any(Number)], total: expect.any(Number) });
    expect(s.mood!.scores[0]!).toBeLessThan(0);
  });
});

describe('timeline', () => {
  it('opened, first response and how long it took, messages, participants, and how long the customer waits', () => {
    const s = summarize(
      [
        msg(0, 'Export fails'),
        msg(15, 'Looking into it', AGENT),
        msg(20, 'Thanks'),
        msg(30, 'Restarted the worker', LEAD),
        msg(60, 'Still failing'),
        msg(75, 'Any news?'),
      ],
      120,
    );
    expect(s.timeline).toMatchObject({
      openedAt: START,
      firstResponse: { at: new Date(START.getTime() + 15 * 60_000), afterMs: 15 * 60_000 },
      messages: 6,
      customerMessages: 4,
      staffMessages: 2,
      participants: 3,
      customerParticipants: 1,
      staffParticipants: 2,
      waiting: {
        since: new Date(START.getTime() + 75 * 60_000),
        forMs: 45 * 60_000,
        unanswered: { count: 2, since: new Date(START.getTime() + 60 * 60_000) },
      },
    });
    expect(s.timeline.lines).toEqual([
      'Opened: Mon 2 Mar, 09:00 UTC',
      'First response: Mon 2 Mar, 09:15 UTC (after 15m)',
      'Messages: 6 (4 from the customer, 2 from staff)',
      'Participants: 3 (1 customer, 2 staff)',
      "Waiting: 45m since the customer's last message (Mon 2 Mar, 10:15 UTC), no staff reply since; 2 unanswered messages, the first 1h ago",
    ]);
  });

  it('no first response yet, and no waiting when staff wrote last', () => {
    expect(summarize([msg(0, 'Export fails')], 90).timeline.lines[1]).toBe(
      'First response: none yet (1h 30m since it opened)',
    );
    const answered = summarize([msg(0, 'Export fails'), msg(10, 'On it, checking the logs', AGENT)]);
    expect(answered.timeline.waiting).toBeUndefined();
    expect(answered.timeline.lines[4]).toBe('Waiting: no, staff replied last (Mon 2 Mar, 09:10 UTC)');
  });

  it('opens at the first message when Escalator learned of the thread later (a backfill)', () => {
    const s = summarizeThread({
      issue: makeIssue({ openedAt: new Date(START.getTime() + 60 * 60_000) }),
      messages: [msg(0, 'Export fails')],
      products: [],
      now: new Date(START.getTime() + 90 * 60_000),
      timeZone: TZ,
    });
    expect(s.timeline.openedAt).toEqual(START);
  });

  it('an empty thread has only a timeline', () => {
    const s = summarize([]);
    expect(s).toMatchObject({ facts: { items: [], more: 0 }, tried: { items: [], more: 0 } });
    expect(s.problem).toBeUndefined();
    expect(s.timeline.lines.at(-1)).toBe('Waiting: no messages yet');
  });
});

describe('a whole thread', () => {
  it('is deterministic', () => {
    const thread = [
      msg(0, 'Order #A-1042 was charged $1,250'),
      msg(3, 'Refunded it', AGENT),
      msg(9, 'Thanks!'),
    ];
    expect(summarize(thread)).toEqual(summarize(thread));
  });

  it('caps the key facts and counts the ones left out', () => {
    const thread = Array.from({ length: 30 }, (_, i) => msg(i, `order ${10_000 + i} failed`));
    const s = summarize(thread);
    expect(s.facts.items).toHaveLength(SUMMARY_LIMITS.facts);
    expect(s.facts.more).toBe(30 - SUMMARY_LIMITS.facts);
  });

  it('summarises 500 messages of 2,000 characters in a few milliseconds', () => {
    const filler = 'The nightly export to the ledger stopped again and nobody knows why yet. ';
    const thread = Array.from({ length: 500 }, (_, i) =>
      msg(
        i,
        `${i % 11 === 0 ? `Order #${20_000 + i}, $${i + 1},000, E${1000 + i}. ` : ''}${filler.repeat(30)}`.slice(
          0,
          2000,
        ),
        i % 2 ? AGENT : CUSTOMER,
      ),
    );
    summarize(thread, 600, ['Acme Billing']); // warm up
    const runs = Array.from({ length: 5 }, () => {
      const started = performance.now();
      summarize(thread, 600, ['Acme Billing']);
      return performance.now() - started;
    }).sort((a, b) => a - b);
    expect(runs[2]!).toBeLessThan(100); // typically 5-15 ms; generous for slow CI machines
  });
});

describe('text helpers', () => {
  it('condense cuts at a word when there is no sentence end and never splits an emoji', () => {
    expect(condense('alpha beta gamma delta epsilon', 20, '…')).toEqual({
      text: 'alpha beta gamma…',
      cut: true,
    });
    const emoji = '🔥'.repeat(50);
    const cut = condense(emoji, 21, '…').text;
    expect(cut.endsWith('…')).toBe(true);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false);
  });

  it('readableText turns Slack tokens into words and never pings a channel', () => {
    expect(readableText('<!here> <@U0ALICE> see <#C01|billing> and <https://x.io/a>')).toBe(
      '@here <@slack:U0ALICE> see #billing and https://x.io/a',
    );
  });

  it('formatDuration reads like people talk', () => {
    expect([45_000, 5 * 60_000, 125 * 60_000, 50 * 3_600_000].map(formatDuration)).toEqual([
      '45s',
      '5m',
      '2h 5m',
      '2d 2h',
    ]);
  });
});
