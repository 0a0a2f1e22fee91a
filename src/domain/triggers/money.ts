/**
 * Money amounts in chat text: `$12,500`, `AUD 12k`, `12.5K dollars`, `€3.2m`, `USD 9,999.99`,
 * `A$15,000`, `£20k`, `15,000 AUD`, `5 grand`. Only a number with a currency marker (symbol, ISO code
 * or currency word) is money, so order numbers, error codes, phone numbers, dates, step counts and
 * percentages are never read as amounts.
 */

export interface MoneyAmount {
  /** The fragment as written, e.g. `$12,500` or `12.5K dollars`. */
  text: string;
  /** Where the fragment starts in the text that was parsed. */
  index: number;
  /** The amount in units of its currency (multipliers applied: 12k -> 12000). */
  value: number;
  /** ISO 4217 code when the text says which currency; absent when it does not (see `ambiguous`). */
  currency?: string;
  /**
   * Present when the text does not name the currency: `dollar` for a bare `$`, "dollars" or "bucks"
   * (which dollar depends on the reader), `local` for "grand" (whatever the reader's currency is).
   */
  ambiguous?: 'dollar' | 'local';
}

/** ISO codes recognised in any case ("usd 500", "500 aud"): none of them is an English word. */
const KNOWN_CODES = new Set([
  'AUD',
  'USD',
  'EUR',
  'GBP',
  'NZD',
  'CAD',
  'SGD',
  'HKD',
  'JPY',
  'CNY',
  'RMB',
  'INR',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'ZAR',
  'MXN',
  'BRL',
  'MYR',
  'IDR',
  'THB',
  'KRW',
  'AED',
  'SAR',
  'PLN',
  'CZK',
  'HUF',
  'ILS',
  'TWD',
  'VND',
]);

/** Currencies whose symbol is `$`: with one of these as the policy currency, a bare `$` is read as it. */
export const DOLLAR_CURRENCIES = new Set(['AUD', 'USD', 'CAD', 'NZD', 'SGD', 'HKD', 'MXN', 'TWD']);

/** `A$`, `AU$`, `US$`, `C$`, `NZ$`, `S$`, `HK$` (and `AUD$`-style). */
const DOLLAR_PREFIXES: Record<string, string> = {
  A: 'AUD',
  AU: 'AUD',
  AUD: 'AUD',
  US: 'USD',
  USD: 'USD',
  C: 'CAD',
  CA: 'CAD',
  CAD: 'CAD',
  NZ: 'NZD',
  NZD: 'NZD',
  S: 'SGD',
  SG: 'SGD',
  SGD: 'SGD',
  HK: 'HKD',
  HKD: 'HKD',
  R: 'BRL',
  MX: 'MXN',
  NT: 'TWD',
};

const SYMBOLS: Record<string, string> = {
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  '₩': 'KRW',
  '₪': 'ILS',
};

const MULTIPLIERS: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  grand: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  mil: 1e6,
  mill: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
};

/**
 * A number as people write it: `12,500.50` (English), `12.500,50` or `1.234.567` (European),
 * `12,50,000` (Indian), `12,50` (decimal comma), `12500`, `12.5`; then an optional multiplier,
 * attached for letters (`12k`, `3.2m`, `5bn`) and after a space for words (`5 million`, `10 grand`).
 */
const AMOUNT = new RegExp(
  [
    '(?<![0-9_.,])(',
    [
      '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?',
      '\\d{1,3}(?:\\.\\d{3}){2,}(?:,\\d{1,2})?',
      '\\d{1,3}\\.\\d{3},\\d{1,2}',
      '\\d{1,2}(?:,\\d{2})+,\\d{3}(?:\\.\\d+)?',
      '\\d+,\\d{1,2}(?![0-9])',
      '\\d+(?:\\.\\d+)?',
    ].join('|'),
    ')(?![0-9])',
    '(?:(k|mm|mn|mill|mil|m|bn|b)(?![A-Za-z0-9])|\\s?(thousand|million|billion|grand)\\b)?',
  ].join(''),
  'gi',
);

/** What continues an amount into something else: a version (1.5.2), a percentage, a date, a range, an id. */
const CONTINUES = /^(?:[.,]\d|[%‰]|\s?(?:percent|per cent|pc)\b|[/:]\d|-\d|[A-Za-z0-9_])/i;

function numberValue(raw: string): number {
  let s = raw;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    // Both: the later one is the decimal separator.
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    // Commas only: thousands (12,500 or 12,50,000) unless one comma with 1-2 digits after (12,50).
    s = /^\d+,\d{1,2}$/.test(s) ? s.replace(',', '.') : s.replace(/,/g, '');
  } else if ((s.match(/\./g) ?? []).length > 1) {
    s = s.replace(/\./g, ''); // 1.234.567
  }
  return Number(s);
}

interface Marker {
  currency?: string;
  ambiguous?: 'dollar' | 'local';
  /** Characters of the marker, with the space between it and the number. */
  length: number;
}

function codeOf(word: string, extraCodes: ReadonlySet<string>): string | undefined {
  const upper = word.toUpperCase();
  if (KNOWN_CODES.has(upper)) return upper;
  // Configured currencies outside the known list count only in capitals ("TRY" but not "try").
  return extraCodes.has(word) ? word : undefined;
}

/** `(?:^|[^A-Za-z])` consumed a character that is not part of the marker. */
const markerLength = (m: RegExpExecArray) => m[0].length - (/^[^A-Za-z]/.test(m[0]) ? 1 : 0);

/** The currency marker just before a number: `$`, `A$`, `AUD$`, `AUD $`, `€`, `USD `, `$-`. */
function prefixMarker(before: string, extraCodes: ReadonlySet<string>): Marker | undefined {
  // A$, US$, NZ$ (capitals, attached: "A $500 fee" is "a $500 fee") or AUD$ / AUD $ / aud$.
  let m = /(?:^|[^A-Za-z])([A-Z]{1,2})\$\s?(?:-\s?)?$/.exec(before);
  if (m && DOLLAR_PREFIXES[m[1]!]) return { currency: DOLLAR_PREFIXES[m[1]!]!, length: markerLength(m) };
  m = /(?:^|[^A-Za-z])([A-Za-z]{3}) ?\$\s?(?:-\s?)?$/.exec(before);
  if (m && codeOf(m[1]!, extraCodes))
    return { currency: codeOf(m[1]!, extraCodes)!, length: markerLength(m) };
  m = /\$\s?(?:-\s?)?$/.exec(before);
  if (m) return { ambiguous: 'dollar', length: m[0].length };
  m = /([€£¥₹₩₪])\s?(?:-\s?)?$/.exec(before);
  if (m) return { currency: SYMBOLS[m[1]!]!, length: m[0].length };
  m = /(?:^|[^A-Za-z])([A-Za-z]{3})\s?(?:-\s?)?$/.exec(before);
  if (m && codeOf(m[1]!, extraCodes))
    return { currency: codeOf(m[1]!, extraCodes)!, length: markerLength(m) };
  return undefined;
}

const SUFFIX_WORDS: [RegExp, Omit<Marker, 'length'>][] = [
  [/^\s?(?:australian|aussie|aus|au) dollars?\b/i, { currency: 'AUD' }],
  [/^\s?(?:us|u\.s\.|american) dollars?\b/i, { currency: 'USD' }],
  [/^\s?(?:canadian|cdn) dollars?\b/i, { currency: 'CAD' }],
  [/^\s?(?:new zealand|nz|kiwi) dollars?\b/i, { currency: 'NZD' }],
  [/^\s?singapore dollars?\b/i, { currency: 'SGD' }],
  [/^\s?hong kong dollars?\b/i, { currency: 'HKD' }],
  [/^\s?(?:dollars?|bucks)\b/i, { ambiguous: 'dollar' }],
  [/^\s?euros?\b/i, { currency: 'EUR' }],
  [/^\s?(?:pounds? sterling|pounds?|quid|sterling)\b/i, { currency: 'GBP' }],
  [/^\s?yen\b/i, { currency: 'JPY' }],
  [/^\s?rupees?\b/i, { currency: 'INR' }],
  [/^\s?€/, { currency: 'EUR' }],
  [/^\s?£/, { currency: 'GBP' }],
];

/** The currency marker just after a number (and its multiplier): ` AUD`, `AUD`, ` dollars`, ` €`. */
function suffixMarker(after: string, extraCodes: ReadonlySet<string>): Marker | undefined {
  const code = /^\s?([A-Za-z]{3})(?![A-Za-z])/.exec(after);
  if (code) {
    const currency = codeOf(code[1]!, extraCodes);
    if (currency) return { currency, length: code[0].length };
  }
  for (const [pattern, marker] of SUFFIX_WORDS) {
    const m = pattern.exec(after);
    if (m) return { ...marker, length: m[0].length };
  }
  return undefined;
}

/**
 * Every money amount in `text`, in order. `currencies` adds ISO codes to recognise (the policy's
 * threshold currency), in capitals. Never throws; a number with no currency marker is not money.
 */
export function parseMoneyAmounts(text: string, currencies: readonly string[] = []): MoneyAmount[] {
  const source = String(text ?? '');
  const extraCodes = new Set(currencies.filter((c) => /^[A-Z]{3}$/.test(c)));
  const amounts: MoneyAmount[] = [];
  for (const m of source.matchAll(AMOUNT)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = source.slice(Math.max(0, start - 8), start);
    const after = source.slice(end, end + 30);
    const prefix = prefixMarker(before, extraCodes);
    const suffix = suffixMarker(after, extraCodes);
    // "1.5.2", "50%", "12/05", "10-15", "3x", "A1234": not an amount, unless a code is attached (12500AUD).
    if (CONTINUES.test(after) && !(suffix && /^[A-Za-z]/.test(after))) continue;
    if (/[A-Za-z]$/.test(before) && !prefix) continue;
    const multiplier = (m[2] ?? m[3])?.toLowerCase();
    // An explicit currency beats an ambiguous one: "$12,500 AUD" is AUD.
    let marker: Marker | undefined = prefix?.currency
      ? prefix
      : suffix?.currency
        ? suffix
        : (prefix ?? suffix);
    if (!marker && multiplier === 'grand') marker = { ambiguous: 'local', length: 0 };
    if (!marker) continue;
    const value = numberValue(m[1]!) * (multiplier ? MULTIPLIERS[multiplier]! : 1);
    if (!Number.isFinite(value)) continue;
    const from = prefix ? start - prefix.length : start;
    const to = suffix ? end + suffix.length : end;
    amounts.push({
      text: source.slice(from, to).trim(),
      index: from,
      value: Math.round(value * 100) / 100,
      ...(marker.currency ? { currency: marker.currency } : {}),
      ...(marker.ambiguous ? { ambiguous: marker.ambiguous } : {}),
    });
  }
  return amounts;
}

/** `AUD 12,500` or `AUD 9,999.99`: how the card shows an amount. */
export function formatMoney(value: number, currency: string): string {
  const digits = Number.isInteger(value) ? 0 : 2;
  const number = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: 2,
  }).format(value);
  return `${currency} ${number}`;
}
