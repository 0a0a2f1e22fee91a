/**
 * How alike two customer messages are, 0..1: the cosine of their bags of normalised words. Used by
 * the systemic trigger (N similar threads from different customers) and for "similar past
 * escalations". Deterministic, symmetric, no corpus statistics (no TF-IDF), fast enough to compare a
 * new thread with hundreds of recent ones on every message.
 *
 * Words are lowercased, stopwords removed, lightly stemmed ("crashing", "crashed", "crashes" ->
 * "crash"), a few support synonyms folded ("sign in", "log on" -> "login"; "outage", "offline" ->
 * "down"), and numbers and ids reduced to their kind, so "order 12345 missing" and "order 99812
 * missing" read alike. Short numbers (HTTP statuses such as 502) are kept as they are.
 */
import { normaliseForMatching } from './normalise.js';

export { normaliseForMatching } from './normalise.js';

const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing done during each even ever every few for from ' +
    'further get gets getting got had has have having he her here hers herself him himself his how i if in ' +
    'into is it its itself just let me more most much must my myself no nor not now of off on once only or ' +
    'other our ours ourselves out over own please same she should so some still such than that the their ' +
    'theirs them themselves then there these they this those through to too under until up upon us very ' +
    'was we were what when where which while who whom why will with would you your yours yourself ' +
    'yourselves hi hello hey thanks thank cheers regards team guys anyone someone something anything ' +
    'really seems seem like since today yesterday morning afternoon evening tonight right now again keep ' +
    'keeps kept one two also yes ok okay dont cant wont isnt doesnt didnt cannot unable able im ive id ill ' +
    'youre theyre weve thats whats theres lets etc pls plz hour hours minute minutes min mins ago anymore ' +
    'arent wasnt werent havent hasnt hadnt wouldnt couldnt shouldnt nothing everything anything every time ' +
    'times say says said tell told need needs want wants trying try tried know think seeing see sure ' +
    'though whether via per using use used went go going gone come came'
  ).split(' '),
);

/** Phrases folded before splitting into words. */
const PHRASE_SYNONYMS: [RegExp, string][] = [
  [/\b(?:log|sign|logg|signe)(?:ing|ed|s)? ?(?:in|on|into)\b/g, ' login '],
  [
    /\b(?:not|isn'?t|aren'?t|doesn'?t|don'?t|won'?t|can'?t|cannot|stopped) (?:work|working|load|loading)\b/g,
    ' fail ',
  ],
  [/\btimed? ?outs?\b/g, ' timeout '],
  [/\be-?mails?\b/g, ' email '],
];

/** Words folded after stemming. */
const WORD_SYNONYMS: Record<string, string> = {
  signin: 'login',
  logon: 'login',
  sso: 'login',
  outage: 'down',
  offline: 'down',
  unavailable: 'down',
  unreachable: 'down',
  inaccessible: 'down',
  broken: 'fail',
  receiv: 'deliver',
  arriv: 'deliver',
  failur: 'fail',
  error: 'fail',
  freez: 'crash',
  frozen: 'crash',
  hang: 'crash',
  sluggish: 'slow',
  lag: 'slow',
  laggy: 'slow',
  application: 'app',
  websit: 'site',
  web: 'site',
  checkout: 'payment',
  pay: 'payment',
  paid: 'payment',
  invoic: 'bill',
  charg: 'bill',
  pw: 'password',
};

/** Own keys only: "constructor" or "toString" in a message are words, not Object's methods. */
const synonymOf = (word: string): string | undefined =>
  Object.hasOwn(WORD_SYNONYMS, word) ? WORD_SYNONYMS[word] : undefined;

/** A light English stemmer: plural and verb endings only, so related forms meet and words stay readable. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:ch|sh|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('ed')) w = undouble(w.slice(0, -2));
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w;
}

/** The normalised words of a text, in order (the features of `textSimilarity`). */
export function similarityTokens(text: string): string[] {
  let t = normaliseForMatching(text).toLowerCase();
  t = t
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ' <id> ')
    .replace(/\S+@\S+\.\w+/g, ' <email> ')
    // Hyphenated ids such as INV-20391 or ab12-cd34 are one id, not a word and a number.
    .replace(/\b(?=[a-z0-9-]*[a-z])(?=[a-z0-9-]*\d)[a-z0-9]+(?:-[a-z0-9]+)+\b/g, ' <id> ')
    .replace(/'/g, '');
  for (const [pattern, replacement] of PHRASE_SYNONYMS) t = t.replace(pattern, replacement);
  const tokens: string[] = [];
  for (const raw of t.split(/[^a-z0-9<>\u00C0-\u024F]+/)) {
    if (raw === '') continue;
    let token: string;
    if (raw === '<id>' || raw === '<email>') token = raw;
    else if (/^\d+$/.test(raw)) token = raw.length <= 3 ? raw : '<num>';
    else if (/\d/.test(raw)) token = '<id>';
    else {
      const word = raw.replace(/[<>]/g, '');
      if (word.length < 2 || STOPWORDS.has(word)) continue;
      const stemmed = stem(word);
      token = synonymOf(stemmed) ?? synonymOf(word) ?? stemmed;
    }
    tokens.push(token);
  }
  return tokens;
}

/** Numbers and ids say less about the problem than words do. */
const weightOf = (token: string) => (token.startsWith('<') ? 0.5 : 1);

/** A bag of features with dampened counts: a word repeated five times is not five times the evidence. */
export function similarityVector(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of similarityTokens(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
  const vector = new Map<string, number>();
  for (const [token, count] of counts) vector.set(token, weightOf(token) * (1 + Math.log(count)));
  return vector;
}

/** Cosine of two vectors from `similarityVector`, 0..1; symmetric (sums are taken in sorted key order). */
export function vectorSimilarity(a: Map<string, number>, b: Map<string, number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  return cosine(features(a), features(b));
}

/**
 * A vector with what does not change from one comparison to the next: its keys in sorted order
 * with their values, and its sum of squares.
 */
interface Features {
  keys: string[];
  values: number[];
  squares: number;
}

function features(vector: Map<string, number>): Features {
  const keys = [...vector.keys()].sort();
  const values = keys.map((key) => vector.get(key)!);
  let squares = 0;
  for (const value of values) squares += value ** 2;
  return { keys, values, squares };
}

// A key of one vector only adds a zero to the dot product, so the shared keys alone give the same
// sum. Both key lists are sorted, so one merge finds the shared keys in sorted order (the order the
// sum is taken in, so a·b and b·a are the same number) without a lookup or a sort per comparison.
function cosine(a: Features, b: Features): number {
  const [ak, bk, av, bv] = [a.keys, b.keys, a.values, b.values];
  let dot = 0;
  for (let i = 0, j = 0; i < ak.length && j < bk.length; ) {
    if (ak[i]! < bk[j]!) i++;
    else if (ak[i]! > bk[j]!) j++;
    else dot += av[i++]! * bv[j++]!;
  }
  if (dot === 0) return 0;
  return Math.min(1, Math.max(0, dot / Math.sqrt(a.squares * b.squares)));
}

/**
 * 0..1: how alike two messages are once markup, quotes and code are gone. 1 for texts that read the
 * same (identical words), symmetric, deterministic. Two texts with no words at all score 1 when their
 * normalised forms are equal and 0 otherwise.
 */
export function textSimilarity(a: string, b: string): number {
  return compare(a, features(similarityVector(a)), b, features(similarityVector(b)));
}

/**
 * The features of recently compared texts, kept by key in two generations: a hit in the current one
 * costs one lookup; a hit in the previous one moves over; when the current one is full it becomes
 * the previous one. At most `capacity` are kept, and whatever was used since the last turnover stays.
 * Texts longer than `keptTextLength` are not kept (memory stays small).
 */
export class SimilarityCache {
  private current = new Map<string, { text: string; features: Features }>();
  private previous = new Map<string, { text: string; features: Features }>();

  constructor(
    private readonly capacity: number,
    private readonly keptTextLength: number,
  ) {}

  /**
   * `textSimilarity(text, other)` for many others, with `text` read once and the others' features
   * kept: `key` names where `other` comes from (an issue id, a knowledge entry id); looking a short
   * key up is cheaper than hashing the whole text again, and the kept text is compared with
   * `other`, so a changed text is read again.
   */
  similarityTo(text: string): (other: string, key?: string) => number {
    let own: Features | undefined;
    return (other, key) => {
      own ??= features(similarityVector(text));
      return compare(text, own, other, this.featuresOf(other, key));
    };
  }

  /** The distinct normalised words of `text` (kept under `key` like the compared texts'). */
  wordsOf(text: string, key?: string): readonly string[] {
    return this.featuresOf(text, key).keys;
  }

  private featuresOf(text: string, key = text): Features {
    if (text.length > this.keptTextLength) return features(similarityVector(text));
    let kept = this.current.get(key);
    if (kept?.text === text) return kept.features;
    kept = this.previous.get(key);
    if (kept?.text !== text) kept = { text, features: features(similarityVector(text)) };
    if (this.current.size >= this.capacity / 2) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, kept);
    return kept.features;
  }
}

/**
 * Recent openings for the systemic check, which compares each new thread with up to hundreds of
 * recent openings (the same few hundred from one new thread to the next): room for several checks.
 */
const recentOpenings = new SimilarityCache(2_000, 1_000);

/** `textSimilarity(text, other)` for many recent openings (see `SimilarityCache.similarityTo`). */
export function similarityTo(text: string): (other: string, key?: string) => number {
  return recentOpenings.similarityTo(text);
}

function compare(a: string, fa: Features, b: string, fb: Features): number {
  if (fa.keys.length === 0 || fb.keys.length === 0) {
    return fa.keys.length === fb.keys.length &&
      normaliseForMatching(a).toLowerCase() === normaliseForMatching(b).toLowerCase()
      ? 1
      : 0;
  }
  if (sameVector(fa, fb)) return 1;
  return cosine(fa, fb);
}

function sameVector(a: Features, b: Features): boolean {
  if (a.keys.length !== b.keys.length) return false;
  for (let i = 0; i < a.keys.length; i++) {
    if (a.keys[i] !== b.keys[i] || a.values[i] !== b.values[i]) return false;
  }
  return true;
}
