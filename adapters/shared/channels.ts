/** Channel tokens in core text: `<#slack:C0123|#support>` (the label is for platforms that cannot link it). */
const CHANNEL_TOKEN = /<#((?:slack|teams|local):[^|>]+)\|([^>]*)>/g;

/** Replaces channel tokens: a platform's own channels natively (`native`), others by their label. */
export function renderChannels(text: string, native: (id: string) => string | undefined): string {
  return text.replace(CHANNEL_TOKEN, (_whole, id: string, label: string) => native(id) ?? label);
}
