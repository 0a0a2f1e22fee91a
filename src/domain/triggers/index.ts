/** Content triggers and text similarity: the public surface of `src/domain/triggers`. */
export { ACCOUNT_MATCH_HINT, type AccountMatchKind, accountMatchKind, matchAccount } from './accounts.js';
export { DEFAULT_SENTIMENT_BELOW, SYSTEMIC_DEFAULTS } from './defaults.js';
export { detectContentTriggers } from './detect-content-triggers.js';
export { CHURN_PHRASES, LEGAL_PHRASES, MANAGER_REQUEST_PHRASES, SENTIMENT_EXTRAS } from './lexicons.js';
export { formatMoney, type MoneyAmount, parseMoneyAmounts } from './money.js';
export { scoreSentiment, sentimentTrend } from './sentiment.js';
export {
  normaliseForMatching,
  similarityTo,
  similarityTokens,
  similarityVector,
  textSimilarity,
  vectorSimilarity,
} from './similarity.js';
export type { ContentTriggerKind, MessageContext, TriggerHit } from './types.js';
