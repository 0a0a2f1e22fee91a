/**
 * The thread summary as card sections, each within its own character budget so the whole card
 * stays inside Slack's limits (3,000 characters a section, 50 blocks) and the 28 KB Adaptive Card
 * budget whatever the thread holds. Whatever is left out is said: "… 37 more facts", "(cut to fit)".
 */
import type { CardSection } from '../card.js';
import { truncate } from '../text.js';
import { mention } from '../transitions.js';
import { FACT_LABELS, type KeyFact } from './extract-facts.js';
import type { ThreadSummary } from './summarize-thread.js';

/** Characters of each section's text; together about 5,500, far below both platforms' limits. */
export const SECTION_BUDGET = {
  problem: 1000,
  facts: 1300,
  tried: 1500,
  latest: 800,
  mood: 300,
  timeline: 700,
} as const;

export const SUMMARY_HEADINGS = {
  problem: 'Problem',
  facts: 'Key facts',
  tried: 'Tried so far',
  latest: 'Latest from the customer',
  mood: 'Mood',
  timeline: 'Timeline',
} as const;

const FACT_TEXT_MAX = 120;

/** Lines kept while they fit `budget` (with room for the closing note), and how many did not. */
function fitLines(lines: string[], budget: number, note: (left: number) => string): string {
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const left = lines.length - i - 1;
    const reserve = left > 0 ? note(left).length + 1 : 0;
    if (used + line.length + 1 + reserve > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join('\n');
}

function factLine(fact: KeyFact): string {
  const times = fact.mentions > 1 ? ` (×${fact.mentions})` : '';
  return `• ${FACT_LABELS[fact.kind]}: ${truncate(fact.text, FACT_TEXT_MAX)}${times}`;
}

function factsText(summary: ThreadSummary): string {
  const { items, more } = summary.facts;
  if (items.length === 0)
    return 'None found: no amounts, order or ticket numbers, error codes, products or e-mails.';
  const note = (n: number) => `… ${n} more fact${n === 1 ? '' : 's'}`;
  const lines = items.map(factLine);
  const fitted = fitLines(lines, SECTION_BUDGET.facts, (left) => note(left + more));
  const shown = fitted === '' ? 0 : fitted.split('\n').length;
  const left = items.length - shown + more;
  return left > 0 ? `${fitted}\n${note(left)}` : fitted;
}

function triedText(summary: ThreadSummary): string {
  const { items, more } = summary.tried;
  if (items.length === 0) return 'No staff replies in the thread yet.';
  const note = (n: number) => `… ${n} more staff repl${n === 1 ? 'y' : 'ies'} not shown`;
  const lines = items.map((t) => `• ${mention(t.authorId)}: ${t.text}`);
  const fitted = fitLines(lines, SECTION_BUDGET.tried, (left) => note(left + more));
  const shown = fitted === '' ? 0 : fitted.split('\n').length;
  const left = items.length - shown + more;
  return left > 0 ? `${fitted}\n${note(left)}` : fitted;
}

const TREND_WORDS = { improving: '📈 Improving', steady: '➖ Steady', worsening: '📉 Worsening' } as const;
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

function moodText(mood: NonNullable<ThreadSummary['mood']>): string {
  if (!mood.trend) return `One customer message so far (sentiment ${signed(mood.scores[0] ?? 0)})`;
  return truncate(
    `${TREND_WORDS[mood.trend]}: sentiment of the last ${mood.scores.length} customer messages ${mood.scores
      .map(signed)
      .join(' → ')} (together ${signed(mood.total)})`,
    SECTION_BUDGET.mood,
  );
}

/** The summary's sections, in reading order. */
export function summarySections(summary: ThreadSummary): CardSection[] {
  const sections: CardSection[] = [];
  if (summary.problem) {
    sections.push({
      heading: SUMMARY_HEADINGS.problem,
      text: truncate(summary.problem.text, SECTION_BUDGET.problem),
    });
  }
  sections.push({ heading: SUMMARY_HEADINGS.facts, text: factsText(summary) });
  sections.push({ heading: SUMMARY_HEADINGS.tried, text: triedText(summary) });
  if (summary.latest) {
    sections.push({
      heading: SUMMARY_HEADINGS.latest,
      text: truncate(summary.latest.text, SECTION_BUDGET.latest),
    });
  }
  if (summary.mood) sections.push({ heading: SUMMARY_HEADINGS.mood, text: moodText(summary.mood) });
  sections.push({
    heading: SUMMARY_HEADINGS.timeline,
    text: truncate(summary.timeline.lines.join('\n'), SECTION_BUDGET.timeline),
  });
  return sections;
}
