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

/** Words that make the next one stronger: "extremely unhappy" (x1.5), "really annoying" (x1.25). */
const INTENSIFIERS = new Map<string, number>([
  ['extremely', 1.5],
  ['deeply', 1.5],
  ['incredibly', 1.5],
  ['absolutely', 1.5],
  ['utterly', 1.5],
  ['completely', 1.5],
  ['totally', 1.5],
  ['seriously', 1.5],
  ['truly', 1.5],
  ['bloody', 1.5],
  ['fucking', 1.5],
  ['very', 1.25],
  ['really', 1.25],
  ['so', 1.25],
  ['super', 1.25],
  ['most', 1.25],
]);

/**
 * A negator flips a word, at half strength ("not good" is mildly negative, not the opposite of
 * "good"); an intensifier makes it a quarter or a half stronger. Both look one word back, and a negator
 * two words back covers "not very good".
 */
function adjust(tokens: string[], cursor: number, score: number): number {
  const previous = tokens[cursor - 1];
  const before = tokens[cursor - 2];
  let adjusted = score;
  const factor = previous === undefined ? undefined : INTENSIFIERS.get(previous);
  if (factor !== undefined) {
    adjusted *= factor;
    if (before !== undefined && NEGATORS.has(before)) adjusted = -adjusted / 2;
  } else if (previous !== undefined && NEGATORS.has(previous)) {
    adjusted = -adjusted / 2;
  }
  return adjusted;
}

const analyser = new Sentiment();
const require = createRequire(import.meta.url);
const englishLabels = require('sentiment/languages/en/labels.json') as Record<string, number>;
analyser.registerLanguage(LANGUAGE, {
  labels: { ...englishLabels, ...SENTIMENT_EXTRAS },
  scoringStrategy: { apply: adjust },
});

/**
 * Idioms whose words mislead a word lexicon: "hate to bother you" is polite, "sorry for the dumb
 * question" is modest, "our customers hate waiting" is about someone else, "f***ing" is censored.
 */
const IDIOMS: [RegExp, string][] = [
  [/\bhate to (bother|ask|chase|nag|pester|interrupt|be a pain|say|admit)\b/gi, 'sorry to $1'],
  [/\b(?:dumb|stupid|silly|daft|basic|noob|newbie) (question|q)\b/gi, '$1'],
  [
    /\b(customers|users|clients|staff|people|they|members|patients|students|everyone|folks|kids|guests|readers|visitors) (?:hate|dislike|love|like)\b/gi,
    '$1',
  ],
  [/\bf[*#@!.x]{2,}(?:ing|in'?|in|ed|k(?:ing|ed)?)?\b|\bf\*ck(?:ing|ed)?\b/gi, 'fucking'],
  [/\bs[*#@!.]{2,}t\b|\bsh[*#@!]t\b/gi, 'shit'],
];

function withoutIdioms(text: string): string {
  let out = text;
  for (const [pattern, replacement] of IDIOMS) out = out.replace(pattern, replacement);
  return out;
}

export interface SentimentScore {
  /** Summed word scores: below 0 is negative. */
  score: number;
  /** The scored words with their (negation-adjusted) scores, in text order. */
  words: { word: string; score: number }[];
}

/** Scores normalised text (call `normaliseForMatching` first for raw chat text). */
export function scoreSentiment(normalisedText: string): SentimentScore {
  const result = analyser.analyze(withoutIdioms(normalisedText), { language: LANGUAGE });
  const words = result.calculation
    .map((entry) => Object.entries(entry)[0]!)
    .filter(([, score]) => score !== 0)
    .map(([word, score]) => ({ word, score }))
    .reverse();
  // Halves and one-and-a-halves: round to one decimal so sums read cleanly and compare exactly.
  const score = Math.round(words.reduce((sum, w) => sum + w.score, 0) * 10) / 10;
  return { score: score === 0 ? 0 : score, words };
}

export type Trend = 'improving' | 'steady' | 'worsening';

export interface SentimentTrend {
  trend: Trend | undefined;
  /** Scores of the earlier messages used (oldest first) and of this one, last. */
  scores: number[];
  /** The sum of `scores`: the mood of the thread's recent customer messages together. */
  total: number;
}

/** The message's score against the mean of up to `TREND_WINDOW` earlier customer messages. */
export function sentimentTrend(score: number, earlierTexts: readonly string[]): SentimentTrend {
  const earlier = earlierTexts
    .slice(-TREND_WINDOW)
    .map(earlierScore)
    .filter((s): s is number => s !== undefined);
  const total = Math.round([...earlier, score].reduce((a, b) => a + b, 0) * 10) / 10;
  if (earlier.length === 0) return { trend: undefined, scores: [score], total };
  const mean = earlier.reduce((a, b) => a + b, 0) / earlier.length;
  const trend: Trend =
    score <= mean - TREND_STEP ? 'worsening' : score >= mean + TREND_STEP ? 'improving' : 'steady';
  return { trend, scores: [...earlier, score], total };
}

/** Room for the recent messages of the threads being answered; longer texts are scored each time. */
const KEPT_SCORES = 2_000;
const KEPT_TEXT_LENGTH = 1_000;
let currentScores = new Map<string, number | undefined>();
let previousScores = new Map<string, number | undefined>();

/**
 * The score of an earlier message of the thread (undefined when it has no text once normalised).
 * Each customer message re-reads the thread's last ten, so the same texts come again and again:
 * their scores are kept, in two generations like the systemic check's word vectors.
 */
function earlierScore(text: string): number | undefined {
  const keep = text.length <= KEPT_TEXT_LENGTH;
  if (keep && currentScores.has(text)) return currentScores.get(text);
  let score: number | undefined;
  if (keep && previousScores.has(text)) score = previousScores.get(text);
  else {
    const normalised = normaliseForMatching(text);
    score = normalised === '' ? undefined : scoreSentiment(normalised).score;
  }
  if (!keep) return score;
  if (currentScores.size >= KEPT_SCORES / 2) {
    previousScores = currentScores;
    currentScores = new Map();
  }
  currentScores.set(text, score);
  return score;
}
