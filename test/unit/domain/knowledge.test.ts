import { describe, expect, it } from 'vitest';
import { type KnowledgeEntry, maskEmails, rankSimilarPast } from '../../../src/domain/knowledge.js';

const settings = { similarity: 0.35, max: 3 };

let seq = 0;
function entry(overrides: Partial<KnowledgeEntry> & Pick<KnowledgeEntry, 'problem'>): KnowledgeEntry {
  seq += 1;
  return {
    id: `kno_${seq}`,
    escalationId: `esc_${seq}`,
    escalationNumber: seq,
    issueId: `iss_${seq}`,
    issueNumber: seq,
    channel: 'slack:C0SUPPORT',
    threadId: `1770000000.00000${seq}`,
    path: 'tech',
    resolutionNote: 'Fixed it.',
    rootCause: 'system_issue',
    answer: null,
    resolvedBy: 'slack:U0SPEC',
    resolvedAt: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

describe('rankSimilarPast', () => {
  const exportFix = entry({
    problem: 'The CSV export fails with error 500 when I export invoices',
    resolutionNote: 'Cleared the export cache.',
  });
  const address = entry({ problem: 'Please change the delivery address of my account' });

  it('finds the resolution of a thread that says the same thing in other words, and not an unrelated one', () => {
    const found = rankSimilarPast(
      'Exporting my invoices to CSV gives an error 500',
      [address, exportFix],
      settings,
    );
    expect(found.map((f) => f.escalationNumber)).toEqual([exportFix.escalationNumber]);
    expect(found[0]).toMatchObject({
      text: 'Cleared the export cache.',
      isAnswer: false,
      rootCause: 'system_issue',
    });
    expect(found[0]!.score).toBeGreaterThanOrEqual(0.35);
  });

  it('shows nothing when nothing reaches the threshold', () => {
    expect(rankSimilarPast('My password reset mail never arrives', [address, exportFix], settings)).toEqual(
      [],
    );
    expect(
      rankSimilarPast('Exporting invoices to CSV gives error 500', [exportFix], {
        ...settings,
        similarity: 0.99,
      }),
    ).toEqual([]);
  });

  it('puts reusable answers first, then the most similar, then the most recent, and stops at max', () => {
    const close = entry({ problem: 'CSV export of invoices fails with error 500' });
    const answered = entry({
      problem: 'invoice export error',
      resolutionNote: 'Cache.',
      answer:
        'Settings, Data, Clear export cache. Exports of invoices work again after a minute; CSV error 500 gone.',
    });
    const older = entry({
      problem: 'CSV export of invoices fails with error 500',
      resolvedAt: new Date('2026-01-01T00:00:00Z'),
    });
    const found = rankSimilarPast(
      'CSV export of invoices fails with error 500',
      [older, close, answered, exportFix],
      {
        similarity: 0.2,
        max: 3,
      },
    );
    expect(found.map((f) => f.entryId)).toEqual([answered.id, close.id, older.id]);
    expect(found[0]).toMatchObject({ isAnswer: true, text: answered.answer });
  });

  it('needs more than one word in common: a vague thread is not "similar" to everything', () => {
    expect(rankSimilarPast('It does not work, help', [exportFix], settings)).toEqual([]);
  });

  it("leaves out the thread's own earlier resolutions", () => {
    const found = rankSimilarPast(
      'CSV export fails with error 500 on invoices',
      [exportFix],
      settings,
      exportFix.issueId,
    );
    expect(found).toEqual([]);
  });

  it('shows nothing for an empty thread or a max of 0', () => {
    expect(rankSimilarPast('   ', [exportFix], settings)).toEqual([]);
    expect(rankSimilarPast('CSV export fails with error 500', [exportFix], { ...settings, max: 0 })).toEqual(
      [],
    );
  });
});

describe('maskEmails', () => {
  it('masks every address but keeps the first letter and the domain', () => {
    expect(maskEmails('Write to jane.doe@acme.com or ops+alerts@mail.example.co.uk, thanks')).toBe(
      'Write to j…@acme.com or o…@mail.example.co.uk, thanks',
    );
  });

  it('leaves text without addresses alone', () => {
    expect(maskEmails('Mention @jane and user@localhost are not addresses')).toBe(
      'Mention @jane and user@localhost are not addresses',
    );
  });
});
