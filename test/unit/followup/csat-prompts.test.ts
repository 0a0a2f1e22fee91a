import { describe, expect, it } from 'vitest';
import {
  CSAT_ACTION_PATTERN,
  csatPromptMessage,
  parseCsatValue,
} from '../../../adapters/slack/csat-prompt.js';
import { CSAT_VERB, csatAnsweredCard, csatPromptCard } from '../../../adapters/teams/csat-card.js';
import { adaptiveCardProblems } from '../../support/teams/validate-adaptive-card.js';

const prompt = { escalationId: 'esc_0abc123', number: 12 };

describe('the Slack CSAT prompt', () => {
  const { text, blocks } = csatPromptMessage(prompt);
  const actions = blocks.find((b) => b.type === 'actions') as {
    elements: Array<{ action_id: string; value: string; text: { text: string } }>;
  };

  it('asks about the escalation by number, in the blocks and the notification text', () => {
    expect(text).toContain('How did we do with escalation #12?');
    expect(JSON.stringify(blocks)).toContain('How did we do with escalation #12?');
  });

  it('has five buttons 1–5, action ids unique in the block, each valued <escalationId>:<score>', () => {
    expect(actions.elements.map((e) => e.value)).toEqual([1, 2, 3, 4, 5].map((s) => `esc_0abc123:${s}`));
    expect(actions.elements.map((e) => e.text.text.slice(-1))).toEqual(['1', '2', '3', '4', '5']);
    const ids = actions.elements.map((e) => e.action_id);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(CSAT_ACTION_PATTERN);
    expect('escalator:csat').toMatch(CSAT_ACTION_PATTERN);
    expect('escalator:claim').not.toMatch(CSAT_ACTION_PATTERN);
  });

  it.each([
    ['esc_0abc123:4', { escalationId: 'esc_0abc123', score: 4 }],
    ['esc_0abc123:9', { escalationId: 'esc_0abc123', score: 9 }],
    ['esc_0abc123:-1', { escalationId: 'esc_0abc123', score: -1 }],
  ])('reads the button value %s', (value, expected) => {
    expect(parseCsatValue(value)).toEqual(expected);
  });

  it.each(['esc_0abc123', 'esc_0abc123:four', 'esc_0abc123:4.5', '', undefined])(
    'reads a malformed value %s as no score',
    (value) => {
      expect(parseCsatValue(value).score).toBeNaN();
    },
  );
});

describe('the Teams CSAT cards', () => {
  it('the prompt is a valid Adaptive Card 1.5 with five Action.Execute buttons (verb csat)', () => {
    const card = csatPromptCard(prompt);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    expect(JSON.stringify(card.body)).toContain('How did we do with escalation #12?');
    expect(card.actions).toEqual(
      [1, 2, 3, 4, 5].map((score) =>
        expect.objectContaining({
          type: 'Action.Execute',
          verb: CSAT_VERB,
          data: { escalationId: 'esc_0abc123', score },
        }),
      ),
    );
  });

  it('the prompt with a warning stays valid and shows the warning first', () => {
    const card = csatPromptCard(prompt, 'A rating is a whole number from 1 (poor) to 5 (great).');
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(card.body[0]).toMatchObject({
      color: 'Attention',
      text: expect.stringContaining('from 1 (poor)'),
    });
  });

  it('the answered prompt has the thanks and no buttons, with or without a warning', () => {
    const thanks = csatAnsweredCard('🙏 Thanks, Carla Customer rated 4/5 for escalation #12.');
    expect(adaptiveCardProblems(thanks)).toEqual([]);
    expect(thanks.actions).toBeUndefined();
    expect(JSON.stringify(thanks.body)).toContain('Thanks, Carla Customer rated 4/5');
    const already = csatAnsweredCard(
      '🙏 Thanks, Carla Customer rated 4/5.',
      'Escalation #12 was already rated.',
    );
    expect(adaptiveCardProblems(already)).toEqual([]);
    expect(already.body).toHaveLength(2);
    expect(adaptiveCardProblems(csatAnsweredCard(undefined, 'That escalation no longer exists.'))).toEqual(
      [],
    );
  });
});
