import { createRequire } from 'node:module';
import { renderAdaptiveCard } from '../../adapters/teams/render-adaptive-card.js';
import { buildEscalationCard } from '../../src/domain/build-escalation-card.js';
import { makeEscalation, makeIssue, makeMessage } from '../support/core/domain-builders.js';

const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');
const card = buildEscalationCard({
  escalation: makeEscalation(),
  issue: makeIssue(),
  messages: [makeMessage({ text: 'hi *bold* there' })],
  history: [],
  timeZone: 'Europe/Berlin',
});
const json = renderAdaptiveCard(card, new Map(), { banner: 'x' });
const ac = new AC.AdaptiveCard();
const ctx = new AC.SerializationContext();
ac.parse(json, ctx);
console.log(
  'parse events',
  ctx.eventCount,
  Array.from({ length: ctx.eventCount }, (_, i) => ctx.getEventAt(i).message),
);
const r = ac.validateProperties();
console.log(
  r.validationEvents.map((e) => e.message),
  Object.keys(r.allIds),
);
console.log(AC.GlobalSettings, ac.hostConfig.actions.maxActions, AC.Versions.latest.toString());
