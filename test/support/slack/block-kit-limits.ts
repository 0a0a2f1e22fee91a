/**
 * Slack's documented Block Kit limits for what Escalator posts (messages of header, section,
 * actions and context blocks). Slack refuses a message that breaks one with `invalid_blocks`; the
 * fake does not check, so tests do, with this. Returns one line per problem, empty when all is well.
 */
const LIMITS = {
  blocks: 50,
  headerText: 150,
  textObject: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  actionId: 255,
  actionElements: 25,
  messageText: 40_000,
} as const;

interface TextObject {
  type?: string;
  text?: string;
}
interface Block {
  type: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: Array<
    TextObject & { text?: TextObject | string; value?: string; url?: string; action_id?: string }
  >;
}

/** True when the text has a lone UTF-16 surrogate (an emoji cut in half), which Slack shows as garbage. */
const loneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

export function blockKitProblems(blocks: unknown, text?: string): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  check(blocks.length <= LIMITS.blocks, `${blocks.length} blocks (at most ${LIMITS.blocks})`);
  if (text !== undefined) check(text.length <= LIMITS.messageText, `text of ${text.length} characters`);
  (blocks as Block[]).forEach((block, i) => {
    const at = `block ${i} (${block.type})`;
    const textOf = (t: TextObject | undefined, max: number, what: string) => {
      if (!t?.text) return;
      check(t.text.length <= max, `${at}: ${what} of ${t.text.length} characters (at most ${max})`);
      check(!loneSurrogate(t.text), `${at}: ${what} has half an emoji`);
    };
    if (block.type === 'header') textOf(block.text, LIMITS.headerText, 'header');
    if (block.type === 'section') {
      textOf(block.text, LIMITS.textObject, 'text');
      check((block.fields ?? []).length <= LIMITS.fields, `${at}: more than ${LIMITS.fields} fields`);
      for (const field of block.fields ?? []) textOf(field, LIMITS.fieldText, 'field');
    }
    if (block.type === 'context') {
      check((block.elements ?? []).length <= LIMITS.contextElements, `${at}: too many elements`);
      for (const element of block.elements ?? []) textOf(element as TextObject, LIMITS.textObject, 'element');
    }
    if (block.type === 'actions') {
      check((block.elements ?? []).length <= LIMITS.actionElements, `${at}: too many elements`);
      for (const button of block.elements ?? []) {
        textOf(button.text as TextObject, LIMITS.buttonText, 'button text');
        check((button.value ?? '').length <= LIMITS.buttonValue, `${at}: button value too long`);
        check((button.url ?? '').length <= LIMITS.url, `${at}: button url too long`);
        check((button.action_id ?? '').length <= LIMITS.actionId, `${at}: action_id too long`);
      }
    }
  });
  return problems;
}
