import type { Triggers } from '../../../src/domain/policy.js';
import { detectContentTriggers } from '../../../src/domain/triggers/index.js';
import type { ContentTriggerKind, MessageContext, TriggerHit } from '../../../src/domain/triggers/types.js';

/** Every content trigger named, with the built-in phrases only (as `trigger: { path }` in a policy). */
export const ALL_DEFAULTS: Triggers = {
  managerRequest: { path: 'management', phrases: [] },
  highValue: {
    path: 'management',
    accounts: [{ match: 'acme.com', tier: 'enterprise' }],
    amountOver: { value: 10_000, currency: 'AUD' },
  },
  legal: { path: 'management', phrases: [] },
  dissatisfaction: { path: 'management', phrases: [] },
};

export function message(text: string, extra: Partial<MessageContext> = {}): MessageContext {
  return { text, authorId: 'slack:U0CUSTOMER', recentCustomerTexts: [], ...extra };
}

/** The hit of one kind for a text, with the given triggers (all defaults unless said). */
export function hitOf(
  kind: ContentTriggerKind,
  text: string,
  triggers: Triggers = ALL_DEFAULTS,
  extra: Partial<MessageContext> = {},
): TriggerHit | undefined {
  return detectContentTriggers(message(text, extra), triggers).find((h) => h.kind === kind);
}
