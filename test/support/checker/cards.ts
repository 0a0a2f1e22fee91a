import type { CardButton } from '../story/platform-driver.js';

/** Whether a card's text (`driver.cardText`) still shows a button: Slack `action_id`, Teams `verb`. */
export function hasButton(cardText: string, button: CardButton): boolean {
  return cardText.includes(`"escalator:${button}"`) || cardText.includes(`"verb":"${button}"`);
}

/** Every button a card can carry. */
export const ALL_BUTTONS: CardButton[] = [
  'claim',
  'resolve',
  'bounce',
  'escalate_further',
  'not_an_escalation',
];
