/**
 * Text people typed into a form field or on another platform, made safe for Slack's mrkdwn: Slack
 * reads `<…>` as links and mentions and `&` as the start of an entity. (Text of Slack messages is
 * already escaped by Slack and must not be escaped twice.)
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link for mrkdwn, or nothing for a URL Slack cannot open (a local workspace path). */
export function mrkdwnLink(url: string, label: string): string | undefined {
  return /^https:\/\//.test(url) ? `<${url}|${label}>` : undefined;
}
