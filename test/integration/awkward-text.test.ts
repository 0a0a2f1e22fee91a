import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockKitProblems } from '../support/slack/block-kit-limits.js';
import { eventually } from '../support/story/eventually.js';
import type { PlatformDriver, StoryCard, StoryThread } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import { RecordingLogger } from '../support/teams/recording-logger.js';
import {
  adaptiveCardProblems,
  cardBytes,
  hasLoneSurrogate,
} from '../support/teams/validate-adaptive-card.js';

/**
 * Text as customers really write it, through the real stacks on Slack and on Teams: emoji (with
 * skin tones, joiners and flags), Arabic and Hebrew mixed with Latin, zero-width and bidi control
 * characters, Slack's mention and link markup, messages at Slack's 40,000-character limit, and a
 * 2,000-message thread. Each is tracked, escalated and summarised without an error, every card
 * version stays inside Block Kit / Adaptive Card limits, and hidden characters cannot hide a trigger.
 */

const LONG_PROSE = 'Refund of $5,000 for order 12345 please, the invoice INV-77 is wrong. ';
const AWKWARD = {
  emoji: '🔥 Checkout 💳 fails for 👩🏽‍💻 and 👨‍👩‍👧‍👦 since the update 🇦🇺🇳🇿 😡😡😡',
  arabic: 'مرحبا، لا أستطيع تسجيل الدخول إلى حسابي منذ أمس (order #A-1042)',
  hebrew: 'שלום, ההזמנה שלי לא הגיעה — מספר הזמנה 7731',
  invisible:
    'Zero\u200Bwidth\u200C joiners\u200D, a BOM \uFEFF, and a bidi override \u202Egnp.exe\u202C here',
  slackMarkup:
    '<@U0ALICE> see <https://acme.example/orders/7|order 7> in <#C0SUPPORT|support> <!here> <mailto:a@b.example|mail>',
  longProse: LONG_PROSE.repeat(Math.ceil(40_000 / LONG_PROSE.length)).slice(0, 40_000),
  longEmoji: '😡'.repeat(20_000), // 40,000 UTF-16 code units: any cut at an odd length halves an emoji
};
/**
 * An emoji cut in half, however it travelled: as a lone surrogate in a string, as the escaped lone
 * surrogate JSON.stringify writes for one, or as the U+FFFD a UTF-8 encoder puts in its place.
 */
function halfAnEmoji(value: unknown): boolean {
  const json = JSON.stringify(value);
  return hasLoneSurrogate(json) || /\\ud[89a-f][0-9a-f]{2}/i.test(json) || json.includes('\uFFFD');
}

/** Teams' message limit is far above this; 28 KB is our own budget per card. */
const ADAPTIVE_BUDGET_BYTES = 28 * 1024;

describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new SlackDriver(w)],
  ['Teams', 'teams' as const, (w: StoryWorld) => new TeamsDriver(w)],
])('%s: awkward text', (_name, layout, makeDriver) => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  let log: RecordingLogger;

  beforeEach(async () => {
    log = new RecordingLogger();
    world = await StoryWorld.start(storyPolicy(layout), { log });
    chat = makeDriver(world);
    await chat.prepare();
  });
  afterEach(async () => {
    await world.stop();
  });

  /** Every version of the card (as posted and as updated), each checked against the platform's limits. */
  function cardLimitProblems(card: StoryCard): string[] {
    if (layout === 'slack') {
      const channel = card.channel.replace(/^slack:/, '');
      return world.slackApi.calls
        .filter((c) => !c.failed && c.args.channel === channel)
        .filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.blocks)
        .filter((c) => JSON.stringify(c.args.blocks).includes(card.escalationId))
        .flatMap((c) => [
          ...blockKitProblems(c.args.blocks, String(c.args.text ?? '')),
          ...(halfAnEmoji(c.args.blocks) ? ['half an emoji'] : []),
        ]);
    }
    return (world.connector.versions(card.messageId) ?? []).flatMap(
      (version) =>
        (version.attachments as Array<{ content: unknown }> | undefined)?.flatMap((a) => [
          ...adaptiveCardProblems(a.content),
          ...(cardBytes(a.content) < ADAPTIVE_BUDGET_BYTES ? [] : [`card of ${cardBytes(a.content)} bytes`]),
          ...(halfAnEmoji(a.content) ? ['half an emoji'] : []),
        ]) ?? ['no card'],
    );
  }

  it('emoji, RTL scripts, invisible characters, markup and 40,000-character messages: tracked, escalated, summarised, resolved', async () => {
    const { specialist } = chat.people;
    const thread = await chat.customerPosts(AWKWARD.emoji);
    await chat.customerReplies(thread, AWKWARD.arabic);
    await chat.agentReplies(thread, AWKWARD.hebrew);
    await chat.customerReplies(thread, AWKWARD.invisible);
    await chat.customerReplies(thread, AWKWARD.slackMarkup);
    await chat.customerReplies(thread, AWKWARD.longProse);
    await chat.customerReplies(thread, AWKWARD.longEmoji);
    const issue = await eventuallyIssue(thread, 7);
    const stored = await world.store.messages.listForIssue(issue.id);
    expect(stored.map((m) => m.text.length)).toEqual(
      expect.arrayContaining([AWKWARD.longProse.length, AWKWARD.longEmoji.length]),
    );

    expect(
      await chat.escalateWithForm(thread, { reason: 'Checkout 💳 broken — الدفع لا يعمل', priority: 'P1' }),
    ).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    // The content triggers read every message (the anger fires one): its evidence joins the open card.
    await world.tick();
    const shown = chat.cardText(card);
    expect(shown).toContain('💳');
    expect(shown).toContain('الدفع لا يعمل');
    expect(shown).toContain('مرحبا');
    expect(shown).toContain('Messages: 7');
    // The evidence counts a word said 500 times instead of listing it 500 times (and pushing the reason off).
    expect(shown).toMatch(/wrong -1 ×\d{3}/);

    await chat.click(card, 'claim', specialist);
    await chat.click(card, 'resolve', specialist, {
      note: 'Fixed ✅ — תוקן, تم الإصلاح',
      rootCause: 'system_issue',
    });
    await chat.waitForCardText(card, 'Resolved by');
    await chat.waitForNote(thread, 'Fixed ✅ — תוקן, تم الإصلاح');
    await world.app.dispatcher.idle();
    expect(cardLimitProblems(card)).toEqual([]);
    expect(log.at('error')).toEqual([]);
  });

  it('zero-width characters inside a trigger phrase do not hide it from the checker', async () => {
    const thread = await chat.customerPosts(
      'This is a joke. I want to speak to your ma\u200Bna\u200Dger right now.',
    );
    await world.tick();
    const card = await chat.waitForCard(chat.channel('leads'));
    expect(chat.cardText(card)).toContain('speak to your manager');
    expect(cardLimitProblems(card)).toEqual([]);
    expect(thread.rootId).toBeTruthy();
  });

  it('a 2,000-message thread is tracked, escalated with a summary that counts every message, inside the limits', async () => {
    const thread = await chat.customerPosts('Sync has been failing for a week, order 5512, error E1042.');
    const replies = Array.from({ length: 1999 }, (_, i) => i);
    for (let start = 0; start < replies.length; start += 50) {
      await Promise.all(
        replies
          .slice(start, start + 50)
          .map((i) =>
            i % 3 === 1
              ? chat.agentReplies(thread, `Agent note ${i}: tried resetting the token 🔁, no luck.`)
              : chat.customerReplies(thread, `Still broken (${i}) — رسالة ${i} — ${'😩'.repeat(i % 7)}`),
          ),
      );
    }
    const issue = await eventuallyIssue(thread, 2000);
    expect(issue.messageCount).toBe(2000);

    expect(await chat.escalateWithForm(thread, { reason: 'A week of sync failures' })).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'));
    const shown = chat.cardText(card);
    expect(shown).toContain('Messages: 2000');
    expect(shown).toContain('Sync has been failing for a week');
    await world.app.dispatcher.idle();
    expect(cardLimitProblems(card)).toEqual([]);
    expect(log.at('error')).toEqual([]);
  }, 60_000);

  /** The thread's issue once it holds `count` messages. */
  function eventuallyIssue(thread: StoryThread, count: number) {
    return eventually(
      async () => {
        const issue = await world.store.issues.findByThread(thread.channel, thread.rootId);
        return issue && issue.messageCount >= count ? issue : undefined;
      },
      `${count} messages tracked`,
      20_000,
    );
  }
});
