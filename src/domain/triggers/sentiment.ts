/**
 * Message sentiment with the `sentiment` package (AFINN-165 word scores, emoji scores, and a flip of
 * a word's score after a negator: "not good"), adjusted for support conversations by
 * `SENTIMENT_EXTRAS`. The adjusted lexicon is registered as its own language, so the package's shared
 * English lexicon is never modified.
 */
import { createRequire } from 'node:module';
import Sentiment from 'sentiment';
import { TREND_STEP, TREND_WINDOW } from './defaults.js';
import { SENTIMENT_EXTRAS } from './lexicons.js';
import { normaliseForMatching } from './normalise.js';

const LANGUAGE = 'en-escalator';

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'non',
  "can't",
  'cant',
  'cannot',
  "don't",
  'dont',
  "doesn't",
  'doesnt',
  "didn't",
  'didnt',
  "won't",
  'wont',
  "isn't",
  'isnt',
  "wasn't",
  'wasnt',
  "aren't",
  'arent',
  "wouldn't",
  'wouldnt',
  "shouldn't",
  'shouldnt',
]);

const analyser = new Sentiment();
const require = createRequire(import.meta.url);
const englishLabels = require('sentiment/languages/en/labels.json') as Record<string, number>;
analyser.registerLanguage(LANGUAGE, {
  labels: { ...englishLabels, ...SENTIMENT_EXTRAS },
  scoringStrategy: {
    apply: (tokens, cursor, score) => (cursor > 0 && NEGATORS.has(tokens[cursor - 1]!) ? -score : score),
  },
});

export interface SentimentScore {
  /** Summed word scores: below 0 is negative. */
  score: number;
  /** The scored words with their (negation-adjusted) scores, in text order. */
  words: { word: string; score: number }[];
}

/** Scores normalised text (call `normaliseForMatching` first for raw chat text). */
export function scoreSentiment(normalisedText: string): SentimentScore {
  const result = analyser.analyze(normalisedText, { language: LANGUAGE });
  const words = result.calculation
    .map((entry) => Object.entries(entry)[0]!)
    .filter(([, score]) => score !== 0)
    .map(([word, score]) => ({ word, score }))
    .reverse();
  // The package sums in reverse order; summing the kept words keeps -0 and float noise out.
  return { score: words.reduce((sum, w) => sum + w.score, 0), words };
}

export type Trend = 'improving' | 'steady' | 'worsening';

export interface SentimentTrend {
  trend: Trend | undefined;
  /** Scores of the earlier messages used (oldest first) and of this one, last. */
  scores: number[];
}

/** The message's score against the mean of up to `TREND_WINDOW` earlier customer messages. */
export function sentimentTrend(score: number, earlierTexts: readonly string[]): SentimentTrend {
  const earlier = earlierTexts
    .slice(-TREND_WINDOW)
    .map((t) => normaliseForMatching(t))
    .filter((t) => t !== '')
    .map((t) => scoreSentiment(t).score);
  if (earlier.length === 0) return { trend: undefined, scores: [score] };
  const mean = earlier.reduce((a, b) => a + b, 0) / earlier.length;
  const trend: Trend =
    score <= mean - TREND_STEP ? 'worsening' : score >= mean + TREND_STEP ? 'improving' : 'steady';
  return { trend, scores: [...earlier, score] };
}
