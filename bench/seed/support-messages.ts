import { readFileSync } from 'node:fs';
import type { IncomingMessage } from '../../src/app/track-message.js';
import { SUPPORT_CHANNEL } from './rows.js';
import { seededRandom } from './seeded-random.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/triggers/${name}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { text: string }).text);

/** Real customer wording that fires no trigger, and wording that fires one. */
const PLAIN = fixture('plain');
const TRIGGERING = ['dissatisfaction', 'high_value', 'legal', 'manager_request'].flatMap(fixture);
const WORDS = PLAIN.flatMap((text) => text.split(/\s+/)).filter((word) => /^[a-z']+[,.?]?$/i.test(word));
const AGENT_TEXTS = [
  'Thanks for flagging, looking into it now.',
  'Could you send the exact error message and the time it happened?',
  'I have reproduced it and passed it to the team, will update you here.',
  'That should be fixed now, can you try again?',
];

/** Customers write from their own Slack workspace; agents from the home workspace (staff). */
export const customer = (n: number) => ({
  id: `slack:UC${String(n).padStart(5, '0')}`,
  teamId: 'T0CUSTOMER',
});
const agent = (n: number) => ({ id: `slack:U0AGENT${String(n).padStart(2, '0')}`, teamId: 'T0HOME' });

export interface SupportStream {
  count: number;
  /** When the first message arrives; each next one `spacingMs` later. */
  start: Date;
  spacingMs: number;
  /** Share of messages that open a thread; replies go to one of the 200 most recent threads. */
  newThreadShare: number;
  /** Share of customer replies worded to fire a content trigger (manager, legal, money, churn). */
  triggeringShare: number;
}

/**
 * A busy support channel's messages, the same on every run (seeded): customers open threads with
 * wording drawn word by word from real messages (so threads are not near-duplicates, which the
 * systemic trigger would take for an outage), customers and agents reply into recent threads.
 */
export function supportMessages(stream: SupportStream): IncomingMessage[] {
  const random = seededRandom(8);
  const pick = (n: number) => Math.floor(random() * n);
  const threads: Array<{ ts: string; customer: ReturnType<typeof customer> }> = [];
  const messages: IncomingMessage[] = [];
  for (let i = 0; i < stream.count; i++) {
    const at = new Date(stream.start.getTime() + i * stream.spacingMs);
    const ts = `${Math.floor(at.getTime() / 1000)}.${String(i).padStart(6, '0')}`;
    const base = { eventKey: `Ev${ts}`, channel: SUPPORT_CHANNEL, messageId: ts, at };
    if (threads.length === 0 || random() < stream.newThreadShare) {
      const author = customer(1 + pick(2_000));
      threads.push({ ts, customer: author });
      if (threads.length > 200) threads.shift();
      const words = Array.from({ length: 8 + pick(14) }, () => WORDS[pick(WORDS.length)]!);
      messages.push({ ...base, threadId: ts, author, text: `${words.join(' ')} (ref ${i})` });
      continue;
    }
    const thread = threads[pick(threads.length)]!;
    const fromAgent = random() < 0.25;
    const text = fromAgent
      ? AGENT_TEXTS[pick(AGENT_TEXTS.length)]!
      : random() < stream.triggeringShare
        ? TRIGGERING[pick(TRIGGERING.length)]!
        : PLAIN[pick(PLAIN.length)]!;
    messages.push({
      ...base,
      threadId: thread.ts,
      author: fromAgent ? agent(1 + pick(20)) : thread.customer,
      text,
    });
  }
  return messages;
}

/** Opening words for seeded threads, drawn the same way. */
export function openingText(n: number): string {
  const random = seededRandom(n + 1);
  const words = Array.from(
    { length: 8 + Math.floor(random() * 14) },
    () => WORDS[Math.floor(random() * WORDS.length)]!,
  );
  return `${words.join(' ')} (seeded ${n})`;
}
