/** The extractive thread summary: the public surface of `src/domain/summary`. */
export {
  extractFacts,
  FACT_LABELS,
  type FactHit,
  type FactKind,
  factsInText,
  type KeyFact,
} from './extract-facts.js';
export { condense, formatDuration, maskEmail, maskEmails, readableText } from './readable-text.js';
export {
  type Mood,
  SUMMARY_LIMITS,
  type SummarizeThreadInput,
  summarizeThread,
  type ThreadSummary,
  type Timeline,
  type TriedItem,
} from './summarize-thread.js';
export { SECTION_BUDGET, SUMMARY_HEADINGS, summarySections } from './summary-sections.js';
