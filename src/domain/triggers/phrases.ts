/**
 * Phrase matching for the content triggers: case-insensitive regular expressions with word
 * boundaries, over normalised text, that skip negated asks ("no need for a manager", "I don't want
 * to cancel my account") and words used in another sense ("package manager", "fire up the app").
 */

/** Letters, digits and underscore, including accented Latin letters: what a word boundary sits between. */
const WORD_CHAR = '[0-9A-Za-z_\\u00C0-\\u024F]';

/**
 * Another sense of a word, told apart by its neighbours. For each occurrence of `word` inside a
 * match, `keepBefore`/`keepAfter` say "this is the sense we want" (checked first); otherwise
 * `dropBefore`/`dropAfter` say "this is another sense" and the match is dropped. The `before`
 * patterns are tested on the text before the word (anchor them with `$`), the `after` patterns on
 * the text after it (anchor them with `^`). `word` must have the `g` flag (and usually `i`).
 */
export interface SenseRule {
  word: RegExp;
  keepBefore?: RegExp;
  keepAfter?: RegExp;
  dropBefore?: RegExp;
  dropAfter?: RegExp;
}

/** One phrase ready to match: where it came from (for the evidence) and its compiled pattern. */
export interface CompiledPhrase {
  /** The phrase as written (default lexicon or policy). */
  source: string;
  origin: 'default' | 'policy';
  regex: RegExp;
}

export interface PhraseMatch {
  /** The matched text, as the customer wrote it. */
  text: string;
  index: number;
  phrase: CompiledPhrase;
}

export interface PhraseSet {
  phrases: CompiledPhrase[];
  senses: SenseRule[];
  /**
   * All phrases as one pattern: when it finds nothing, no phrase can match, and most messages
   * match none. One scan instead of one per phrase (about 60 µs less per set and message).
   */
  anyPhrase?: RegExp;
}

/**
 * Compiles a phrase: the pattern wrapped in word boundaries, case-insensitive. Policy phrases are
 * validated by the loader with `new RegExp(p, 'i')`, so the same (non-unicode) flags are used here.
 * A pattern that does not compile (only possible for hand-built policies) is skipped, never thrown.
 */
export function compilePhrase(source: string, origin: CompiledPhrase['origin']): CompiledPhrase | undefined {
  try {
    const regex = new RegExp(`(?<!${WORD_CHAR})(?:${source})(?!${WORD_CHAR})`, 'gi');
    // A pattern that can match the empty string would "match" everywhere: ignore it.
    if (new RegExp(`^(?:${source})$`, 'i').test('')) return undefined;
    return { source, origin, regex };
  } catch {
    return undefined;
  }
}

/** Defaults, extended by the policy's phrases or replaced by them (`replaceDefaults: true`). */
export function buildPhraseSet(
  defaults: readonly string[],
  config: { phrases?: readonly string[]; replaceDefaults?: boolean | undefined } | undefined,
  senses: SenseRule[],
): PhraseSet {
  const policyPhrases = config?.phrases ?? [];
  const seen = new Set<string>();
  const phrases: CompiledPhrase[] = [];
  const add = (source: string, origin: CompiledPhrase['origin']) => {
    const key = source.trim().toLowerCase();
    if (key === '' || seen.has(key)) return;
    seen.add(key);
    const compiled = compilePhrase(source.trim(), origin);
    if (compiled) phrases.push(compiled);
  };
  if (!config?.replaceDefaults) for (const p of defaults) add(p, 'default');
  for (const p of policyPhrases) add(p, 'policy');
  return { phrases, senses, anyPhrase: anyOf(phrases) };
}

/**
 * One pattern that matches wherever one of `phrases` does (an alternation tries each phrase at each
 * position, with the same boundaries). Not built when a phrase refers to a group by number or name:
 * in the alternation the numbers shift and names may repeat, so it could miss a match. Nor when a
 * phrase is not a pattern on its own (`a)|(b`, only possible in a hand-built policy): its wrapping
 * group would then mean something else.
 */
function anyOf(phrases: CompiledPhrase[]): RegExp | undefined {
  if (phrases.length === 0 || phrases.some((p) => /\\(?:[1-9]|k<)/.test(p.source))) return undefined;
  try {
    for (const p of phrases) new RegExp(p.source, 'i');
    const alternatives = phrases.map((p) => `(?:${p.source})`).join('|');
    return new RegExp(`(?<!${WORD_CHAR})(?:${alternatives})(?!${WORD_CHAR})`, 'i');
  } catch {
    return undefined;
  }
}

// --- negation ---------------------------------------------------------------------------------

/** Where a clause ends: a negation before it says nothing about the words after it. */
const CLAUSE_BREAK =
  /[.!?;:,()"\n]|\s[-–—]\s|\b(?:but|however|though|although|instead|otherwise|so|because)\b/gi;

/** Cues that negate what follows within a few words: "not asking for", "don't want to", "never". */
const NEGATION_CUE =
  /\b(?:not|never|without|nor|neither|don'?t|doesn'?t|didn'?t|isn'?t|wasn'?t|aren'?t|weren'?t|haven'?t|hasn'?t|hadn'?t|shouldn'?t|wouldn'?t|no (?:need|reason|intention|intentions|plan|plans|desire|interest|point|wish)|no longer|no one|no-one|noone|nobody|none)\b/gi;
/** "wouldn't mind speaking to a manager", "not only … but": the cue does not negate. */
const NOT_A_NEGATION_AFTER_CUE = /^\s*(?:mind|only|hesitate)\b/i;
/** "no" negates only what follows it closely: "no fire", "no manager needed". */
const NO_CUE = /\bno\b/gi;
/** A cue after these introduces a condition or a rhetorical question, not a negated ask. */
const NOT_A_NEGATION_BEFORE_CUE = /\b(?:why|if|unless|until|or|whether|when)\b(?:\s+\S+){0,3}\s*$/i;
/** "… is not necessary", "… isn't needed", "… unnecessary" right after the phrase. */
const NEGATION_AFTER =
  /^\s*(?:(?:is|was|will be|would be|are|'s|'re)\s+)?(?:(?:not|n't|really not|not really|no longer)\s+(?:be\s+)?(?:necessary|needed|required|wanted)|unnecessary|not an option)\b/i;
/** How many words may stand between a cue and the phrase: "don't [want to] speak to a manager". */
const MAX_WORDS_AFTER_CUE = 4;
const MAX_WORDS_AFTER_NO = 1;

function clauseBefore(text: string, index: number): string {
  const before = text.slice(Math.max(0, index - 200), index);
  let start = 0;
  for (const m of before.matchAll(CLAUSE_BREAK)) start = m.index + m[0].length;
  return before.slice(start);
}

function wordCount(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

function cueNegates(clause: string, cue: RegExp, maxWords: number): boolean {
  for (const m of clause.matchAll(cue)) {
    const between = clause.slice(m.index + m[0].length);
    if (wordCount(between) > maxWords) continue;
    if (NOT_A_NEGATION_AFTER_CUE.test(between)) continue;
    if (NOT_A_NEGATION_BEFORE_CUE.test(clause.slice(0, m.index))) continue;
    return true;
  }
  return false;
}

/** Whether the phrase at `index..end` is negated by the words around it (inside its clause). */
export function isNegated(text: string, index: number, end: number): boolean {
  const clause = clauseBefore(text, index);
  if (cueNegates(clause, NEGATION_CUE, MAX_WORDS_AFTER_CUE)) return true;
  if (cueNegates(clause, NO_CUE, MAX_WORDS_AFTER_NO)) return true;
  return NEGATION_AFTER.test(text.slice(end, end + 60));
}

// --- other senses -----------------------------------------------------------------------------

function otherSense(text: string, match: { index: number; text: string }, senses: SenseRule[]): boolean {
  for (const rule of senses) {
    for (const w of match.text.matchAll(rule.word)) {
      const at = match.index + w.index;
      const before = text.slice(Math.max(0, at - 80), at);
      const after = text.slice(at + w[0].length, at + w[0].length + 80);
      if (rule.keepBefore?.test(before) || rule.keepAfter?.test(after)) continue;
      if (rule.dropBefore?.test(before) || rule.dropAfter?.test(after)) return true;
    }
  }
  return false;
}

/**
 * Every phrase match in normalised text that is neither negated nor another sense of its word.
 * Overlapping matches of different phrases are kept once (the longest wins). Never throws.
 */
export function findPhrases(text: string, set: PhraseSet): PhraseMatch[] {
  if (set.anyPhrase && !set.anyPhrase.test(text)) return [];
  const found: PhraseMatch[] = [];
  for (const phrase of set.phrases) {
    phrase.regex.lastIndex = 0;
    for (const m of text.matchAll(phrase.regex)) {
      if (m[0] === '') continue;
      const match = { text: m[0], index: m.index, phrase };
      if (isNegated(text, m.index, m.index + m[0].length)) continue;
      if (otherSense(text, match, set.senses)) continue;
      found.push(match);
    }
  }
  found.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const kept: PhraseMatch[] = [];
  for (const m of found) {
    const last = kept.at(-1);
    if (last && m.index < last.index + last.text.length) {
      if (m.text.length > last.text.length) kept[kept.length - 1] = m;
      continue;
    }
    kept.push(m);
  }
  return kept;
}

/** The clause around a match, for the card: `can I speak to your manager`, cut to `max` characters. */
export function excerptAround(text: string, index: number, length: number, max = 120): string {
  const isBreak = (ch: string | undefined) => ch === undefined || /[.!?;\n]/.test(ch);
  let start = index;
  while (start > 0 && !isBreak(text[start - 1]) && index - start < max / 2) start--;
  let end = index + length;
  while (end < text.length && !isBreak(text[end]) && end - start < max) end++;
  let excerpt = text.slice(start, end).trim();
  if (start > 0 && !isBreak(text[start - 1])) excerpt = `…${excerpt}`;
  if (end < text.length && !isBreak(text[end])) excerpt = `${excerpt}…`;
  return excerpt;
}
