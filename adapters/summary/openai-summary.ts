import type { SummaryInput, SummaryPort } from '../../src/ports/summary-port.js';

export interface OpenAiSummarySettings {
  /** A base URL such as `https://api.openai.com/v1`, or the full `…/chat/completions` URL. */
  apiUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when set (local servers often need none). */
  apiKey?: string;
}

export const SYSTEM_PROMPT = [
  'You summarise customer support threads for the specialist taking over:',
  'what the customer needs, what staff have tried so far, and what is still open.',
  'Write 3-5 sentences, facts only, no greeting, no advice, nothing that is not in the thread.',
  'Keep order, invoice and ticket numbers, amounts, error codes and product names exactly as written.',
].join(' ');

/** Characters of thread text sent at most (roughly 6k tokens), so a 500-message thread stays cheap. */
export const THREAD_BUDGET = 24_000;
/** One long message (a pasted log) must not crowd out the rest of the thread. */
const MESSAGE_MAX = 1_500;

/**
 * Summaries from any OpenAI-compatible chat-completions endpoint (OpenAI, Azure-style gateways,
 * vLLM, Ollama, LiteLLM …). One request per call; retries and timeouts belong to the caller, which
 * passes the signal that ends the request.
 */
export class OpenAiSummary implements SummaryPort {
  readonly url: string;

  constructor(private readonly settings: OpenAiSummarySettings) {
    this.url = chatCompletionsUrl(settings.apiUrl);
  }

  async summarize(input: SummaryInput, signal: AbortSignal): Promise<string> {
    const host = new URL(this.url).host;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    const body = {
      model: this.settings.model,
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: threadText(input) },
      ],
      temperature: 0.2,
      max_tokens: 300,
    };
    let response: Response;
    try {
      response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify(body), signal });
    } catch (error) {
      throw failure(host, signal, `unreachable: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const detail = oneLine(await response.text().catch(() => '')).slice(0, 200);
      throw failure(host, signal, `answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch {
      throw failure(host, signal, 'answered with something that is not JSON');
    }
    const content = (answer as { choices?: Array<{ message?: { content?: unknown } }> } | null)?.choices?.[0]
      ?.message?.content;
    if (typeof content !== 'string' || !content.trim()) {
      throw new Error(
        `summary endpoint ${host} answered without a summary (choices[0].message.content is empty)`,
      );
    }
    return content.trim();
  }
}

/** The error of a failed call; an aborted one (the caller's timeout) says so whatever broke. */
function failure(host: string, signal: AbortSignal, what: string): Error {
  return new Error(`summary endpoint ${host} ${signal.aborted ? 'did not answer in time' : what}`);
}

/** `https://host/v1` (or `/v1/`) → `https://host/v1/chat/completions`; a full URL stays as it is. */
export function chatCompletionsUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/chat/completions') ? path : `${path}/chat/completions`;
  return url.toString();
}

/**
 * The user message: the issue, why it was escalated, then the thread as plain lines
 * (`[time] customer: text`), oldest first. Over the budget, the first message (the problem in the
 * customer's words) and the latest ones are kept, and a line says how many were left out between.
 */
export function threadText(input: SummaryInput, budget = THREAD_BUDGET): string {
  const header = [
    `Issue #${input.issueNumber}, escalated because: ${clip(oneLine(input.reason), MESSAGE_MAX)}`,
    `Thread (${input.thread.length} messages, oldest first):`,
  ].join('\n');
  const lines = input.thread.map((m) => `[${m.at}] ${m.role}: ${clip(oneLine(m.text), MESSAGE_MAX)}`);
  let room = budget - header.length - 1;
  const [first, ...rest] = lines;
  if (first === undefined) return header;
  const kept = [clip(first, Math.max(room, 0))];
  room -= kept[0]!.length + 1;
  // Room for the "left out" line, reserved up front so adding it never breaks the budget.
  const marker = (n: number) => `[… ${n} messages left out …]`;
  room -= marker(rest.length).length + 1;
  const latest: string[] = [];
  for (let i = rest.length - 1; i >= 0; i -= 1) {
    const line = rest[i]!;
    if (line.length + 1 > room) break;
    latest.unshift(line);
    room -= line.length + 1;
  }
  const leftOut = rest.length - latest.length;
  return [header, ...kept, ...(leftOut > 0 ? [marker(leftOut)] : []), ...latest].join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(max - 1, 0))}…`;
}
