/**
 * Checks Adaptive Card JSON with Microsoft's own `adaptivecards` renderer library (3.x): the card is
 * parsed as a client would (unknown element or action types, bad property values, unsupported
 * versions are parse events) and then validated (duplicate input ids, too many actions, required
 * inputs without a label or error message, empty choice sets…).
 *
 *   expect(adaptiveCardProblems(renderAdaptiveCard(card))).toEqual([]);
 *
 * The package's `main` is an ES module build that Node cannot load as CommonJS; its UMD bundle
 * (`dist/adaptivecards.js`) loads fine and needs no DOM for parsing and validation.
 */
import { createRequire } from 'node:module';

type AdaptiveCards = typeof import('adaptivecards');

const require = createRequire(import.meta.url);
let library: AdaptiveCards | undefined;

export function adaptiveCardsLibrary(): AdaptiveCards {
  library ??= require('adaptivecards/dist/adaptivecards.js') as AdaptiveCards;
  return library;
}

/** Every parse event and validation failure the library reports for `json`, as readable lines. */
export function adaptiveCardProblems(json: unknown): string[] {
  const AC = adaptiveCardsLibrary();
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1) {
    const event = context.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`validate: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  return problems;
}

/** Bytes of the card as it goes over the wire (UTF-8 JSON). */
export function cardBytes(json: unknown): number {
  return Buffer.byteLength(JSON.stringify(json), 'utf8');
}

/** True when the text has a lone UTF-16 surrogate (an emoji cut in half). */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
