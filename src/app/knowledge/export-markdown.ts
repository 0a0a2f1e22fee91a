import type { KnowledgeEntry } from '../../domain/knowledge.js';
import { ROOT_CAUSE_LABELS } from '../../domain/policy.js';
import { instantAtLocalTime, localDateOf } from '../../domain/sla-clock.js';
import { truncate } from '../../domain/text.js';
import type { Repositories } from '../../ports/store.js';
import { mentionedIn, type Names, namesOf } from '../dashboard/people-names.js';

/** How people are named in the export: a person id to a name, and mention tokens in text to names. */
export type ExportNames = Pick<Names, 'inText'> & ((id: string) => { name: string });

export interface KnowledgeMarkdownOptions {
  /** The policy time zone: dates are its local dates. */
  timeZone: string;
  names: ExportNames;
  /** The `--since` date the entries were read from, said under the title; absent for all of them. */
  since?: string;
}

/** A heading longer than this is cut: it names the problem, the answer says the rest. */
export const HEADING_CHARS = 120;

/**
 * The reusable answers as one Markdown document, for a wiki or a help centre: a title, then one
 * `##` section per path (alphabetical), each answer under a `###` heading taken from the
 * customer's first words, followed by where it came from. Answers keep their order (oldest
 * first) so a newer export only adds to the end of each section and diffs stay small.
 *
 * Everything people wrote is escaped: an answer that starts with `#` or `1.` stays a line of text,
 * and `<b>` or `[x](y)` show as typed, never as markup.
 */
export function knowledgeMarkdown(
  entries: readonly KnowledgeEntry[],
  options: KnowledgeMarkdownOptions,
): string {
  const answered = entries.filter((e) => e.answer !== null && e.answer.trim() !== '');
  const scope = options.since ? ` Only escalations resolved on or after ${options.since}.` : '';
  const lines = [
    '# Escalator knowledge base',
    '',
    `Reusable answers from resolved escalations, written by the people who resolved them, grouped by escalation path.${scope}`,
  ];
  if (answered.length === 0) {
    lines.push('', '_No reusable answers yet._');
    return `${lines.join('\n')}\n`;
  }
  const byPath = new Map<string, KnowledgeEntry[]>();
  for (const entry of answered) byPath.set(entry.path, [...(byPath.get(entry.path) ?? []), entry]);
  for (const path of [...byPath.keys()].sort((a, b) => a.localeCompare(b, 'en'))) {
    lines.push('', `## ${escapeHeading(path)}`);
    for (const entry of byPath.get(path)!) lines.push('', ...entryLines(entry, options));
  }
  return `${lines.join('\n')}\n`;
}

function entryLines(entry: KnowledgeEntry, options: KnowledgeMarkdownOptions): string[] {
  const { names } = options;
  const problem = names.inText(firstLine(entry.problem));
  // Escalator's own fallback needs no escaping ("#9" is not a closing sequence: it has a digit).
  const heading = problem
    ? escapeHeading(truncate(problem, HEADING_CHARS))
    : `Escalation #${entry.escalationNumber}`;
  const resolver = names(entry.resolvedBy).name;
  const cause = ROOT_CAUSE_LABELS[entry.rootCause] ?? entry.rootCause;
  const date = localDateOf(entry.resolvedAt, options.timeZone);
  return [
    `### ${heading}`,
    '',
    ...escapeBlock(names.inText(entry.answer ?? '')),
    '',
    `<sub>From escalation #${entry.escalationNumber}, resolved by ${escapeInline(resolver)} on ${date} · ${escapeInline(cause)}</sub>`,
  ];
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Characters that make markup anywhere in a line: emphasis, code, links and images, HTML and
 * autolinks, entities, tables, strike-through. CommonMark lets any ASCII punctuation be escaped
 * with a backslash, so one escaped without need still reads the same.
 */
const INLINE_SIGNIFICANT = /[\\`*_[\]<>|~&]/g;

/** One line of people's text that reads as typed inside a paragraph. */
export function escapeInline(text: string): string {
  return text.replace(INLINE_SIGNIFICANT, (c) => `\\${c}`);
}

/** A heading's text: inline markup escaped, and every `#` (a trailing run would close the heading). */
export function escapeHeading(text: string): string {
  return escapeInline(text).replace(/#/g, '\\#');
}

/**
 * People's multi-line text as paragraphs that read as typed: inline markup escaped, what would
 * start a block at the beginning of a line (`-`, `+`, `=`, `1.`, `>`, indentation) made plain, and
 * line breaks kept (a trailing backslash is a hard break).
 */
export function escapeBlock(text: string): string[] {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((line) => escapeLineStart(escapeInline(line.trim())))
        .filter((line) => line !== ''),
    )
    .filter((p) => p.length > 0);
  return paragraphs.flatMap((p, i) => [
    ...(i > 0 ? [''] : []),
    ...p.map((l, j) => (j < p.length - 1 ? `${l}\\` : l)),
  ]);
}

/** Headings, list markers, setext underlines and ordered-list numbers at the start of a line, made plain. */
function escapeLineStart(line: string): string {
  return line.replace(/^([-+=#])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * `npm run knowledge:export`: every reusable answer (resolved on or after `since`, a local date
 * of the policy time zone, when given) as Markdown, with the resolvers' names read in one query.
 */
export async function exportKnowledge(
  repos: Pick<Repositories, 'knowledge' | 'people'>,
  options: { timeZone: string; since?: string },
): Promise<{ markdown: string; answers: number; paths: number }> {
  const period = options.since
    ? { from: instantAtLocalTime(options.since, '00:00', options.timeZone), to: END_OF_TIME }
    : undefined;
  const entries = await repos.knowledge.listAnswers(period);
  const mentioned = mentionedIn(...entries.flatMap((e) => [e.problem, e.answer]));
  const names = await namesOf(repos.people, [...entries.map((e) => e.resolvedBy), ...mentioned]);
  const markdown = knowledgeMarkdown(entries, {
    timeZone: options.timeZone,
    names,
    ...(options.since ? { since: options.since } : {}),
  });
  const answered = entries.filter((e) => e.answer !== null && e.answer.trim() !== '');
  return { markdown, answers: answered.length, paths: new Set(answered.map((e) => e.path)).size };
}

/**
 * "Until now" for a repository that reads [from, to): the last instant every database can store
 * (PostgreSQL cannot read the ISO form of years past 9999, such as JavaScript's last Date).
 */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');
