import { describe, expect, it } from 'vitest';
import { parseMentionCommand } from '../../../adapters/slack/handlers/escalate-entry-points.js';

describe('parseMentionCommand', () => {
  it.each([
    [
      'a plain escalation',
      '<@U0BOT> escalate customer cannot export invoices',
      { verb: 'escalate', reason: 'customer cannot export invoices' },
    ],
    [
      'a path',
      '<@U0BOT> escalate to management wants a refund',
      { verb: 'escalate', path: 'management', reason: 'wants a refund' },
    ],
    [
      'a priority',
      '<@U0BOT> escalate p1 site is down',
      { verb: 'escalate', priority: 'P1', reason: 'site is down' },
    ],
    [
      'a path and a priority',
      '<@U0BOT> escalate to tech P2 export fails again',
      { verb: 'escalate', path: 'tech', priority: 'P2', reason: 'export fails again' },
    ],
    [
      'a labelled bot mention',
      '<@U0BOT|escalator> Escalate  urgent\n please',
      // The agent's own line breaks stay: the specialist reads the reason as written.
      { verb: 'escalate', reason: 'urgent\n please' },
    ],
    [
      'later mentions belong to the reason',
      '<@U0BOT> escalate <@U0LEAD> asked for this',
      { verb: 'escalate', reason: '<@U0LEAD> asked for this' },
    ],
    ['no reason', '<@U0BOT> escalate', { verb: 'escalate', reason: '' }],
    ['another verb', '<@U0BOT> help', { verb: 'help', reason: '' }],
    ['only the mention', '<@U0BOT>', { verb: '', reason: '' }],
    [
      '"to" with nothing after it is part of the reason',
      '<@U0BOT> escalate to',
      { verb: 'escalate', reason: 'to' },
    ],
    [
      'an unknown priority stays in the reason',
      '<@U0BOT> escalate P9 odd',
      { verb: 'escalate', reason: 'P9 odd' },
    ],
  ])('%s', (_what, text, expected) => {
    expect(parseMentionCommand(text)).toEqual({ path: undefined, priority: undefined, ...expected });
  });
});
