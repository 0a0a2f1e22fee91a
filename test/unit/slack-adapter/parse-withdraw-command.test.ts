import { describe, expect, it } from 'vitest';
import { parseWithdrawCommand } from '../../../adapters/shared/parse-withdraw-command.js';
import { isWithdrawMention } from '../../../adapters/slack/handlers/withdraw-command.js';

describe('parseWithdrawCommand (Slack and Teams, after the bot mention is removed)', () => {
  it.each([
    ['withdraw', { reason: '' }],
    ['  Withdraw  ', { reason: '' }],
    ['withdraw the customer found the answer', { reason: 'the customer found the answer' }],
    // Words the escalate command reads as options stay part of the reason here.
    ['withdraw to be safe, P1 was wrong', { reason: 'to be safe, P1 was wrong' }],
    ['WITHDRAW\nsolved\nby a restart', { reason: 'solved\nby a restart' }],
  ])('%j', (text, expected) => {
    expect(parseWithdrawCommand(text)).toEqual(expected);
  });

  it.each(['escalate withdraw this', 'withdrawn', 'please withdraw', ''])('%j is not a withdraw', (text) => {
    expect(parseWithdrawCommand(text)).toBeUndefined();
  });

  it('on Slack, skips the leading bot mention only', () => {
    expect(isWithdrawMention('<@U0BOT> withdraw')).toBe(true);
    expect(isWithdrawMention('<@U0BOT|escalator> withdraw oops')).toBe(true);
    expect(isWithdrawMention('<@U0BOT> escalate <@U0LEAD> said withdraw')).toBe(false);
  });
});
