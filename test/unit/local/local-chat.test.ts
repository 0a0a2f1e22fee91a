import { afterEach, describe, expect, it } from 'vitest';
import { LiveFeed } from '../../../adapters/local/live-feed.js';
import { LocalChat } from '../../../adapters/local/local-chat.js';
import { readableText, viewMessage } from '../../../adapters/local/message-view.js';
import type { Card } from '../../../src/domain/card.js';
import { DeliveryError } from '../../../src/ports/chat-port.js';
import { ManualClock } from '../../support/core/manual-clock.js';
import { createTempStore, type TempStore } from '../../support/core/temp-store.js';

const temps: TempStore[] = [];
afterEach(async () => {
  for (const temp of temps.splice(0)) await temp.cleanup();
});

async function setUp() {
  const temp = await createTempStore();
  temps.push(temp);
  const feed = new LiveFeed();
  const published: unknown[] = [];
  feed.publish = (event) => void published.push(event);
  const chat = new LocalChat({ messages: temp.store.localWorkspace, clock: new ManualClock(), feed });
  return { store: temp.store, chat, published };
}

const names = {
  people: new Map([
    ['local:U0SAM', 'Sam Specialist'],
    ['local:U0CASEY', 'Casey Customer'],
  ]),
  channel: (id: string) => (id === 'slack:C0L2' ? 'L2 Tech' : undefined),
  threadUrl: ({ channel, threadId }: { channel: string; threadId: string }) =>
    `/local/threads/${channel}/${threadId}`,
};

function card(overrides: Partial<Card> = {}): Card {
  return {
    fallback: 'Escalation #3 for <@local:U0CASEY>',
    title: 'Escalation #3 · P2 · manual',
    status: '👋 Claimed by <@local:U0SAM>',
    fields: [{ label: 'Customer', value: '<@local:U0CASEY>' }],
    sections: [
      { heading: 'Why it fired', text: 'Escalated by hand by <@local:U0GONE> in <#slack:C0L2|#l2-tech>' },
    ],
    actions: [{ id: 'resolve', label: 'Resolve', escalationId: 'esc_3', style: 'primary' }],
    links: [{ label: 'Open thread', thread: { channel: 'slack:C0SUPPORT', threadId: 'lm_root' } }],
    context: ['Claimed by <@local:U0SAM> · posted to <#teams:19:x|General>'],
    ...overrides,
  };
}

describe('LocalChat', () => {
  it('stores a card with its tokens, and the page reads them as names', async () => {
    const { store, chat, published } = await setUp();
    const { messageId } = await chat.postCard('slack:C0L2', card(), { idempotencyKey: 'obx_1' });
    const stored = await store.localWorkspace.get(messageId);
    expect(stored?.card?.status).toBe('👋 Claimed by <@local:U0SAM>');
    expect(published).toEqual([{ channel: 'slack:C0L2', threadId: null, id: messageId }]);

    const view = viewMessage(stored!, names);
    expect(view.card).toMatchObject({
      fallback: 'Escalation #3 for Casey Customer',
      status: '👋 Claimed by Sam Specialist',
      fields: [{ label: 'Customer', value: 'Casey Customer' }],
      // Unknown people read as "someone"; a simulated channel by its name, another by its label.
      sections: [{ heading: 'Why it fired', text: 'Escalated by hand by someone in #L2 Tech' }],
      context: ['Claimed by Sam Specialist · posted to General'],
      links: [
        {
          label: 'Open thread',
          channel: 'slack:C0SUPPORT',
          threadId: 'lm_root',
          url: '/local/threads/slack:C0SUPPORT/lm_root',
        },
      ],
    });
  });

  it('posts a card once per outbox entry, and updates it in place', async () => {
    const { store, chat } = await setUp();
    const first = await chat.postCard('slack:C0L2', card(), { idempotencyKey: 'obx_2' });
    const retried = await chat.postCard('slack:C0L2', card(), { idempotencyKey: 'obx_2' });
    expect(retried.messageId).toBe(first.messageId);
    expect(await store.localWorkspace.listRoots('slack:C0L2')).toHaveLength(1);

    await chat.updateCard('slack:C0L2', first.messageId, card({ status: '✅ Resolved' }));
    expect((await store.localWorkspace.get(first.messageId))?.card?.status).toBe('✅ Resolved');
    await expect(chat.updateCard('slack:C0L2', 'lm_missing', card())).rejects.toSatisfy(
      (error) => error instanceof DeliveryError && !error.retryable,
    );
  });

  it('keeps notes, CSAT prompts and ephemerals in their thread; ephemerals only for their person', async () => {
    const { store, chat } = await setUp();
    const thread = { channel: 'slack:C0SUPPORT', threadId: 'lm_root' };
    await store.localWorkspace.create({
      id: 'lm_root',
      channel: 'slack:C0SUPPORT',
      threadId: null,
      authorId: 'local:U0CASEY',
      kind: 'text',
      text: 'Help',
      card: null,
      csat: null,
      visibleTo: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await chat.postThreadNote(thread, '👋 <@local:U0SAM> claimed escalation #3');
    await chat.postCsatPrompt(thread, { escalationId: 'esc_3', number: 3 });
    await chat.postEphemeral('slack:C0SUPPORT', 'local:U0SAM', 'Only for Sam', 'lm_root');

    const forCasey = await store.localWorkspace.listThread('slack:C0SUPPORT', 'lm_root', 'local:U0CASEY');
    expect(forCasey.map((m) => m.kind)).toEqual(['text', 'note', 'csat']);
    const forSam = await store.localWorkspace.listThread('slack:C0SUPPORT', 'lm_root', 'local:U0SAM');
    expect(forSam.map((m) => m.kind)).toEqual(['text', 'note', 'csat', 'ephemeral']);
    const [root] = await store.localWorkspace.listRoots('slack:C0SUPPORT', 'local:U0CASEY');
    expect(root?.replyCount).toBe(2);
    expect(readableText(forCasey[1]!.text!, names)).toBe('👋 Sam Specialist claimed escalation #3');
    expect((await store.localWorkspace.findCsatPrompt('esc_3'))?.csat).toEqual({
      escalationId: 'esc_3',
      number: 3,
    });
  });
});
