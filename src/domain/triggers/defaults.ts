/**
 * Defaults of the triggers that have numbers, used when the policy names a trigger without them.
 * The phrase lists are in `lexicons.ts`.
 */

/**
 * dissatisfaction: a message whose summed AFINN-165 score (with the support-domain adjustments of
 * `SENTIMENT_EXTRAS`) is at or below this fires. -3 is one strong complaint word ("useless",
 * "rubbish", "unacceptable") or two milder ones ("frustrated", "disappointed").
 */
export const DEFAULT_SENTIMENT_BELOW = -3;

/** systemic: 3 similar new threads from different customers within 1 hour, similarity 0.5 or more. */
export const SYSTEMIC_DEFAULTS = {
  minThreads: 3,
  withinMs: 3_600_000,
  within: '1h',
  similarity: 0.5,
} as const;

/** The sentiment trend compares the message with the mean of up to this many earlier customer messages. */
export const TREND_WINDOW = 5;

/** A change of the score by this much against the earlier mean is a trend, less is steady. */
export const TREND_STEP = 2;

/**
 * dissatisfaction also fires on a sustained bad mood: when this message is not positive and its
 * score plus those of up to `THREAD_MOOD_WINDOW` earlier customer messages is at or below
 * `THREAD_MOOD_FACTOR` times the threshold (-6 by default), as in "this is terrible", "I'm furious",
 * "worst vendor ever", then "still not working.".
 */
export const THREAD_MOOD_WINDOW = 3;
export const THREAD_MOOD_FACTOR = 2;
