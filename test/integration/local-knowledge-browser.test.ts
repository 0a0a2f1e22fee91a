import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../adapters/local/message-view.js';
import { browserMissing, launchChromium, screenshot } from '../support/browser/chromium.js';
import { ALEX, CASEY, L2, LocalWorld, SAM, SUPPORT } from '../support/local/local-world.js';

/**
 * The local workspace's page in a real browser: "View conversation" on a card with its paging, and
 * "This solved it" on the suggestions `@Escalator escalate` shows. The threads are set up through
 * the JSON API (as the other tests do); what a person clicks is clicked.
 */
describe.skipIf(browserMissing)('the local workspace page: conversation and suggestions', () => {
  let browser: Browser;
  let world: LocalWorld;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await page?.close();
    await world?.stop();
    problems.length = 0;
  });

  async function open(path: string) {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A step that cannot happen fails with what it waited for, not at the test's own timeout.
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${world.app.url.replace('127.0.0.1', 'localhost')}${path}`);
  }

  /** A customer thread with `replies` more messages, escalated by Alex with /escalate. */
  async function escalatedThread(text: string, replies: number): Promise<string> {
    const root = (await world.say(CASEY, SUPPORT, text)).body.message as MessageView;
    for (let i = 1; i <= replies; i++) {
      world.clock.advance(1_000); // seconds apart, so the thread has an order of its own
      await world.say(i % 2 ? CASEY : ALEX, SUPPORT, `Message number ${i}`, root.id);
    }
    const answer = await world.say(ALEX, SUPPORT, '/escalate P2 Export broken, no idea why', root.id);
    expect(answer.body.reply.text).toMatch(/^Escalated to/);
    // The card is in its channel before the page opens (delivered by the outbox, as in production).
    await expect
      .poll(async () => {
        await world.deliver();
        return (await world.messages(L2)).some((m) => m.kind === 'card');
      })
      .toBe(true);
    return root.id;
  }

  it('"View conversation" opens the whole thread under the card, a page at a time', async () => {
    world = await new LocalWorld('/').boot();
    await escalatedThread('Our dashboard shows no data since the migration.', 41);
    await open(`/local?channel=${encodeURIComponent(L2)}`);
    await page.getByTestId('persona-select').selectOption(SAM);
    const card = page.getByTestId('card').first();
    await card.getByTestId('card-button-view-conversation').click();

    const conversation = card.getByTestId('conversation');
    await expect
      .poll(() => conversation.getByTestId('conversation-page').textContent())
      .toBe('Page 1 of 2 · 42 messages');
    const lines = conversation.getByTestId('conversation-line');
    expect(await lines.count()).toBe(40);
    expect(await lines.first().textContent()).toContain('Casey Customer');
    expect(await lines.first().textContent()).toContain('Our dashboard shows no data since the migration.');
    expect(await conversation.getByTestId('conversation-previous').isDisabled()).toBe(true);

    await conversation.getByTestId('conversation-next').click();
    await expect
      .poll(() => card.getByTestId('conversation-page').textContent())
      .toBe('Page 2 of 2 · 42 messages');
    expect(await card.getByTestId('conversation-line').allTextContents()).toEqual([
      expect.stringContaining('Message number 40'),
      expect.stringContaining('Message number 41'),
    ]);
    expect(await card.getByTestId('conversation-next').isDisabled()).toBe(true);
    await screenshot(page, 'local-workspace-conversation');

    await card.getByTestId('conversation-close').click();
    expect(await card.getByTestId('conversation').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);

  it('@Escalator escalate offers the earlier fix; "This solved it" closes the thread without a card', async () => {
    world = await new LocalWorld('/').boot();
    await escalatedThread('The CSV export fails with error 500 every time I export my invoices.', 0);
    const [card] = (await world.messages(L2)).filter((m) => m.kind === 'card');
    const escalationId = card!.card!.actions[0]!.escalationId;
    expect(
      await world.act({
        messageId: card!.id,
        escalationId,
        action: 'resolve',
        personId: SAM,
        inputs: {
          note: 'Cleared the stale export cache',
          rootCause: 'knowledge_gap',
          answer: 'Press "Clear export cache".',
        },
      }),
    ).toMatchObject({ status: 200, body: { done: true } });
    const root = (
      await world.say(CASEY, SUPPORT, 'Exporting invoices to CSV fails, error 500 on each export.')
    ).body.message as MessageView;

    await open(`/local/threads/${encodeURIComponent(SUPPORT)}/${root.id}`);
    await page.getByTestId('persona-select').selectOption(ALEX);
    const thread = page.getByTestId('thread');
    await thread.getByTestId('thread-composer-input').fill('@Escalator escalate export broken again');
    await thread.getByTestId('thread-composer-send').click();
    const offer = thread.getByTestId('ephemeral').filter({ hasText: 'Before you escalate' });
    await offer.waitFor();
    expect(await offer.textContent()).toContain('Press "Clear export cache".');
    await screenshot(page, 'local-workspace-before-escalating');

    await offer.getByTestId('suggestion-solved-1').click();
    await expect
      .poll(() => offer.getByTestId('action-reply').textContent())
      .toContain('without escalating: the fix from escalation #1 solved it');
    await world.deliver();
    const issue = await world.app.ctx.store.issues.findByThread(SUPPORT, root.id);
    expect(issue?.status).toBe('resolved');
    expect(await world.app.ctx.store.escalations.listForIssue(issue!.id)).toEqual([]);
    await expect.poll(() => thread.textContent()).toContain('Solved without escalating by Alex Agent');
    expect(problems).toEqual([]);
  }, 60_000);
});
