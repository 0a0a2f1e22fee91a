import { describe, expect, it } from 'vitest';
import { threadUrl } from '../../../adapters/shared/thread-url.js';
import { parsePermalink, slackMentions, toCore, toSlack } from '../../../adapters/slack/slack-ids.js';

describe('parsePermalink', () => {
  const link = 'https://acme.slack.com/archives/C0SUPPORT/p1770000000000100';

  it.each([
    ['a plain link', link],
    ['a link inside text', `please look at ${link} asap`],
    ['Slack link markup', `<${link}>`],
    ['Slack link markup with a label', `<${link}|this thread>`],
    ['the redirecting slack.com form', 'https://slack.com/archives/C0SUPPORT/p1770000000000100'],
  ])('reads %s', (_what, text) => {
    expect(parsePermalink(text)).toEqual({ channel: 'C0SUPPORT', threadTs: '1770000000.000100' });
  });

  it('a link to a reply points at the thread root (thread_ts), not the reply', () => {
    const reply =
      'https://acme.slack.com/archives/C0SUPPORT/p1770000123000200?thread_ts=1770000000.000100&cid=C0SUPPORT';
    expect(parsePermalink(reply)).toEqual({ channel: 'C0SUPPORT', threadTs: '1770000000.000100' });
    expect(parsePermalink(`<${reply}|reply>`)).toEqual({
      channel: 'C0SUPPORT',
      threadTs: '1770000000.000100',
    });
    // Slack escapes `&` as `&amp;` in message and command text.
    expect(parsePermalink(reply.replace('&', '&amp;'))).toEqual({
      channel: 'C0SUPPORT',
      threadTs: '1770000000.000100',
    });
  });

  it.each([
    ['empty text', ''],
    ['plain words', 'the customer is upset'],
    ['a link elsewhere', 'https://example.com/archives/'],
    ['a message id that is too short', 'https://acme.slack.com/archives/C0SUPPORT/p17700000'],
    ['not https', 'http://acme.slack.com/archives/C0SUPPORT/p1770000000000100'],
    ['a lower-case channel', 'https://acme.slack.com/archives/c0support/p1770000000000100'],
  ])('returns undefined for %s', (_what, text) => {
    expect(parsePermalink(text)).toBeUndefined();
  });

  it('round-trips with threadUrl', () => {
    expect(parsePermalink(threadUrl({ channel: 'slack:C0SUPPORT', threadId: '1770000000.000100' }))).toEqual({
      channel: 'C0SUPPORT',
      threadTs: '1770000000.000100',
    });
  });
});

describe('Slack ids at the boundary', () => {
  it('prefixes and unprefixes ids', () => {
    expect(toCore('C0123')).toBe('slack:C0123');
    expect(toSlack('slack:C0123')).toBe('C0123');
    expect(() => toSlack('teams:19:abc@thread.tacv2')).toThrow('is not a Slack id');
  });

  it('renders Slack mentions as Slack mentions and other platforms’ people as readable names', () => {
    const names = new Map([['teams:29:abc', 'Ana Teams']]);
    expect(slackMentions('by <@slack:U0123> and <@teams:29:abc> and <@local:alice>', names)).toBe(
      'by <@U0123> and Ana Teams and someone',
    );
  });
});
