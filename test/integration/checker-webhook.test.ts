import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/domain/policy.js';
import { bootWith } from '../support/checker/boot-with.js';
import { ClockedSlackDriver } from '../support/checker/clocked-drivers.js';
import { sydney } from '../support/checker/local-time.js';
import { type ReceivedWebhook, startWebhookReceiver } from '../support/checker/webhook-receiver.js';
import { readOutbox } from '../support/core/outbox-rows.js';
import { eventually } from '../support/story/eventually.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';

/**
 * External paths: the example policy's `vendors` level is a webhook to the payments vendor, signed
 * with the secret named by `secretEnv`. Escalator is started with `startEscalator` directly (on the
 * story world's database and fakes) so the secret comes from its `secret` option, as main.ts reads
 * it from the environment. The vendor is a loopback HTTP receiver.
 */
const SECRET_ENV = 'VENDOR_HOOK_SECRET';
const SECRET = 'whsec-test-4b1d9c';

/** The example policy with the vendor's webhook pointed at the receiver (and optionally a channel too). */
function vendorPolicy(url: string, options: { channel?: string; highValueToVendor?: boolean } = {}): Policy {
  const policy = storyPolicy('slack');
  const vendors = policy.paths.vendors!;
  return {
    ...policy,
    paths: {
      ...policy.paths,
      vendors: {
        ...vendors,
        levels: [
          {
            ...vendors.levels[0]!,
            webhook: { url, secretEnv: SECRET_ENV },
            ...(options.channel ? { channel: options.channel } : {}),
          },
        ],
      },
    },
    triggers: options.highValueToVendor
      ? { highValue: { ...policy.triggers.highValue!, path: 'vendors' } }
      : policy.triggers,
  };
}

/** What the vendor must do to trust a delivery: recompute the HMAC over "<timestamp>.<body>". */
function verify(delivery: ReceivedWebhook, secret: string): boolean {
  const timestamp = String(delivery.headers['x-escalator-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${delivery.rawBody}`).digest('hex')}`;
  return delivery.headers['x-escalator-signature'] === expected;
}

describe('external path: a signed webhook to the vendor through the outbox', () => {
  let world: StoryWorld;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  async function start(answers: number[], options: Parameters<typeof vendorPolicy>[1] = {}) {
    receiver = await startWebhookReceiver(answers);
    world = await StoryWorld.start(vendorPolicy(receiver.url, options));
    await bootWith(world, { secret: (name) => (name === SECRET_ENV ? SECRET : undefined) });
    world.clock.set(sydney('2026-03-10 10:00'));
    return new ClockedSlackDriver(world);
  }
  afterEach(async () => {
    await world.stop();
    await receiver.close();
  });

  it('escalating to vendors POSTs the escalation as JSON with an HMAC-SHA256 signature and an idempotency key', async () => {
    const chat = await start([]);
    const thread = await chat.customerPosts('Card payments are declined with code 91 since 9am.');
    await chat.escalateWithMention(thread, 'escalate to vendors P2 Gateway declines every card with code 91');

    const delivery = await eventually(() => receiver.received[0], 'the webhook');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(verify(delivery, SECRET)).toBe(true);
    expect(verify(delivery, 'some-other-secret')).toBe(false);
    const timestamp = Number(delivery.headers['x-escalator-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(300); // a receiver rejects stale ones
    expect(delivery.headers['idempotency-key']).toMatch(/\S{8,}/);

    const issue = (await world.store.issues.findByThread(thread.channel, thread.rootId))!;
    const escalation = (await world.store.escalations.findActiveForIssue(issue.id))!;
    expect(JSON.parse(delivery.rawBody)).toEqual({
      type: 'escalation.opened',
      escalation: {
        id: escalation.id,
        number: 1,
        priority: 'P2',
        trigger: 'manual',
        path: 'vendors',
        level: 'Payments vendor',
      },
      issue: { id: issue.id, number: issue.number, channel: 'slack:C0SUPPORT', threadId: thread.rootId },
      reason: 'Gateway declines every card with code 91',
      summary: expect.stringContaining('Escalation #1 (P2, Manual)'),
      // The vendor cannot open the thread, so the thread comes along (see webhook-transcript.test.ts).
      transcript: [
        {
          author: expect.any(String),
          role: 'customer',
          text: 'Card payments are declined with code 91 since 9am.',
          at: expect.any(String),
        },
      ],
      at: sydney('2026-03-10 10:00').toISOString(),
    });
    await chat.waitForNote(thread, 'Escalated to *Payments vendor*');
    expect(receiver.received).toHaveLength(1);
  });

  it('the vendor answers 503 first: the outbox retries when its backoff has passed and delivers once', async () => {
    const chat = await start([503]);
    const thread = await chat.customerPosts('Card payments are declined with code 91 since 9am.');
    await chat.escalateWithMention(thread, 'escalate to vendors P2 Gateway declines every card with code 91');

    await eventually(() => receiver.received.length === 1, 'the first attempt');
    await world.app.dispatcher.idle();
    const [row] = (await readOutbox(world.dbUrl)).filter((r) => r.effect.kind === 'webhook');
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toContain('HTTP 503');

    // Nothing more until the backoff (about a second on the first retry) has passed.
    await world.app.dispatcher.kick();
    expect(receiver.received).toHaveLength(1);

    world.clock.advance(2_000);
    await world.app.dispatcher.kick();
    expect(receiver.received.map((r) => r.status)).toEqual([503, 200]);
    const [first, second] = receiver.received;
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
    expect(second!.rawBody).toBe(first!.rawBody);
    expect(verify(second!, SECRET)).toBe(true);

    world.clock.advance(60_000);
    await world.app.dispatcher.kick();
    await world.tick();
    expect(receiver.received).toHaveLength(2);
    const [delivered] = (await readOutbox(world.dbUrl)).filter((r) => r.effect.kind === 'webhook');
    expect(delivered!.status).toBe('delivered');
  });

  it('a trigger aimed at the vendor path calls the webhook, and a level with a channel too also gets the card', async () => {
    const chat = await start([], { channel: 'slack:C0LEADS', highValueToVendor: true });
    await chat.customerPosts('Settlement of AUD 48,000 is stuck at your gateway since Monday.');
    await world.tick();
    const card = await chat.waitForCard(chat.channel('leads'));
    expect(chat.cardText(card)).toContain('Payments vendor');
    expect(chat.cardText(card)).toContain('AUD 48,000');

    const delivery = await eventually(() => receiver.received[0], 'the webhook');
    expect(verify(delivery, SECRET)).toBe(true);
    expect(JSON.parse(delivery.rawBody)).toMatchObject({
      type: 'escalation.opened',
      escalation: { trigger: 'high_value', path: 'vendors', level: 'Payments vendor', priority: 'P2' },
    });
  });
});
