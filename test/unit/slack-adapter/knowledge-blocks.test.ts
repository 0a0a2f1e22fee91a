import { describe, expect, it } from 'vitest';
import { beforeEscalatingMessage } from '../../../adapters/slack/before-escalating-message.js';
import {
  BUTTON_VALUE_MAX,
  escalateAnywayValue,
  parseEscalateAnywayValue,
  parseSolvedValue,
} from '../../../adapters/slack/knowledge-values.js';
import { renderBlockKit } from '../../../adapters/slack/render-block-kit.js';
import { suggestionBlocks } from '../../../adapters/slack/suggestion-blocks.js';
import { parseTranscriptPageValue, transcriptModal } from '../../../adapters/slack/transcript-modal.js';
import type { TranscriptLine, TranscriptPage } from '../../../src/app/transcript.js';
import type { Card } from '../../../src/domain/card.js';
import type { SimilarPast } from '../../../src/domain/knowledge.js';
import { formatTime } from '../../../src/domain/text.js';
import { blockKitProblems } from '../../support/slack/block-kit-limits.js';

const NOW = new Date('2026-03-10T12:00:00Z');

const past = (over: Partial<SimilarPast> = {}): SimilarPast => ({
  entryId: 'kno_1',
  escalationId: 'esc_1',
  escalationNumber: 12,
  issueNumber: 4,
  channel: 'slack:C0SUPPORT',
  threadId: '1770000000.000100',
  path: 'tech',
  rootCause: 'knowledge_gap',
  text: 'Cleared the stale export cache.',
  isAnswer: false,
  resolvedBy: 'slack:U0BOB',
  resolvedAt: new Date('2026-03-07T12:00:00Z'),
  score: 0.6,
  ...over,
});

type Section = { type: string; block_id?: string; text?: { text: string }; accessory?: { value: string } };

describe('"Before you escalate" blocks', () => {
  const view = { issueId: 'iss_9', issueNumber: 9, now: NOW, names: new Map([['teams:29:carol', 'Carol']]) };

  it('show each fix with its number, cause, resolver, age and thread, and a "This solved it" for that thread', () => {
    const [intro, first] = suggestionBlocks([past()], {
      ...view,
      workspaceUrl: 'https://acme.slack.com/',
    }) as Section[];
    expect(intro?.text?.text).toContain('Before you escalate issue #9');
    expect(first?.text?.text).toBe(
      '*#12* · Knowledge gap · resolved by <@U0BOB> 3d ago · <https://acme.slack.com/archives/C0SUPPORT/p1770000000000100|Open thread>\nCleared the stale export cache.',
    );
    expect(parseSolvedValue(first?.accessory?.value)).toEqual({ entryId: 'kno_1', issueId: 'iss_9' });
  });

  it('show a Teams resolver by name, escape what was typed, and link only threads Slack can open', () => {
    const blocks = suggestionBlocks(
      [
        past({
          resolvedBy: 'teams:29:carol',
          channel: 'teams:19:support@thread.tacv2',
          threadId: '1770000000100',
          isAnswer: true,
          text: 'Use <Settings> & press "Clear"',
        }),
        past({ entryId: 'kno_2', channel: 'local:support', threadId: 'lm_1' }),
      ],
      view,
    ) as Section[];
    expect(blocks[1]?.text?.text).toContain('📘 Answer · resolved by Carol 3d ago');
    expect(blocks[1]?.text?.text).toContain('Use &lt;Settings&gt; &amp; press "Clear"');
    expect(blocks[1]?.text?.text).toContain('teams.microsoft.com');
    expect(blocks[2]?.text?.text).not.toContain('Open thread');
  });

  it('stay within Slack’s limits whatever the fix holds', () => {
    const blocks = suggestionBlocks(
      [past({ text: '&<>'.repeat(2000) }), past({ text: '😀'.repeat(3000) })],
      view,
    );
    expect(blockKitProblems(blocks)).toEqual([]);
  });

  it('"Escalate anyway" carries what the mention asked for, cutting only a reason too long for a button', () => {
    const short = escalateAnywayValue({
      issueId: 'iss_9',
      eventId: 'Ev1',
      reason: 'export "broken"\nagain',
      path: 'tech',
      priority: 'P2',
    });
    expect(short.cut).toBe(false);
    expect(parseEscalateAnywayValue(short.value)).toEqual({
      issueId: 'iss_9',
      eventId: 'Ev1',
      reason: 'export "broken"\nagain',
      path: 'tech',
      priority: 'P2',
    });

    const long = escalateAnywayValue({ issueId: 'iss_9', eventId: 'Ev1', reason: '"quoted"\n'.repeat(600) });
    expect(long.cut).toBe(true);
    expect(long.value.length).toBeLessThanOrEqual(BUTTON_VALUE_MAX);
    const parsed = parseEscalateAnywayValue(long.value);
    expect(parsed?.reason.startsWith('"quoted"\n"quoted"')).toBe(true);
    expect(parsed?.reason.endsWith('…')).toBe(true);
    expect(parseEscalateAnywayValue('not json')).toBeUndefined();
    expect(parseSolvedValue('{"entry":1}')).toBeUndefined();

    const message = beforeEscalatingMessage({
      issue: { id: 'iss_9', number: 9 },
      suggestions: [past()],
      anyway: { issueId: 'iss_9', eventId: 'Ev1', reason: 'x'.repeat(5000) },
      now: NOW,
      names: new Map(),
    });
    expect(blockKitProblems(message.blocks, message.text)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('Your reason is too long');
  });
});

describe('the conversation modal', () => {
  const line = (over: Partial<TranscriptLine> = {}): TranscriptLine => ({
    authorId: 'slack:U0CUSTOMER',
    authorName: 'Dana',
    role: 'customer',
    text: 'It fails again',
    at: new Date('2026-03-10T01:05:00Z'),
    edited: false,
    ...over,
  });
  const page = (over: Partial<TranscriptPage> = {}): TranscriptPage => ({
    escalationId: 'esc_1',
    escalationNumber: 7,
    issueNumber: 3,
    channel: 'slack:C0SUPPORT',
    threadId: '1770000000.000100',
    total: 90,
    page: 1,
    pages: 3,
    lines: [line()],
    ...over,
  });
  const settings = { timeZone: 'Australia/Sydney', workspaceUrl: 'https://acme.slack.com/' };
  const buttons = (blocks: unknown[]) =>
    (blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? []);

  it('shows who wrote what when, the page, and buttons to the pages on either side', () => {
    const view = transcriptModal(
      page({ lines: [line(), line({ authorId: 'slack:U0ALICE', role: 'staff', edited: true })] }),
      settings,
    );
    const text = JSON.stringify(view.blocks);
    const when = formatTime(line().at, settings.timeZone);
    expect(view.type === 'modal' && view.title.text).toBe('Conversation #7');
    expect(text).toContain(`*<@U0CUSTOMER>* (customer) · ${when}\\nIt fails again`);
    expect(text).toContain(`*<@U0ALICE>* · ${when} · edited`);
    expect(text).toContain('Page 2 of 3 · 90 messages');
    expect(text).toContain('<https://acme.slack.com/archives/C0SUPPORT/p1770000000000100|Open the thread>');
    expect(buttons(view.blocks).map((b) => [b.action_id, parseTranscriptPageValue(b.value)])).toEqual([
      ['escalator:transcript_older', { escalationId: 'esc_1', page: 0 }],
      ['escalator:transcript_newer', { escalationId: 'esc_1', page: 2 }],
    ]);
  });

  it('shows people of another platform by name and escapes their text (Slack text is Slack’s own markup)', () => {
    const view = transcriptModal(
      page({
        channel: 'teams:19:support@thread.tacv2',
        lines: [line({ authorId: 'teams:29:dana', authorName: 'Dana <Acme>', text: 'a < b & c' })],
      }),
      settings,
    );
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('*Dana &lt;Acme&gt;* (customer)');
    expect(text).toContain('a &lt; b &amp; c');
  });

  it('keeps a full page of very long messages within a modal’s limits', () => {
    const lines = Array.from({ length: 40 }, (_, i) => line({ text: `${i} ${'long words '.repeat(600)}` }));
    const view = transcriptModal(page({ lines, page: 0, pages: 1, total: 40 }), settings);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(blockKitProblems(view.blocks.slice(0, 50))).toEqual([]);
    expect(blockKitProblems(view.blocks.slice(50))).toEqual([]);
    expect(buttons(view.blocks)).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain('… (cut to fit Slack)');
  });

  it('says so when no message of the thread is kept', () => {
    const view = transcriptModal(page({ lines: [], total: 0, page: 0, pages: 1 }), settings);
    expect(JSON.stringify(view.blocks)).toContain('No messages of this thread are kept');
    expect(JSON.stringify(view.blocks)).toContain('Page 1 of 1 · 0 messages');
  });
});

describe('"View conversation" on a card', () => {
  const card: Card = {
    fallback: 'Escalation #7',
    title: 'Escalation #7',
    status: 'Open',
    fields: [],
    sections: [],
    actions: [{ id: 'claim', label: 'Claim', escalationId: 'esc_abc' }],
    links: [{ label: 'Open thread', thread: { channel: 'slack:C0SUPPORT', threadId: '1770000000.000100' } }],
    context: [],
    conversation: { escalationId: 'esc_abc', label: 'View conversation (12)' },
  };

  it('is a button beside the actions, carrying the escalation', () => {
    const elements = renderBlockKit(card).blocks.flatMap((b) =>
      b.type === 'actions' ? (b.elements as Array<{ action_id: string; value?: string }>) : [],
    );
    expect(elements.map((e) => [e.action_id, e.value])).toEqual([
      ['escalator:claim', 'esc_abc'],
      ['escalator:view_conversation', 'esc_abc'],
      ['escalator:open_thread_0', undefined],
    ]);
  });
});
