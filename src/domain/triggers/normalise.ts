/**
 * Plain words out of a chat message: what the customer wrote themselves, without platform markup,
 * quoted text or pasted code. Every content trigger and the similarity measure read this form, so a
 * quoted "can I speak to your manager" or an error number inside a code block never fires anything.
 */

/** Zero-width and invisible formatting characters (joiners, BOM, word joiner, bidi marks). */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
  '#x27': "'",
};

function decodeEntities(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|apos|nbsp|#39|#x27);/gi,
    (_, name: string) => ENTITIES[name.toLowerCase()]!,
  );
}

/** Slack's angle-bracket tokens: users, channels, special mentions, links with or without a label. */
function stripSlackTokens(text: string): string {
  return (
    text
      // <@U123> and <@U123|name>: a mention names nobody the customer talks about.
      .replace(/<@[A-Za-z0-9]+(?:\|[^<>\n]*)?>/g, ' ')
      // <#C123|general> -> #general; <#C123> -> nothing.
      .replace(/<#[A-Za-z0-9]+\|([^<>\n]*)>/g, ' #$1 ')
      .replace(/<#[A-Za-z0-9]+>/g, ' ')
      // <!here>, <!channel>, <!subteam^S123|@team>, <!date^...|fallback>
      .replace(/<![^<>\n]*>/g, ' ')
      // <https://x|label> -> label; <https://x> and <mailto:a@b> -> nothing.
      .replace(/<(?:https?|mailto|tel):[^<>|\n]*\|([^<>\n]*)>/gi, ' $1 ')
      .replace(/<(?:https?|mailto|tel):[^<>\n]*>/gi, ' ')
  );
}

/** Teams sends HTML: mentions, links, quotes, code, paragraphs. */
function stripHtml(text: string): string {
  return (
    text
      .replace(/<blockquote\b[^>]*>[\s\S]*?<\/blockquote>/gi, '\n')
      .replace(/<(pre|code)\b[^>]*>[\s\S]*?<\/\1>/gi, '\n')
      .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ')
      .replace(/<a\b[^>]*>([\s\S]*?)<\/a>/gi, ' $1 ')
      .replace(/<(?:br|\/p|\/div|\/li|\/h[1-6]|\/tr)\b[^>]*>/gi, '\n')
      // Any other tag (only real tag shapes, so "a < b > c" stays text).
      .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, ' ')
  );
}

/** The quoted part of an e-mail style reply: "On Mon, 3 Jun 2025, Ann <a@b.c> wrote:" and all after it. */
const REPLY_HEADER = /(?:^|\n)[ \t]*On\b[^\n]{0,300}?(?:\n[^\n]{0,300}?)?\bwrote:[ \t]*(?=\n|$)[\s\S]*$/i;
const ORIGINAL_MESSAGE = /(?:^|\n)[ \t]*-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}[\s\S]*$/i;

/**
 * Removes Slack/Teams markup (mentions, link syntax, HTML, entities, bold/italic/strike markers),
 * quoted lines (`>` and "On … wrote:" blocks), code blocks and URLs; normalises typographic quotes
 * and dashes; collapses whitespace. Case is kept, so evidence quotes read as the customer wrote them.
 */
export function normaliseForMatching(text: string): string {
  let out = String(text ?? '')
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n');
  // Code first: its content may look like markup, quotes or money.
  out = out.replace(/```[\s\S]*?(?:```|$)/g, '\n');
  out = stripSlackTokens(out);
  out = stripHtml(out);
  out = decodeEntities(out);
  out = out.replace(REPLY_HEADER, '\n').replace(ORIGINAL_MESSAGE, '\n');
  out = out
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
  out = out
    // Inline code keeps its words (error names help similarity) without the backticks.
    .replace(/`+/g, ' ')
    .replace(/\b(?:https?:\/\/|www\.)[^\s<>]+/gi, ' ')
    .replace(/[\u2018\u2019\u201B\u2032\u02BC]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    // *bold*, _italic_, ~strike~ markers at word edges; snake_case and 2*3 stay.
    .replace(/(^|[\s(])[*_~]+(?=\S)/g, '$1')
    .replace(/(\S)[*_~]+(?=$|[\s).,!?;:])/g, '$1');
  return out.replace(/\s+/g, ' ').trim();
}
