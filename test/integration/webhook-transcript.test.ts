import { afterEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/domain/policy.js';
import { bootWith } from '../support/checker/boot-with.js';
import { ClockedSlackDriver } from '../support/checker/clocked-drivers.js';
import { sydney } from '../support/checker/local-time.js';
import { startWebhookReceiver } from '../support/checker/webhook-receiver.js';
import { eventually } from '../support/story/eventually.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';

/**
 * The vendor on an external path cannot open the thread, so the webhook carries the whole
 * conversation: every message in order, with e-mail addresses masked unless the policy says
 * `transcripts: { showEmails: true }`. Delivered for real: Slack events over HTTP, the outbox, a
 * signed POST to a loopback receiver.
 */
const SECRET_ENV = 'VENDOR_HOOK_SECRET';

function vendorPolicy(url: string, showEmails: boolean): Policy {
  const policy = storyPolicy('slack');
  const vendors = policy.paths.vendors!;
  return {
    ...policy,
    paths: {
      ...policy.paths,
      vendors: { ...vendors, levels: [{ ...vendors.levels[0]!, webhook: { url, secretEnv: SECRET_ENV } }] },
    },
    transcripts: { showEmails },
  };
}

interface TranscriptLine {
  author: string;
  role: string;
  text: string;
  at: string;
}

describe('external path: the webhook carries the whole conversation', () => {
  let world: StoryWorld;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  afterEach(async () => {
    await world.stop();
    await receiver.close();
  });

  /** A thread with an e-mail address in the customer's words, escalated to the vendor by mention. */
  async function escalateToVendor(showEmails: boolean): Promise<TranscriptLine[]> {
    receiver = await startWebhookReceiver();
    world = await StoryWorld.start(vendorPolicy(receiver.url, showEmails));
    await bootWith(world, { secret: (name) => (name === SECRET_ENV ? 'whsec-test-7d2e' : undefined) });
    world.clock.set(sydney('2026-03-10 10:00'));
    const chat = new ClockedSlackDriver(world);
    // Named people, as a real workspace has them: the vendor reads who said what.
    world.slackApi.addUser({
      id: 'U0CUSTOMER',
      name: 'jane',
      realName: 'Jane Doe',
      displayName: 'Jane Doe',
      teamId: 'T0CUSTOMER',
    });
    world.slackApi.addUser({
      id: 'U0ALICE',
      name: 'alice',
      realName: 'Alice Agent',
      displayName: 'Alice Agent',
    });

    const thread = await chat.customerPosts(
      'Card payments fail with code 91. Write to jane.doe@acme.com.au please.',
    );
    world.clock.advance(60_000);
    await chat.agentReplies(thread, 'Sorry about that. Which card brand?');
    world.clock.advance(60_000);
    await chat.customerRepliesIn(thread, 'Visa only. Copy billing@acme.com.au too.');
    world.clock.advance(60_000);
    await chat.escalateWithMention(thread, 'escalate to vendors P2 Gateway declines Visa with code 91');

    const delivery = await eventually(() => receiver.received[0], 'the webhook');
    return (JSON.parse(delivery.rawBody) as { transcript: TranscriptLine[] }).transcript;
  }

  it('sends every message in order, who wrote it and when, with e-mail addresses masked', async () => {
    const transcript = await escalateToVendor(false);
    // The whole thread, nothing else: the agent's @mention is a command, not part of the conversation.
    expect(transcript).toEqual([
      {
        author: 'Jane Doe',
        role: 'customer',
        text: 'Card payments fail with code 91. Write to j…@acme.com.au please.',
        at: sydney('2026-03-10 10:00').toISOString(),
      },
      {
        author: 'Alice Agent',
        role: 'staff',
        text: 'Sorry about that. Which card brand?',
        at: sydney('2026-03-10 10:01').toISOString(),
      },
      {
        author: 'Jane Doe',
        role: 'customer',
        text: 'Visa only. Copy b…@acme.com.au too.',
        at: sydney('2026-03-10 10:02').toISOString(),
      },
    ]);
    expect(JSON.stringify(transcript)).not.toContain('jane.doe@');
    expect(JSON.stringify(transcript)).not.toContain('billing@');
  });

  it('with transcripts: { showEmails: true } the addresses go out as written', async () => {
    const transcript = await escalateToVendor(true);
    expect(transcript.map((l) => l.text)).toEqual([
      'Card payments fail with code 91. Write to jane.doe@acme.com.au please.',
      'Sorry about that. Which card brand?',
      'Visa only. Copy billing@acme.com.au too.',
    ]);
  });
});
