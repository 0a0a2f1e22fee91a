import type { ActionsBlock, Button, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { ACTION_PREFIX, renderBlockKit } from '../../../adapters/slack/render-block-kit.js';
import { buildEscalationCard } from '../../../src/domain/build-escalation-card.js';
import type { Card } from '../../../src/domain/card.js';
import { makeEscalation, makeIssue, makeMessage } from '../../support/core/domain-builders.js';

const baseCard: Card = {
  fallback: 'Escalation #7 (P2, Manual): export fails',
  title: 'Escalation #7 · P2 · Manual',
  status: '🔴 Open: waiting for someone to claim it',
  fields: [{ label: 'Customer', value: '<@slack:UCUST1>' }],
  sections: [{ heading: 'Why it fired', text: 'Escalated by hand by <@slack:U0AGENT>.' }],
  actions: [
    { id: 'claim', label: 'Claim', escalationId: 'esc_abc', style: 'primary' },
    { id: 'resolve', label: 'Resolve', escalationId: 'esc_abc' },
    { id: 'bounce', label: 'Bounce back', escalationId: 'esc_abc' },
    { id: 'escalate_further', label: 'Escalate further', escalationId: 'esc_abc' },
  ],
  links: [{ label: 'Open thread', thread: { channel: 'slack:C0SUPPORT', threadId: '1770000000.000100' } }],
  context: ['Issue #3 · 4 messages · escalation esc_abc'],
};

const ofType = <T extends KnownBlock>(blocks: KnownBlock[], type: T['type']) =>
  blocks.filter((b): b is T => b.type === type);
const buttons = (blocks: KnownBlock[]) =>
  ofType<ActionsBlock>(blocks, 'actions').flatMap((b) => b.elements as Button[]);

/** Every limit Slack enforces on the blocks we send (it rejects the whole message otherwise). */
function expectWithinSlackLimits(blocks: KnownBlock[]) {
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const header of ofType<HeaderBlock>(blocks, 'header'))
    expect(header.text.text.length).toBeLessThanOrEqual(150);
  for (const section of ofType<SectionBlock>(blocks, 'section')) {
    if (section.text) expect(section.text.text.length).toBeLessThanOrEqual(3000);
    if (section.fields) {
      expect(section.fields.length).toBeLessThanOrEqual(10);
      for (const field of section.fields) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
  }
  for (const button of buttons(blocks)) expect(button.text.text.length).toBeLessThanOrEqual(75);
}

describe('renderBlockKit keeps oversized cards within Slack’s limits', () => {
  const huge: Card = {
    ...baseCard,
    title: `Escalation #7 · ${'T'.repeat(300)}`,
    status: 's'.repeat(5000),
    fields: Array.from({ length: 14 }, (_, i) => ({ label: `Field ${i}`, value: 'v'.repeat(2500) })),
    sections: [
      { heading: 'Huge', text: 'x'.repeat(10_000) },
      ...Array.from({ length: 59 }, (_, i) => ({ heading: `Section ${i}`, text: `text ${i}` })),
    ],
    actions: baseCard.actions.map((a) => ({ ...a, label: a.label.repeat(20) })),
  };
  const { blocks, text } = renderBlockKit(huge);

  it('respects every block limit', () => {
    expectWithinSlackLimits(blocks);
    expect(blocks).toHaveLength(50);
    expect(text.length).toBeLessThanOrEqual(3000);
  });

  it('still has the buttons people need, and says that something was left out', () => {
    expect(buttons(blocks).map((b) => b.action_id)).toEqual([
      'escalator:claim',
      'escalator:resolve',
      'escalator:bounce',
      'escalator:escalate_further',
      'escalator:open_thread_0',
    ]);
    expect(JSON.stringify(blocks)).toContain('Some sections were left out to fit Slack.');
  });

  it('marks cut text instead of dropping it silently', () => {
    const huge10k = ofType<SectionBlock>(blocks, 'section').find((s) => s.text?.text.startsWith('*Huge*'));
    expect(huge10k?.text?.text).toHaveLength(3000);
    expect(huge10k?.text?.text.endsWith('… (cut to fit Slack)')).toBe(true);
    const header = ofType<HeaderBlock>(blocks, 'header')[0]!;
    expect(header.text.text.endsWith('…')).toBe(true);
  });

  it('keeps the first ten fields in order', () => {
    const fields = ofType<SectionBlock>(blocks, 'section').find((s) => s.fields)?.fields ?? [];
    expect(fields.map((f) => f.text.split('\n')[0])).toEqual(
      Array.from({ length: 10 }, (_, i) => `*Field ${i}*`),
    );
  });

  it('a real card built from a long thread fits too', () => {
    const card = buildEscalationCard({
      escalation: makeEscalation({ reason: 'r'.repeat(4000), evidence: { summary: 'e'.repeat(4000) } }),
      issue: makeIssue(),
      messages: [makeMessage({ text: 'm'.repeat(20_000) }), makeMessage({ text: 'n'.repeat(20_000) })],
      history: Array.from({ length: 100 }, (_, i) =>
        makeEscalation({ id: `esc_${i}`, number: i, status: 'bounced' }),
      ),
      timeZone: 'Australia/Sydney',
    });
    expectWithinSlackLimits(renderBlockKit(card).blocks);
  });
});

describe('renderBlockKit content', () => {
  const { blocks, text } = renderBlockKit(baseCard);

  it('turns core mentions into Slack mentions everywhere', () => {
    const json = JSON.stringify(blocks);
    expect(json).toContain('<@UCUST1>');
    expect(json).toContain('<@U0AGENT>');
    expect(json).not.toContain('<@slack:');
    expect(renderBlockKit({ ...baseCard, fallback: 'claimed by <@slack:U1>' }).text).toBe('claimed by <@U1>');
    expect(text).toBe(baseCard.fallback);
  });

  it('gives each action button a namespaced action id and the escalation id as value', () => {
    const actionButtons = buttons(blocks).filter((b) => b.value !== undefined);
    expect(actionButtons.map((b) => [b.action_id, b.value, b.text.text])).toEqual([
      ['escalator:claim', 'esc_abc', 'Claim'],
      ['escalator:resolve', 'esc_abc', 'Resolve'],
      ['escalator:bounce', 'esc_abc', 'Bounce back'],
      ['escalator:escalate_further', 'esc_abc', 'Escalate further'],
    ]);
    expect(actionButtons[0]?.style).toBe('primary');
    expect(ACTION_PREFIX).toBe('escalator:');
  });

  it('the Open thread button links to the thread in Slack', () => {
    const open = buttons(blocks).find((b) => b.text.text === 'Open thread');
    expect(open?.url).toBe('https://slack.com/archives/C0SUPPORT/p1770000000000100');
    expect(open?.url).toMatch(/^https:\/\/.+\/archives\/C[A-Z0-9]+\/p\d{16}$/);
  });

  it('links straight into the workspace when its URL is known', () => {
    const open = buttons(renderBlockKit(baseCard, 'https://acme.slack.com').blocks).find((b) => b.url);
    expect(open?.url).toBe('https://acme.slack.com/archives/C0SUPPORT/p1770000000000100');
  });

  it('a card with no actions still has the Open thread link', () => {
    const done = renderBlockKit({ ...baseCard, actions: [] });
    expect(buttons(done.blocks).map((b) => b.text.text)).toEqual(['Open thread']);
  });

  it('renders the header, status, fields, sections, actions and context in that order', () => {
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'actions',
      'context',
    ]);
  });
});
