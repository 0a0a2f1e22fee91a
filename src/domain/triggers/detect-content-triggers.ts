/**
 * The content triggers, evaluated on every customer message: manager request, high value, legal
 * and dissatisfaction. Each hit explains itself (the matched words, the amount and threshold, the
 * sentiment score and trend, the account and tier) so the card can say why it fired.
 *
 * Only triggers named in the policy run. Phrase triggers use the default lexicons of `lexicons.ts`,
 * extended by the policy's phrases or replaced by them (`replaceDefaults: true`).
 */

import type { DissatisfactionTrigger, HighValueTrigger, PhraseTrigger, Triggers } from '../policy.js';
import { truncate } from '../text.js';
import { matchAccount } from './accounts.js';
import { DEFAULT_SENTIMENT_BELOW, THREAD_MOOD_FACTOR, THREAD_MOOD_WINDOW } from './defaults.js';
import {
  CHURN_PHRASES,
  CHURN_SENSES,
  LEGAL_PHRASES,
  LEGAL_SENSES,
  MANAGER_REQUEST_PHRASES,
  MANAGER_SENSES,
} from './lexicons.js';
import { DOLLAR_CURRENCIES, formatMoney, type MoneyAmount, parseMoneyAmounts } from './money.js';
import { normaliseForMatching } from './normalise.js';
import {
  buildPhraseSet,
  excerptAround,
  findPhrases,
  type PhraseMatch,
  type PhraseSet,
  type SenseRule,
} from './phrases.js';
import { scoreSentiment, sentimentTrend } from './sentiment.js';
import type { MessageContext, TriggerHit } from './types.js';

/** Evidence lines per hit, at most (a long message can match a phrase many times). */
const MAX_DETAILS = 10;

/** Compiled phrase sets, per policy trigger object (a policy is parsed once and kept). */
const compiled = new WeakMap<object, PhraseSet>();

function phraseSetFor(config: PhraseTrigger, defaults: readonly string[], senses: SenseRule[]): PhraseSet {
  let set = compiled.get(config);
  if (!set) {
    set = buildPhraseSet(defaults, config, senses);
    compiled.set(config, set);
  }
  return set;
}

const quote = (s: string) => `"${s}"`;
const unique = (values: string[]) => [...new Set(values)];
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

function origin(m: PhraseMatch): string {
  return m.phrase.origin === 'policy' ? `policy phrase /${m.phrase.source}/` : 'default phrase';
}

/**
 * The content triggers that fire on a customer message, at most one hit per kind, in the order
 * manager_request, high_value, legal, dissatisfaction. Pure and synchronous; never throws on text.
 */
export function detectContentTriggers(message: MessageContext, triggers: Triggers): TriggerHit[] {
  const text = normaliseForMatching(message.text);
  const hits: (TriggerHit | undefined)[] = [
    triggers.managerRequest && detectManagerRequest(text, triggers.managerRequest),
    triggers.highValue && detectHighValue(text, message, triggers.highValue),
    triggers.legal && detectLegal(text, triggers.legal),
    triggers.dissatisfaction && detectDissatisfaction(text, message, triggers.dissatisfaction),
  ];
  return hits.filter((h): h is TriggerHit => h !== undefined);
}

function detectManagerRequest(text: string, config: PhraseTrigger): TriggerHit | undefined {
  const matches = findPhrases(text, phraseSetFor(config, MANAGER_REQUEST_PHRASES, MANAGER_SENSES));
  const first = matches[0];
  if (!first) return undefined;
  return {
    kind: 'manager_request',
    summary: `Customer asked for a manager: ${quote(excerptAround(text, first.index, first.text.length))}`,
    details: matches.slice(0, MAX_DETAILS).map((m) => `Matched ${quote(m.text)} (${origin(m)})`),
    matched: unique(matches.map((m) => m.text)),
  };
}

function detectLegal(text: string, config: PhraseTrigger): TriggerHit | undefined {
  const matches = findPhrases(text, phraseSetFor(config, LEGAL_PHRASES, LEGAL_SENSES));
  if (matches.length === 0) return undefined;
  const seen = new Set<string>();
  const terms = matches
    .map((m) => m.text)
    .filter((t) => !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
  return {
    kind: 'legal',
    summary: `Legal, compliance or safety terms: ${terms.slice(0, 5).map(quote).join(', ')}${terms.length > 5 ? ', …' : ''}`,
    details: matches
      .slice(0, MAX_DETAILS)
      .map(
        (m) =>
          `Matched ${quote(m.text)} in ${quote(excerptAround(text, m.index, m.text.length))} (${origin(m)})`,
      ),
    matched: unique(matches.map((m) => m.text)),
  };
}

/** Kinds of scored words the evidence lists; a long rant would otherwise fill the card with them. */
const MAX_SCORED_WORDS = 12;

/** "useless -3, wrong -1 ×571, … 4 more": repeats counted, the first kinds only, in text order. */
function scoredWords(words: readonly { word: string; score: number }[]): string {
  const counted = new Map<string, number>();
  for (const w of words) {
    const key = `${w.word} ${signed(w.score)}`;
    counted.set(key, (counted.get(key) ?? 0) + 1);
  }
  const shown = [...counted].slice(0, MAX_SCORED_WORDS).map(([key, n]) => (n > 1 ? `${key} ×${n}` : key));
  const more = counted.size - shown.length;
  return [...shown, ...(more > 0 ? [`… ${more} more`] : [])].join(', ');
}

function detectDissatisfaction(
  text: string,
  message: MessageContext,
  config: DissatisfactionTrigger,
): TriggerHit | undefined {
  const churn = findPhrases(text, phraseSetFor(config, CHURN_PHRASES, CHURN_SENSES));
  const threshold = config.sentimentBelow ?? DEFAULT_SENTIMENT_BELOW;
  const sentiment = scoreSentiment(text);
  const negative = text !== '' && sentiment.score <= threshold;
  const { trend, scores } = sentimentTrend(sentiment.score, message.recentCustomerTexts ?? []);
  // The mood of the last few customer messages together, for "still not working." after a row of angry ones.
  const moodScores = scores.slice(-(THREAD_MOOD_WINDOW + 1));
  const mood = Math.round(moodScores.reduce((a, b) => a + b, 0) * 10) / 10;
  const moodThreshold = THREAD_MOOD_FACTOR * threshold;
  const sustained = moodScores.length > 1 && sentiment.score <= 0 && mood <= moodThreshold;
  if (churn.length === 0 && !negative && !sustained) return undefined;

  const thresholdText = `threshold ${threshold}${config.sentimentBelow === undefined ? ' (default)' : ''}`;
  const words = scoredWords(sentiment.words);
  const details = [
    ...churn.slice(0, MAX_DETAILS).map((m) => `Churn phrase ${quote(m.text)} (${origin(m)})`),
    `Sentiment score ${signed(sentiment.score)} (AFINN, ${thresholdText}, fires at or below)${words ? `: ${words}` : ''}`,
    trend
      ? `Mood trend: ${trend} (scores of the last ${scores.length} customer messages, oldest first: ${scores.map(signed).join(', ')})`
      : 'Mood trend: no earlier customer messages in this thread',
    ...(sustained
      ? [
          `Thread mood ${signed(mood)} over the last ${moodScores.length} customer messages (fires at or below ${moodThreshold})`,
        ]
      : []),
  ];
  const moodText = `sentiment ${signed(sentiment.score)}${trend ? `, ${trend}` : ''}`;
  const first = churn[0];
  const summary = first
    ? `Customer is unhappy and may leave: ${quote(excerptAround(text, first.index, first.text.length))} (${moodText})`
    : negative
      ? `Very negative customer message (${moodText}, ${thresholdText})`
      : `Customer has been very negative over the last ${moodScores.length} messages (thread mood ${signed(mood)}, ${thresholdText})`;
  return {
    kind: 'dissatisfaction',
    summary,
    details,
    matched: unique([
      ...churn.map((m) => m.text),
      ...(negative ? sentiment.words.filter((w) => w.score < 0).map((w) => w.word) : []),
      ...(sustained && !negative && first === undefined ? [truncate(text, 200)] : []),
    ]),
  };
}

/** An amount with its currency settled: which currency it is read as, and how sure that is. */
interface ReadAmount {
  amount: MoneyAmount;
  currency: string;
  assumption?: string;
}

function readAmount(amount: MoneyAmount, thresholdCurrency: string | undefined): ReadAmount {
  if (amount.currency) return { amount, currency: amount.currency };
  if (amount.ambiguous === 'local' && thresholdCurrency) {
    return { amount, currency: thresholdCurrency, assumption: `"grand" taken as ${thresholdCurrency}` };
  }
  // A bare $ is the policy's dollar when the policy counts in dollars, otherwise most likely USD.
  const dollar = thresholdCurrency && DOLLAR_CURRENCIES.has(thresholdCurrency) ? thresholdCurrency : 'USD';
  return {
    amount,
    currency: dollar,
    assumption: `${amount.ambiguous === 'local' ? '"grand"' : '$'} taken as ${dollar}`,
  };
}

function detectHighValue(
  text: string,
  message: MessageContext,
  config: HighValueTrigger,
): TriggerHit | undefined {
  const account = matchAccount(message, config.accounts ?? []);
  const threshold = config.amountOver;
  const amounts = parseMoneyAmounts(text, threshold ? [threshold.currency] : []).map((a) =>
    readAmount(a, threshold?.currency),
  );
  const comparable = threshold ? amounts.filter((a) => a.currency === threshold.currency) : [];
  const over = threshold ? comparable.filter((a) => a.amount.value > threshold.value) : [];
  if (!account && over.length === 0) return undefined;

  const details: string[] = [];
  const summary: string[] = [];
  if (account) {
    const { match, tier } = account.account;
    summary.push(`Listed account ${match}${tier ? ` (${tier} tier)` : ''}`);
    details.push(`Listed account ${match}, tier ${tier ?? 'not set'}: matched on ${account.how}`);
  }
  const thresholdText = threshold ? formatMoney(threshold.value, threshold.currency) : '';
  if (over[0]) {
    const { amount, currency } = over[0];
    const read = amount.text.startsWith(currency) ? '' : ` (${formatMoney(amount.value, currency)})`;
    summary.push(`Amount ${quote(amount.text)}${read} over the ${thresholdText} threshold`);
  }
  for (const a of amounts.slice(0, MAX_DETAILS)) {
    const read = `Amount ${quote(a.amount.text)} = ${formatMoney(a.amount.value, a.currency)}${a.assumption ? ` (${a.assumption})` : ''}`;
    if (!threshold) details.push(`${read}: no amount threshold in the policy`);
    else if (a.currency !== threshold.currency) {
      details.push(
        `${read}: not compared, the threshold is in ${threshold.currency} and amounts are not converted`,
      );
    } else if (a.amount.value > threshold.value) details.push(`${read}: over the ${thresholdText} threshold`);
    else details.push(`${read}: not over the ${thresholdText} threshold`);
  }
  return {
    kind: 'high_value',
    summary: summary.join('; '),
    details,
    matched: unique([...(account ? [account.account.match] : []), ...over.map((a) => a.amount.text)]),
  };
}
