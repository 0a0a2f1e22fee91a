import { afterEach, describe, expect, it } from 'vitest';
import { SUMMARY_ATTEMPTS } from '../../src/app/deliver-outbox.js';
import { readOutbox } from '../support/core/outbox-rows.js';
import { eventually } from '../support/story/eventually.js';
import type { PlatformDriver, StoryCard } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';
import {
  type FakeChatCompletions,
  startFakeChatCompletions,
} from '../support/summary/fake-chat-completions.js';
import { RecordingLogger } from '../support/teams/recording-logger.js';

const MODEL = 'gpt-test-mini';
const KEY = 'sk-test-0123456789';
const AI_TEXT =
  'The customer was charged twice for order A-1042 and wants the duplicate refunded today. Staff confirmed the double charge with billing; the refund is above the agent limit.';
const CUSTOMER_TEXT =
  'Order A-1042 was charged twice, $1,250. Please fix this today and write to jane.doe@example.com.';

/**
 * The optional AI summary through the real stack (Bolt / botbuilder over HTTP, SQLite file, outbox
 * dispatcher, the OpenAI-compatible adapter) against a loopback fake of the chat-completions
 * endpoint: the card goes out at once with its extractive summary, the AI summary follows as a card
 * update, and a failing or hanging endpoint changes nothing but that.
 */
describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new SlackDriver(w)],
  ['Teams', 'teams' as const, (w: StoryWorld) => new TeamsDriver(w)],
])('%s: the AI summary', (_name, layout, makeDriver) => {
  let world: StoryWorld | undefined;
  let ai: FakeChatCompletions | undefined;

  afterEach(async () => {
    await world?.stop();
    await ai?.close();
    world = undefined;
    ai = undefined;
  });

  async function start(timeoutMs = 200) {
    ai = await startFakeChatCompletions();
    const log = new RecordingLogger();
    world = await StoryWorld.start(storyPolicy(layout), {
      summary: { apiUrl: ai.url, model: MODEL, apiKey: KEY, timeoutMs },
      log,
    });
    const chat = makeDriver(world);
    await chat.prepare();
    return { ai, world, chat, log };
  }

  async function escalatedThread(
    chat: PlatformDriver,
    customerText = CUSTOMER_TEXT,
    except: StoryCard[] = [],
  ) {
    const thread = await chat.customerPosts(customerText);
    await chat.agentReplies(thread, 'Sorry about that, checking with billing now.');
    expect(
      await chat.escalateWithForm(thread, { reason: 'Double charge needs a refund I cannot approve' }),
    ).toEqual({});
    const card = await chat.waitForCard(chat.channel('l2'), except);
    return { thread, card };
  }

  /** When the platform received the card (the fake's clock, ms). */
  function cardPostedAt(w: StoryWorld, card: StoryCard): number {
    const call =
      layout === 'slack'
        ? w.slackApi
            .callsTo('chat.postMessage')
            .find((c) => !c.failed && JSON.stringify(c.args).includes(card.escalationId))
        : w.connector
            .callsOf('create_conversation')
            .find((c) => !c.failed && JSON.stringify(c.body).includes(card.escalationId));
    if (!call) throw new Error(`no card post for ${card.escalationId}`);
    return call.at;
  }

  async function summaryRow(w: StoryWorld, escalationId: string) {
    return (await readOutbox(w.dbUrl)).find(
      (r) => r.effect.kind === 'ai_summary' && r.effect.escalationId === escalationId,
    );
  }

  /** Moves past the outbox backoff of a failed summary call and lets the dispatcher try again. */
  async function retryAfterBackoff(w: StoryWorld, escalationId: string, failedCalls: number) {
    await eventually(
      async () => (await summaryRow(w, escalationId))?.attempts === failedCalls,
      `summary attempt ${failedCalls} recorded`,
    );
    w.clock.advance(60_000);
    await w.app.dispatcher.kick();
  }

  it('posts the card at once with the extractive summary, then adds the AI summary above the facts', async () => {
    const { ai, world, chat } = await start();
    ai.answer(AI_TEXT);
    const { card } = await escalatedThread(chat);

    const request = await ai.waitForRequest();
    // The card was out before the endpoint was even asked.
    expect(cardPostedAt(world, card)).toBeLessThanOrEqual(request.at);

    await chat.waitForCardText(card, 'wants the duplicate refunded today');
    const text = chat.cardText(card);
    // Under its own "Summary" heading, above the extracted facts ("Why it fired", the quotes).
    expect(text).toMatch(/Summary.{0,80}The customer was charged twice for order A-1042/);
    expect(text.indexOf('The customer was charged twice')).toBeLessThan(text.indexOf('Why it fired'));
    expect(text).toContain('Order A-1042 was charged twice');
    expect((await world.store.escalations.get(card.escalationId))?.aiSummary).toBe(AI_TEXT);

    // One call per escalation, and it is done.
    expect(ai.requests).toHaveLength(1);
    expect(await summaryRow(world, card.escalationId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('sends the model, the bearer key and the thread with e-mail addresses masked', async () => {
    const { ai, chat } = await start();
    await escalatedThread(chat);

    const request = await ai.waitForRequest();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.contentType).toBe('application/json');
    expect(request.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).toMatchObject({ model: MODEL, temperature: 0.2, max_tokens: 300 });
    const [system, user] = request.body.messages ?? [];
    expect(system?.role).toBe('system');
    expect(system?.content).toContain(
      'You summarise customer support threads for the specialist taking over',
    );
    expect(system?.content).toContain('3-5 sentences');
    expect(user?.role).toBe('user');

    const thread = ai.threadOf(request);
    expect(thread).toContain('Double charge needs a refund I cannot approve');
    expect(thread).toMatch(/customer: Order A-1042 was charged twice/);
    expect(thread).toMatch(/staff: Sorry about that, checking with billing now\./);
    expect(thread).toContain('j***@example.com');
    expect(JSON.stringify(request.body)).not.toContain('jane.doe');
  });

  it('an endpoint that fails (500) is retried with the backoff, then the card quietly keeps its extractive summary', async () => {
    const { ai, world, chat, log } = await start();
    ai.fail(500);
    const { card } = await escalatedThread(chat);
    const first = await ai.waitForRequest();
    expect(cardPostedAt(world, card)).toBeLessThanOrEqual(first.at);
    const posted = chat.cardText(card);

    for (let call = 1; call < SUMMARY_ATTEMPTS; call += 1) {
      await retryAfterBackoff(world, card.escalationId, call);
      await ai.waitForRequest(call + 1);
    }
    await eventually(
      async () => (await summaryRow(world, card.escalationId))?.status === 'delivered',
      'summary given up',
    );
    expect(ai.requests).toHaveLength(SUMMARY_ATTEMPTS);
    expect((await summaryRow(world, card.escalationId))?.lastError).toContain('HTTP 500');

    // Given up for good: more time brings no more calls.
    world.clock.advance(3_600_000);
    await world.app.dispatcher.kick();
    await world.app.dispatcher.idle();
    expect(ai.requests).toHaveLength(SUMMARY_ATTEMPTS);

    expect((await world.store.escalations.get(card.escalationId))?.aiSummary).toBeNull();
    expect(chat.cardText(card)).toBe(posted);
    expect(log.at('warn').map((r) => r.msg)).toContain(
      'AI summary failed; the card keeps its extractive summary',
    );
    expect(log.at('error')).toEqual([]);

    // Nothing is stuck behind it: the card still works.
    await chat.click(card, 'claim', chat.people.specialist);
    await chat.waitForCardText(card, `Claimed by ${chat.people.specialist.shownAs}`);
  });

  it('an endpoint that hangs is cut off at the timeout each time, and the card keeps its extractive summary', async () => {
    const { ai, world, chat, log } = await start(200);
    ai.hang();
    const { card } = await escalatedThread(chat);
    const first = await ai.waitForRequest();
    expect(cardPostedAt(world, card)).toBeLessThanOrEqual(first.at);
    const posted = chat.cardText(card);

    for (let call = 1; call < SUMMARY_ATTEMPTS; call += 1) {
      await retryAfterBackoff(world, card.escalationId, call);
      await ai.waitForRequest(call + 1);
    }
    await eventually(
      async () => (await summaryRow(world, card.escalationId))?.status === 'delivered',
      'summary given up',
    );
    // Escalator hung up on every call (the fake never answered).
    await eventually(() => ai.requests.every((r) => r.abandoned), 'every call abandoned');
    expect(ai.requests).toHaveLength(SUMMARY_ATTEMPTS);
    expect((await summaryRow(world, card.escalationId))?.lastError).toMatch(/did not answer/);

    expect((await world.store.escalations.get(card.escalationId))?.aiSummary).toBeNull();
    expect(chat.cardText(card)).toBe(posted);
    expect(log.at('warn').map((r) => r.msg)).toContain(
      'AI summary failed; the card keeps its extractive summary',
    );
    await chat.click(card, 'claim', chat.people.specialist);
    await chat.waitForCardText(card, `Claimed by ${chat.people.specialist.shownAs}`);
  });

  it("a hanging summary call holds up no card: not another issue's, not its own issue's claim", async () => {
    const timeoutMs = 4000;
    const { ai, world, chat } = await start(timeoutMs);
    ai.next({ hang: true }); // the first issue's call hangs; later ones answer
    ai.answer(AI_TEXT);
    const first = await escalatedThread(chat);
    const hanging = await ai.waitForRequest();

    const second = await escalatedThread(
      chat,
      'Invoice INV-77 shows the wrong VAT number, can you correct it?',
      [first.card],
    );
    const secondPostedAt = cardPostedAt(world, second.card);
    // The second card went out while the first call was still hanging, well before its timeout.
    expect(secondPostedAt - hanging.at).toBeLessThan(timeoutMs);
    expect(hanging.abandoned).toBe(false);

    // Nor its own issue: a claim shows on the first card while that card's summary call still hangs.
    await chat.click(first.card, 'claim', chat.people.specialist);
    await chat.waitForCardText(first.card, `Claimed by ${chat.people.specialist.shownAs}`);
    expect(hanging.abandoned).toBe(false);

    // After the timeout the second issue gets its summary; the first keeps its extractive one for now.
    await chat.waitForCardText(second.card, 'wants the duplicate refunded today');
    expect(hanging.abandoned).toBe(true);
    expect(chat.cardText(first.card)).not.toContain('wants the duplicate refunded today');
  });
});
