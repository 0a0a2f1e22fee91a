/**
 * Reads `withdraw [reason]` once the platform has removed the bot's own mention; undefined when
 * the text is another command. The reason is kept as written (it goes on the card and the note).
 */
export function parseWithdrawCommand(text: string): { reason: string } | undefined {
  const match = /^\s*withdraw(?:\s+([\s\S]*))?$/i.exec(text);
  return match ? { reason: (match[1] ?? '').trim() } : undefined;
}
