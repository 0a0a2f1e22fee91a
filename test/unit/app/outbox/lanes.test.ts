import { describe, expect, it } from 'vitest';
import { laneOf } from '../../../../src/app/outbox/lanes.js';
import type { Card } from '../../../../src/domain/card.js';

const card = {} as Card;
const TEAMS_L2 = 'teams:19:l2@thread.tacv2';
const TEAMS_SUPPORT = 'teams:19:support@thread.tacv2';

describe('laneOf: the rate-limit bucket an effect spends', () => {
  it('Slack chat.postMessage is limited per channel: cards, notes, CSAT prompts and digests share their channel’s lane', () => {
    const post = laneOf({ kind: 'post_card', channel: 'slack:C0L2', card, escalationId: 'esc_1' });
    expect(post).toEqual({ key: 'slack:chat.postMessage:C0L2', pacedAs: 'slack' });
    expect(laneOf({ kind: 'post_digest', channel: 'slack:C0L2', card, period: '2026-W10' })).toEqual(post);
    // A thread reply is a message in the channel, as far as Slack's one-a-second is concerned.
    expect(
      laneOf({ kind: 'thread_note', thread: { channel: 'slack:C0L2', threadId: '1.2' }, text: 'hi' }),
    ).toEqual(post);
    expect(
      laneOf({
        kind: 'csat_prompt',
        thread: { channel: 'slack:C0L2', threadId: '1.2' },
        escalationId: 'esc_1',
        number: 1,
      }),
    ).toEqual(post);
    expect(laneOf({ kind: 'post_card', channel: 'slack:C0L3', card, escalationId: 'esc_2' }).key).toBe(
      'slack:chat.postMessage:C0L3',
    );
  });

  it('Slack chat.update and chat.postEphemeral are limited per method across the workspace, unpaced', () => {
    const update = (channel: string) => laneOf({ kind: 'update_card', escalationId: 'esc_1', card, channel });
    expect(update('slack:C0L2')).toEqual({ key: 'slack:chat.update' });
    expect(update('slack:C0L3')).toEqual(update('slack:C0L2'));
    const ephemeral = (channel: string) =>
      laneOf({ kind: 'ephemeral', channel, userId: 'slack:U1', text: 'only you' });
    expect(ephemeral('slack:C0L2')).toEqual({ key: 'slack:chat.postEphemeral' });
    expect(ephemeral('slack:C0SUPPORT')).toEqual(ephemeral('slack:C0L2'));
  });

  it('Teams is limited per conversation: the channel for a new card, the thread for a reply, the card’s thread for its updates', () => {
    expect(laneOf({ kind: 'post_card', channel: TEAMS_L2, card, escalationId: 'esc_1' })).toEqual({
      key: 'teams:conversation:19:l2@thread.tacv2',
      pacedAs: 'teams',
    });
    expect(
      laneOf({ kind: 'thread_note', thread: { channel: TEAMS_SUPPORT, threadId: '1700' }, text: 'hi' }),
    ).toEqual({ key: 'teams:conversation:19:support@thread.tacv2;messageid=1700', pacedAs: 'teams' });
    expect(laneOf({ kind: 'update_card', escalationId: 'esc_1', card, channel: TEAMS_L2 })).toEqual({
      key: 'teams:card:esc_1',
      pacedAs: 'teams',
    });
    // An answer only for one person goes into the thread it was about, or the channel.
    expect(
      laneOf({ kind: 'ephemeral', channel: TEAMS_SUPPORT, userId: 'teams:a', text: 'x', threadId: '1700' })
        .key,
    ).toBe('teams:conversation:19:support@thread.tacv2;messageid=1700');
    expect(laneOf({ kind: 'ephemeral', channel: TEAMS_SUPPORT, userId: 'teams:a', text: 'x' }).key).toBe(
      'teams:conversation:19:support@thread.tacv2',
    );
  });

  it('webhooks go per host, the AI summary works beside the deliveries, old updates without a channel alone', () => {
    expect(laneOf({ kind: 'webhook', url: 'https://vendor.example/hook?x=1', body: {} })).toEqual({
      key: 'webhook:vendor.example',
    });
    expect(laneOf({ kind: 'ai_summary', escalationId: 'esc_1' }, 'summary:ai.test')).toEqual({
      key: 'summary:ai.test',
      background: true,
    });
    expect(laneOf({ kind: 'update_card', escalationId: 'esc_9', card })).toEqual({ key: 'card:esc_9' });
  });
});
