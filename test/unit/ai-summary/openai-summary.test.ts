import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chatCompletionsUrl,
  OpenAiSummary,
  SYSTEM_PROMPT,
  THREAD_BUDGET,
  threadText,
} from '../../../adapters/summary/openai-summary.js';
import type { SummaryInput } from '../../../src/ports/summary-port.js';
import {
  type FakeChatCompletions,
  startFakeChatCompletions,
} from '../../support/summary/fake-chat-completions.js';

const input: SummaryInput = {
  issueNumber: 12,
  reason: 'Refund above my limit',
  thread: [
    { role: 'customer', text: 'Order A-1042 was charged twice.', at: '2026-03-02T09:00:00.000Z' },
    { role: 'staff', text: 'Checking with\nbilling.', at: '2026-03-02T09:05:00.000Z' },
  ],
};

const never = () => new AbortController().signal;

describe('chatCompletionsUrl', () => {
  it.each([
    ['https://api.openai.com/v1', 'https://api.openai.com/v1/chat/completions'],
    ['https://api.openai.com/v1/', 'https://api.openai.com/v1/chat/completions'],
    ['http://127.0.0.1:11434/v1/chat/completions', 'http://127.0.0.1:11434/v1/chat/completions'],
    ['http://gateway.local/llm/v1/chat/completions/', 'http://gateway.local/llm/v1/chat/completions'],
    [
      'https://x.example/openai/deployments/m/chat/completions?api-version=2024-06-01',
      'https://x.example/openai/deployments/m/chat/completions?api-version=2024-06-01',
    ],
  ])('%s → %s', (given, expected) => {
    expect(chatCompletionsUrl(given)).toBe(expected);
  });
});

describe('threadText', () => {
  it('says the issue and the reason, then one plain line per message, oldest first', () => {
    expect(threadText(input)).toBe(
      [
        'Issue #12, escalated because: Refund above my limit',
        'Thread (2 messages, oldest first):',
        '[2026-03-02T09:00:00.000Z] customer: Order A-1042 was charged twice.',
        '[2026-03-02T09:05:00.000Z] staff: Checking with billing.',
      ].join('\n'),
    );
  });

  it('keeps a 500-message thread of long texts inside the budget: the first message, a gap line, the latest', () => {
    const thread = Array.from({ length: 500 }, (_, i) => ({
      role: i % 2 === 0 ? ('customer' as const) : ('staff' as const),
      text: `message ${i} ${'lorem ipsum '.repeat(300)}`,
      at: new Date(Date.UTC(2026, 2, 2, 9, 0, i)).toISOString(),
    }));
    const text = threadText({ ...input, thread });
    expect(text.length).toBeLessThanOrEqual(THREAD_BUDGET);
    const lines = text.split('\n');
    expect(lines[2]).toContain('customer: message 0 lorem');
    expect(lines[3]).toMatch(/^\[… \d+ messages left out …\]$/);
    expect(lines.at(-1)).toContain('staff: message 499 lorem');
    // Each long message is cut on its own so several of the latest still fit.
    expect(lines.length).toBeGreaterThan(10);
    const kept = lines.length - 4; // header (2), first, gap line
    expect(lines[3]).toBe(`[… ${499 - kept} messages left out …]`);
  });

  it('a thread that fits is sent whole, without a gap line', () => {
    expect(threadText(input, 10_000)).not.toContain('left out');
  });
});

describe('OpenAiSummary against a loopback chat-completions endpoint', () => {
  let ai: FakeChatCompletions;
  beforeEach(async () => {
    ai = await startFakeChatCompletions();
  });
  afterEach(async () => {
    await ai.close();
  });

  it('posts the model, the prompts, temperature 0.2 and max_tokens 300, and returns the answer trimmed', async () => {
    ai.answer('  Charged twice for A-1042; billing is checking.\n');
    const summary = new OpenAiSummary({ apiUrl: ai.url, model: 'llama3', apiKey: 'sk-abc' });
    await expect(summary.summarize(input, never())).resolves.toBe(
      'Charged twice for A-1042; billing is checking.',
    );
    const [request] = ai.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.authorization).toBe('Bearer sk-abc');
    expect(request?.body).toEqual({
      model: 'llama3',
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: threadText(input) },
      ],
      temperature: 0.2,
      max_tokens: 300,
    });
    expect(SYSTEM_PROMPT).toMatch(/^You summarise customer support threads for the specialist taking over:/);
    expect(SYSTEM_PROMPT).toContain('3-5 sentences, facts only, no greeting');
  });

  it('sends no Authorization header without a key, and takes a full /chat/completions URL', async () => {
    const summary = new OpenAiSummary({ apiUrl: `${ai.url}/chat/completions`, model: 'm' });
    await summary.summarize(input, never());
    expect(ai.requests[0]?.authorization).toBeUndefined();
    expect(ai.requests[0]?.path).toBe('/v1/chat/completions');
  });

  it('turns a non-2xx answer into an error naming the host and status', async () => {
    ai.fail(503);
    const summary = new OpenAiSummary({ apiUrl: ai.url, model: 'm', apiKey: 'sk-secret' });
    const error = await summary.summarize(input, never()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^summary endpoint 127\.0\.0\.1:\d+ answered HTTP 503/);
    expect((error as Error).message).not.toContain('sk-secret');
  });

  it('rejects an answer without choices[0].message.content', async () => {
    ai.answer('   ');
    const summary = new OpenAiSummary({ apiUrl: ai.url, model: 'm' });
    await expect(summary.summarize(input, never())).rejects.toThrow(/without a summary/);
  });

  it('an unreachable endpoint is an error', async () => {
    const url = ai.url;
    await ai.close();
    const summary = new OpenAiSummary({ apiUrl: url, model: 'm' });
    await expect(summary.summarize(input, never())).rejects.toThrow(/unreachable/);
    ai = await startFakeChatCompletions(); // for afterEach
  });

  it('stops a hanging call when the signal aborts', async () => {
    ai.hang();
    const summary = new OpenAiSummary({ apiUrl: ai.url, model: 'm' });
    const started = Date.now();
    await expect(summary.summarize(input, AbortSignal.timeout(150))).rejects.toThrow(
      /did not answer in time/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    await expect.poll(() => ai.requests[0]?.abandoned).toBe(true);
  });
});
