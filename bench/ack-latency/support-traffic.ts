/**
 * The Slack traffic of a busy support channel, as signed Events API requests: customers (from a
 * Slack Connect workspace) open threads and write into them, agents of the home workspace answer.
 * Shared by the ack-latency and memory benchmarks.
 */
import { readFileSync } from 'node:fs';
import { messageEvent, signSlackRequest, slackTs } from '../../test/support/slack/index.js';
import { seededRandom } from '../seed/seeded-random.js';

export const BENCH_SIGNING_SECRET = 'bench-signing-secret';
/** The support channel of `escalation-policy.example.yaml`. */
export const SUPPORT_CHANNEL = 'C0SUPPORT';
/** Not in the policy's `staff.slackTeamIds`, so its people count as customers. */
export const CUSTOMER_TEAM = 'T0CUSTOMER';
/** The home workspace: staff. */
export const AGENT_TEAM = 'T0HOME';

/** How many people the traffic comes from (the fake Slack knows each of them, as Slack would). */
export const PEOPLE = { customers: 300, agents: 20 } as const;

export const customerId = (n: number) => `U0CUST${String(n).padStart(5, '0')}`;
export const agentId = (n: number) => `U0AGENT${String(n).padStart(2, '0')}`;

/** A request ready to send: its body and the headers Slack would put on it. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function signedEvent(body: string, secret = BENCH_SIGNING_SECRET): SignedRequest {
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signSlackRequest(secret, body),
    },
  };
}

// Real customer wording, from the trigger fixtures that fire no trigger.
const PLAIN_TEXTS = readFileSync(new URL('../../test/fixtures/triggers/plain.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => (JSON.parse(line) as { text: string }).text);
const WORDS = PLAIN_TEXTS.flatMap((text) => text.split(/\s+/)).filter((word) =>
  /^[a-z']+[,.?]?$/i.test(word),
);

const AGENT_TEXTS = [
  'Thanks for flagging, looking into it now.',
  'Could you send the exact error message and the time it happened?',
  'I have reproduced it and passed it to the team, will update you here.',
  'That should be fixed now, can you try again?',
];

export interface TrafficOptions {
  customers?: number;
  agents?: number;
  /** Share of messages that open a new thread (the rest are replies into recent threads). */
  newThreadShare: number;
  /** Replies go into one of this many most recent threads. */
  activeThreads?: number;
}

/**
 * An endless, seeded mix of message events. Opening messages are drawn word by word from real
 * customer messages, so threads are not near-duplicates of each other: identical openings from
 * different customers are what the systemic (outage) trigger looks for, and would turn every new
 * thread into an outage report.
 */
export class SupportTraffic {
  private readonly random = seededRandom(8);
  private readonly threads: Array<{ ts: string; customer: string }> = [];

  constructor(private readonly options: TrafficOptions) {}

  /** The body of the next message event (a JSON `event_callback`). */
  next(): string {
    const {
      customers = PEOPLE.customers,
      agents = PEOPLE.agents,
      newThreadShare,
      activeThreads = 200,
    } = this.options;
    if (this.threads.length === 0 || this.random() < newThreadShare) {
      const ts = slackTs();
      const customer = customerId(1 + this.pick(customers));
      this.threads.push({ ts, customer });
      if (this.threads.length > activeThreads) this.threads.shift();
      return JSON.stringify(
        messageEvent({
          channel: SUPPORT_CHANNEL,
          user: customer,
          team: CUSTOMER_TEAM,
          ts,
          text: this.openingText(),
        }),
      );
    }
    const thread = this.threads[this.pick(this.threads.length)]!;
    const fromAgent = this.random() < 0.25;
    return JSON.stringify(
      messageEvent({
        channel: SUPPORT_CHANNEL,
        user: fromAgent ? agentId(1 + this.pick(agents)) : thread.customer,
        team: fromAgent ? AGENT_TEAM : CUSTOMER_TEAM,
        threadTs: thread.ts,
        parentUserId: thread.customer,
        text: fromAgent
          ? AGENT_TEXTS[this.pick(AGENT_TEXTS.length)]!
          : PLAIN_TEXTS[this.pick(PLAIN_TEXTS.length)]!,
      }),
    );
  }

  private openingText(): string {
    const length = 10 + this.pick(15);
    return Array.from({ length }, () => WORDS[this.pick(WORDS.length)]!).join(' ');
  }

  private pick(n: number): number {
    return Math.floor(this.random() * n);
  }
}
