import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchChromium, screenshot } from '../support/browser/chromium.js';
import { LEADS, LocalWorld, SUPPORT } from '../support/local/local-world.js';

describe.skipIf(browserMissing)('the local workspace in a browser', () => {
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
  });

  async function open(path = '/') {
    world = await new LocalWorld('/').boot();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${world.app.url.replace('127.0.0.1', 'localhost')}${path}`);
  }

  it('plays a whole escalation: ask, card arrives live, claim, resolve, rate', async () => {
    await open();
    await page.getByTestId('persona-select').selectOption('local:U0CASEY');
    await page.getByTestId(`channel-${SUPPORT}`).click();
    await page.getByTestId('composer-input').fill('This is useless. <b>Can I speak to your manager?</b>');
    await page.getByTestId('composer-send').click();
    // Text stays text: the markup shows as typed and makes no element.
    const asked = page.getByTestId('message').filter({ hasText: '<b>Can I speak to your manager?</b>' });
    await expect.poll(() => asked.count()).toBe(1);

    // The team lead's channel is open when the checker runs: the card arrives over the live stream.
    await page.getByTestId(`channel-${LEADS}`).click();
    await page.getByText('Nothing here yet.').waitFor();
    await world.tick();
    const card = page.getByTestId('card').first();
    await card.waitFor();
    expect(await card.textContent()).toMatch(/#1/);

    await page.getByTestId('persona-select').selectOption('local:U0RILEY');
    await card.getByTestId('card-button-claim').click();
    await world.deliver();
    await expect.poll(() => card.textContent()).toMatch(/Riley Lead/);

    await card.getByTestId('card-button-resolve').click();
    await screenshot(page, 'local-workspace-card');
    await card.getByTestId('resolve-note').fill('Refunded the double charge');
    await card.getByTestId('resolve-root-cause').selectOption('system_issue');
    await card.getByTestId('form-submit').click();
    await expect.poll(() => world.app.ctx.store.escalations.listOpen(10)).toEqual([]);
    await world.deliver();

    // The card's link opens the customer's thread, with the notes and the rating prompt.
    await page
      .getByTestId('card')
      .first()
      .getByRole('link', { name: /thread/i })
      .first()
      .click();
    const thread = page.getByTestId('thread');
    await thread.getByTestId('csat-button-5').waitFor();
    expect(await thread.textContent()).toMatch(/resolved by Riley Lead: Refunded the double charge/);
    expect(page.url()).toContain(`/local/threads/${encodeURIComponent(SUPPORT)}/`);
    const threadId = decodeURIComponent(page.url().split('/').pop()!);
    await page.getByTestId('persona-select').selectOption('local:U0CASEY');
    await thread.getByTestId('csat-button-5').click();
    await expect.poll(() => thread.textContent()).toMatch(/Rated 5\/5/);

    // A command in the thread is answered privately.
    await thread.getByTestId('thread-composer-input').fill('/escalate');
    await thread.getByTestId('thread-composer-send').click();
    const ephemeral = thread.getByTestId('ephemeral');
    await ephemeral.waitFor();
    expect(await ephemeral.textContent()).toMatch(/Only visible to you/);
    await screenshot(page, 'local-workspace');

    // The team lead opens the dashboard: nothing open any more, the week's figures, and the history.
    await page.goto(`${world.app.url.replace('127.0.0.1', 'localhost')}/dashboard`);
    const figure = page.getByTestId('figure-escalations');
    await figure.waitFor();
    expect(await figure.textContent()).toContain('1');
    expect(await page.getByTestId('open-escalation').count()).toBe(0);
    expect(await page.getByTestId('chart-root-causes').textContent()).toContain('System issue');
    const issue = await world.app.ctx.store.issues.findByThread(SUPPORT, threadId);
    const [escalation] = await world.app.ctx.store.escalations.listForIssue(issue!.id);
    await page.goto(
      `${world.app.url.replace('127.0.0.1', 'localhost')}/dashboard/escalations/${escalation!.id}`,
    );
    const events = page.getByTestId('history-event');
    await events.nth(3).waitFor();
    const history = await events.allTextContents();
    expect(history[0]).toMatch(/created.*Escalator.*Customer asked for a manager/);
    // In the policy's time zone (Sydney, noon), as on the card, not the browser's (UTC, 01:00).
    expect(history[0]).toMatch(/Tue, Mar 3, 12:00 PM GMT\+11/);
    expect(history.slice(-2)).toEqual([
      expect.stringMatching(/claimed.*Riley Lead/),
      expect.stringMatching(/resolved.*Riley Lead.*System issue: Refunded the double charge/),
    ]);
    await screenshot(page, 'local-workspace-dashboard');
    expect(problems).toEqual([]);
  }, 60_000); // a browser and a whole story: roomy under a loaded full run
});
