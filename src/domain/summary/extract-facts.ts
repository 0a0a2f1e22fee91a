/**
 * Key facts of a support thread: the things a specialist would otherwise ask the customer for
 * again. Money amounts (with their currency), order / invoice / ticket / case numbers, error codes,
 * HTTP error statuses, product names from the policy and e-mail addresses (masked). Plain regular
 * expressions over the raw text, so a 500-message thread takes milliseconds.
 */
import { formatMoney, parseMoneyAmounts } from '../triggers/index.js';
import { findEmails, maskEmail } from './readable-text.js';

export type FactKind = 'reference' | 'amount' | 'error' | 'product' | 'email';

/** One fact as found in one message. */
export interface FactHit {
  kind: FactKind;
  /** As the card shows it: `AUD 1,250`, `Order #A-1042`, `HTTP 502 Bad Gateway`, `c***@acme.com`. */
  text: string;
  /** What makes two hits the same fact (`#A-1042` and `order A-1042` are one). Never a raw address. */
  key: string;
}

/** A fact of the thread, with where and how often it came up. */
export interface KeyFact extends FactHit {
  /** Messages that mention it. */
  mentions: number;
  /** 1-based positions (in the thread) of the first and latest message that mention it. */
  firstMessage: number;
  lastMessage: number;
  /** True when the customer wrote it (not only staff). */
  fromCustomer: boolean;
}

export const FACT_LABELS: Record<FactKind, string> = {
  reference: 'Reference',
  amount: 'Amount',
  error: 'Error',
  product: 'Product',
  email: 'E-mail',
};

/** Labels for a reference named by a word ("order 12345" -> "Order 12345"). */
const REFERENCE_WORDS: Record<string, string> = {
  order: 'Order',
  invoice: 'Invoice',
  inv: 'Invoice',
  ticket: 'Ticket',
  case: 'Case',
  ref: 'Ref',
  reference: 'Ref',
  booking: 'Booking',
  po: 'PO',
  'purchase order': 'PO',
  transaction: 'Transaction',
  txn: 'Transaction',
  refund: 'Refund',
  subscription: 'Subscription',
  account: 'Account',
  acct: 'Account',
  contract: 'Contract',
  quote: 'Quote',
  shipment: 'Shipment',
  tracking: 'Tracking',
  claim: 'Claim',
  incident: 'Incident',
  rma: 'RMA',
};

/** `order 12345`, `invoice no. 2026-0042`, `ticket #98765`, `order number is A-1042`, `case: 12345`. */
const LABELLED_REFERENCE = new RegExp(
  `\\b(${Object.keys(REFERENCE_WORDS)
    .sort((a, b) => b.length - a.length)
    .join(
      '|',
    )})\\b\\.?[ \\t]*(?:(?:no|nr|num|number|id)\\b\\.?[ \\t]*)?(?:(?:is|was|=)[ \\t]+)?[:#]?[ \\t]*(#?[A-Za-z0-9][A-Za-z0-9-]*)`,
  'gi',
);

/** `INV-2026-0042`, `PO-7781`, `INC0012345`, `RMA-5521`: prefixed ids, written in capitals. */
const PREFIXED_REFERENCE =
  /\b(?:INV|ORD|PO|TKT|TIX|CASE|CS|SR|REQ|INC|RMA|SO|QT|REF|BK|TXN|CHG|PRB|RITM)[-_]?\d[A-Z0-9]*(?:-[A-Z0-9]+)*\b/g;

/** `#A-1042`, `#12345`: a hash and an id with at least three digits (not `#general`, not `&#39;`). */
const HASH_REFERENCE = /(?<![\w&<])#([A-Za-z]{0,4}-?\d{3,}[A-Za-z0-9-]*)\b/g;

/** An id worth keeping: has a digit and is not a bare one- or two-digit number ("order 2 days ago"). */
function plausibleId(id: string): boolean {
  const bare = id.replace(/^#/, '');
  if (!/\d/.test(bare)) return false;
  if (/^\d+$/.test(bare)) return bare.length >= 3;
  return bare.length >= 3;
}

const HTTP_NAMES: Record<string, string> = {
  '400': 'Bad Request',
  '401': 'Unauthorized',
  '402': 'Payment Required',
  '403': 'Forbidden',
  '404': 'Not Found',
  '405': 'Method Not Allowed',
  '408': 'Request Timeout',
  '409': 'Conflict',
  '410': 'Gone',
  '413': 'Payload Too Large',
  '415': 'Unsupported Media Type',
  '422': 'Unprocessable Entity',
  '429': 'Too Many Requests',
  '500': 'Internal Server Error',
  '501': 'Not Implemented',
  '502': 'Bad Gateway',
  '503': 'Service Unavailable',
  '504': 'Gateway Timeout',
};

/** `HTTP 502`, `HTTP/1.1 503`, `status 500`, `error 502`, `code 404`, `response code 429`. */
const HTTP_KEYWORD =
  /\b(?:HTTP(?:\/[\d.]+)?|status(?:[ \t]+code)?|(?:error|response|return|http)[ \t]+code|error|code)[ \t]*[:=#]?[ \t]*([45]\d{2})\b(?![.,]\d)/gi;
/** `502 Bad Gateway`, `404 not found`, `503 error`, `500s`. */
const HTTP_NAMED =
  /\b([45]\d{2})(?:s\b)?[ \t]*-?[ \t]*(Bad Request|Unauthori[sz]ed|Payment Required|Forbidden|Not Found|Method Not Allowed|Request Time-?out|Conflict|Gone|Payload Too Large|Unsupported Media Type|Unprocessable (?:Entity|Content)|Too Many Requests|Internal Server Error|Not Implemented|Bad Gateway|Service Unavailable|Gateway Time-?out|errors?|responses?|status)\b/gi;
/** `returns 500`, `got a 404`, `throws 503`: a verb, then the status, then no word that makes it a count. */
const HTTP_VERB =
  /\b(?:returns?|returned|returning|got|getting|gets|throws?|throwing|giving|gives|gave|hit|hitting|seeing|see)[ \t]+(?:an?[ \t]+)?([45]\d{2})\b(?![.,]\d|[ \t]*[%$€£]|[ \t]+(?!errors?\b|responses?\b|status\b|pages?\b|codes?\b|on\b|when\b|from\b|for\b|again\b|every\b|after\b|since\b|now\b|in\b|with\b|and\b|but\b|so\b)[A-Za-z])/gi;

/**
 * Error codes: `E1234`, `ERR_CONNECTION_RESET`, `AADSTS50011`, `ECONNRESET`, `ORA-00942`,
 * `0x80070005`, `Error 1045`, `NullPointerException`, `CERT_HAS_EXPIRED`.
 */
const ERROR_PATTERNS: Array<{ pattern: RegExp; digits: boolean }> = [
  { pattern: /\bAADSTS\d{4,6}\b/g, digits: true },
  { pattern: /\bERR_[A-Z0-9_]{3,}\b/g, digits: false },
  {
    pattern:
      /\bE(?:CONNRESET|CONNREFUSED|CONNABORTED|TIMEDOUT|NOTFOUND|HOSTUNREACH|NETUNREACH|PIPE|ACCES|PERM|ADDRINUSE|AI_AGAIN|PROTO|MFILE|NOENT)\b/g,
    digits: false,
  },
  { pattern: /\bE\d{2,5}\b/g, digits: true },
  { pattern: /\bORA-\d{5}\b/g, digits: true },
  { pattern: /\b0x[0-9A-Fa-f]{8}\b/g, digits: true },
  { pattern: /\b[A-Z][A-Za-z]+(?:Error|Exception)\b/g, digits: false },
  {
    pattern:
      /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:ERROR|FAILED|FAILURE|INVALID|DENIED|TIMEOUT|TIMED_OUT|RESET|REFUSED|EXPIRED|NOT_FOUND|UNAUTHORI[SZ]ED|FORBIDDEN|UNAVAILABLE|EXCEEDED|MISSING|MISMATCH|REJECTED|BLOCKED|LOCKED)(?:_[A-Z0-9]+)*\b/g,
    digits: false,
  },
  {
    pattern: /\b(?:INVALID|UNAUTHORI[SZ]ED|FORBIDDEN|CERT|SSL|TLS|SELF_SIGNED|DEPTH_ZERO)_[A-Z0-9_]{3,}\b/g,
    digits: false,
  },
];
/** `Error 1045`, `error code: 0042`, `error #3`: a number named as an error (HTTP statuses are not). */
const ERROR_NUMBER = /\berror(?:[ \t]+code)?[ \t]*[:#]?[ \t]*(\d{3,6})\b(?![.,]\d)/gi;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A matcher for the policy's product names, whole words, any case; undefined when there are none. */
export function productMatcher(products: readonly string[]): RegExp | undefined {
  const names = [...new Set(products.map((p) => p.trim()).filter((p) => p !== ''))].sort(
    (a, b) => b.length - a.length,
  );
  if (names.length === 0) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${names.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}

/**
 * Every match of a global `pattern` in `text`. Unlike `matchAll` this reuses the pattern instead of
 * cloning it, which matters when it runs on thousands of short stretches.
 */
function eachMatch(pattern: RegExp, text: string, visit: (m: RegExpExecArray) => void): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    visit(m);
    if (m[0] === '') pattern.lastIndex += 1;
  }
}

interface Span {
  start: number;
  end: number;
}
const overlaps = (spans: Span[], start: number, end: number) =>
  spans.some((s) => start < s.end && end > s.start);

/** Where a fact can start: a digit, an `@`, an underscore, `ECONN…`-style names, `…Error`. */
const CANDIDATE = /[0-9@_]|E[A-Z]{3}|(?:Error|Exception)\b/g;
/** Context kept around a candidate: labels before ids ("purchase order number is"), currencies after. */
const WINDOW_BEFORE = 48;
const WINDOW_AFTER = 64;
const WINDOW_SNAP = 40;

/**
 * The parts of `text` around candidates, merged and widened to whitespace so no token is split.
 * Long messages are mostly words; the detailed patterns then read a few hundred characters, not all.
 */
function candidateWindows(text: string): Span[] {
  const windows: Span[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const start = snap(text, m.index - WINDOW_BEFORE, -1);
    const end = snap(text, m.index + m[0].length + WINDOW_AFTER, 1);
    const last = windows.at(-1);
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else windows.push({ start, end });
    // Nothing new can start inside this window: skip to its end.
    if (end > CANDIDATE.lastIndex) CANDIDATE.lastIndex = Math.max(CANDIDATE.lastIndex, end - WINDOW_AFTER);
  }
  return windows;
}

/** `at` moved outwards (direction -1 or 1) to the nearest whitespace, within `WINDOW_SNAP`. */
function snap(text: string, at: number, direction: -1 | 1): number {
  let i = Math.min(text.length, Math.max(0, at));
  for (let n = 0; n < WINDOW_SNAP && i > 0 && i < text.length; n += 1) {
    if (/\s/.test(text[i]!)) return direction < 0 ? i + 1 : i;
    i += direction;
  }
  return i;
}

/**
 * The facts of one message, in text order, de-duplicated within it. `products` is the policy's
 * list, or a matcher from `productMatcher` (built once per thread).
 */
export function factsInText(
  text: string,
  products: readonly string[] | RegExp | undefined = undefined,
): FactHit[] {
  const source = String(text ?? '');
  const found: Array<FactHit & { index: number }> = [];
  for (const window of candidateWindows(source)) {
    for (const hit of factsInWindow(source.slice(window.start, window.end))) {
      found.push({ ...hit, index: hit.index + window.start });
    }
  }
  const matcher = products instanceof RegExp ? products : productMatcher(products ?? []);
  if (matcher) {
    const canonical = products instanceof RegExp ? undefined : products;
    eachMatch(matcher, source, (m) => {
      const name = canonical?.find((p) => p.trim().toLowerCase() === m[0].toLowerCase()) ?? m[0];
      found.push({ kind: 'product', text: name, key: `product:${m[0].toLowerCase()}`, index: m.index });
    });
  }
  found.sort((a, b) => a.index - b.index);
  const seen = new Set<string>();
  const hits: FactHit[] = [];
  for (const { index: _index, ...hit } of found) {
    if (seen.has(hit.key)) continue;
    seen.add(hit.key);
    hits.push(hit);
  }
  return hits;
}

/** Every pattern over one stretch of text; earlier kinds win where matches overlap. */
function factsInWindow(source: string): Array<FactHit & { index: number }> {
  const found: Array<FactHit & { index: number }> = [];
  const taken: Span[] = [];
  /** Records a hit covering `[start, start + length)` unless an earlier one took that text. */
  const add = (hit: FactHit, start: number, length: number) => {
    if (overlaps(taken, start, start + length)) return;
    found.push({ ...hit, index: start });
    taken.push({ start, end: start + length });
  };
  const hasDigit = /\d/.test(source);

  if (source.includes('@')) {
    for (const email of findEmails(source)) {
      const masked = maskEmail(email.text);
      add(
        { kind: 'email', text: masked, key: `email:${masked.toLowerCase()}` },
        email.index,
        email.text.length,
      );
    }
  }

  if (hasDigit) {
    for (const amount of parseMoneyAmounts(source)) {
      const text = amount.currency ? formatMoney(amount.value, amount.currency) : amount.text;
      const key = `amount:${amount.currency ?? amount.ambiguous}:${amount.value}`;
      add({ kind: 'amount', text, key }, amount.index, amount.text.length);
    }
    eachMatch(LABELLED_REFERENCE, source, (m) => {
      const word = m[1]!.toLowerCase().replace(/\s+/g, ' ');
      const id = m[2]!;
      if (!plausibleId(id)) return;
      const label = REFERENCE_WORDS[word] ?? word;
      const key = `ref:${id.replace(/^#/, '').toUpperCase()}`;
      add({ kind: 'reference', text: `${label} ${id}`, key }, m.index, m[0].length);
    });
    eachMatch(PREFIXED_REFERENCE, source, (m) => {
      add({ kind: 'reference', text: m[0], key: `ref:${m[0].toUpperCase()}` }, m.index, m[0].length);
    });
    eachMatch(HASH_REFERENCE, source, (m) => {
      add({ kind: 'reference', text: m[0], key: `ref:${m[1]!.toUpperCase()}` }, m.index, m[0].length);
    });
    for (const pattern of [HTTP_KEYWORD, HTTP_NAMED, HTTP_VERB]) {
      eachMatch(pattern, source, (m) => {
        const code = m[1]!;
        const name = HTTP_NAMES[code];
        const text = `HTTP ${code}${name ? ` ${name}` : ''}`;
        add({ kind: 'error', text, key: `http:${code}` }, m.index + m[0].indexOf(code), code.length);
      });
    }
    eachMatch(ERROR_NUMBER, source, (m) => {
      const code = m[1]!;
      add(
        { kind: 'error', text: `Error ${code}`, key: `error:${code}` },
        m.index + m[0].length - code.length,
        code.length,
      );
    });
  }

  for (const { pattern, digits } of ERROR_PATTERNS) {
    if (digits && !hasDigit) continue;
    eachMatch(pattern, source, (m) => {
      add({ kind: 'error', text: m[0], key: `error:${m[0].toUpperCase()}` }, m.index, m[0].length);
    });
  }
  return found;
}

const KIND_ORDER: FactKind[] = ['reference', 'amount', 'error', 'product', 'email'];

/**
 * The facts of a whole thread, de-duplicated, most relevant first. Within a kind: what the customer
 * wrote before what only staff wrote, then what came up most often, then the most recent. Across
 * kinds the list takes turns (the top reference, amount, error, product and e-mail, then the second
 * of each…), so a cap never leaves a kind out for another's long tail. `messages` are oldest first.
 */
export function extractFacts(
  messages: ReadonlyArray<{ text: string; fromCustomer: boolean }>,
  products: readonly string[],
): KeyFact[] {
  const matcher = productMatcher(products);
  const names = new Map(products.map((p) => [p.trim().toLowerCase(), p.trim()]));
  const facts = new Map<string, KeyFact>();
  messages.forEach((message, i) => {
    for (const hit of factsInText(message.text, matcher)) {
      const known = facts.get(hit.key);
      if (known) {
        known.mentions += 1;
        known.lastMessage = i + 1;
        known.fromCustomer ||= message.fromCustomer;
        // A reference named by its word ("Order A-1042") says more than the bare "#A-1042".
        if (hit.kind === 'reference' && /\s/.test(hit.text) && !/\s/.test(known.text)) known.text = hit.text;
        continue;
      }
      const text = hit.kind === 'product' ? (names.get(hit.text.toLowerCase()) ?? hit.text) : hit.text;
      facts.set(hit.key, {
        ...hit,
        text,
        mentions: 1,
        firstMessage: i + 1,
        lastMessage: i + 1,
        fromCustomer: message.fromCustomer,
      });
    }
  });
  const byRelevance = [...facts.values()].sort(
    (a, b) =>
      Number(b.fromCustomer) - Number(a.fromCustomer) ||
      b.mentions - a.mentions ||
      b.lastMessage - a.lastMessage ||
      a.firstMessage - b.firstMessage,
  );
  const rank = new Map<KeyFact, number>();
  const perKind = new Map<FactKind, number>();
  for (const fact of byRelevance) {
    const n = perKind.get(fact.kind) ?? 0;
    rank.set(fact, n);
    perKind.set(fact.kind, n + 1);
  }
  return byRelevance.sort(
    (a, b) => rank.get(a)! - rank.get(b)! || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
}
