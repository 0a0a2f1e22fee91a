import { describe, expect, it } from 'vitest';
import type { Triggers } from '../../../src/domain/policy.js';
import { LEGAL_PHRASES } from '../../../src/domain/triggers/index.js';
import { hitOf } from './helpers.js';

describe('legal with the built-in lexicon', () => {
  it.each([
    // legal action (AU/UK/US usage)
    ['I will be contacting my lawyer', 'my lawyer'],
    ['We are considering legal action', 'legal action'],
    ['My solicitor will be in touch', 'My solicitor'],
    ['my attorney is reviewing this', 'my attorney'],
    ['I will sue you', 'sue'],
    ['If you don’t refund me I will sue', 'sue'],
    ['Going to take you to small claims', 'small claims'],
    ['See you at the tribunal', 'tribunal'],
    ['this could end in a class action', 'class action'],
    ['you have left me no choice but to file a lawsuit', 'lawsuit'],
    // regulators
    ['I will report you to the ACCC', 'ACCC'],
    ["I'm going to the OAIC about this", 'OAIC'],
    ['a complaint to the ombudsman', 'ombudsman'],
    ['complaint to the ICO', 'ICO'],
    ['reporting you to the FTC', 'FTC'],
    ['I have contacted Fair Trading', 'Fair Trading'],
    // privacy and compliance
    ['This is a breach of GDPR', 'GDPR'],
    ['CCPA request: delete my data', 'CCPA'],
    ['privacy breach: you emailed my data to someone else', 'privacy breach'],
    ['Was there a data breach?', 'data breach'],
    ['My data was leaked online', 'My data was leaked'],
    ['I am making a subject access request', 'subject access request'],
    // safety
    ['the charger caught fire last night', 'caught fire'],
    ['There was a fire in the kitchen', 'fire'],
    ['this is a fire hazard', 'fire hazard'],
    ['there was smoke coming out of the unit', 'smoke'],
    ['my son got an electric shock from it', 'electric shock'],
    ['the heater is unsafe', 'unsafe'],
    ['it burned my hand', 'burned'],
    ['I was injured by the blade', 'injured'],
    ['is this product under recall?', 'recall'],
    ['the product was recalled last year', 'recalled'],
    ['the battery is overheating', 'overheating'],
    ['it exploded on the bench', 'exploded'],
    ['we had to call an ambulance', 'ambulance'],
    // discrimination and harassment
    ['your agent harassed me on the phone', 'harassed'],
    ['this is discrimination', 'discrimination'],
    ['that comment was racist', 'racist'],
    ["That's unauthorised access and we're reporting it", 'unauthorised access'],
    ['Our DPO needs a copy of your breach notification', 'DPO'],
    ['the integration stopped, this is a life safety system', 'life safety'],
    ['I will be taking this to the Fair Work Commission', 'Fair Work Commission'],
    ['we will call the police', 'call the police'],
  ])('fires on %j', (text, term) => {
    const hit = hitOf('legal', text);
    expect(hit).toBeDefined();
    expect(hit?.matched).toContain(term);
    expect(hit?.summary).toContain(`"${term}"`);
    expect(hit?.details.join('\n')).toContain(`Matched "${term}" in "`);
  });

  it.each([
    // everyday senses of the words
    'fire up the app and try again',
    'Fire TV app not loading',
    'the webhook fires twice',
    'can you fire the event again?',
    'fire off an email to me when it is done',
    'our burn rate is fine',
    'burn through my credits fast',
    "I'm burnt out waiting lol",
    'we ran a smoke test',
    'what is my legal name on the invoice',
    'the legal entity name on the invoice is wrong',
    'I recall we spoke last week',
    'as I recall, you promised a callback',
    'Sue from billing said it was fixed',
    'Hi Sue, thanks for the help',
    'illegal character in the CSV',
    'the fraud detection rules blocked my card',
    'the food court wifi is down',
    'an ICO token sale page',
    'the fire alarm integration sends duplicate alerts',
    'this new dashboard is fire 🔥',
    "it's been running since the fire drill this morning",
    'Our injury claims team uses the forms module',
    'how do I set up a court date reminder template?',
    'the police department is one of our customers',
    // words inside words
    'the issue is fixed',
    'please pursue this',
    'the ballot was unfair',
    // negation
    'no injury, just annoyed',
    'no one was hurt, thankfully',
    "I'm not going to sue, I just want it fixed",
    "I don't want to take legal action, just a refund",
    // quoted and pasted text
    '> my lawyer says hi\nok thanks, got it',
    'The log says:\n```\nERROR fire alarm unsafe state\n```\ncan you check?',
  ])('does not fire on %j', (text) => {
    expect(hitOf('legal', text)).toBeUndefined();
  });

  it('lists each term once in the summary and each match with its context', () => {
    const hit = hitOf('legal', 'My lawyer says this is a GDPR breach. My lawyer will write to the OAIC.');
    expect(hit?.summary).toBe('Legal, compliance or safety terms: "My lawyer", "GDPR", "OAIC"');
    expect(hit?.details[0]).toBe(
      'Matched "My lawyer" in "My lawyer says this is a GDPR breach" (default phrase)',
    );
  });
});

describe('legal phrases from the policy', () => {
  const policy = (phrases: string[], replaceDefaults?: boolean): Triggers => ({
    legal: { path: 'management', phrases, ...(replaceDefaults ? { replaceDefaults } : {}) },
  });

  it('has a default lexicon of more than a hundred terms', () => {
    expect(LEGAL_PHRASES.length).toBeGreaterThan(100);
  });

  it('extends the defaults, or replaces them', () => {
    expect(hitOf('legal', 'I will call the Telecommunications Industry Ombudsman', policy([]))).toBeDefined();
    expect(hitOf('legal', 'this breaks the Widget Act', policy(['Widget Act']))?.details[0]).toContain(
      '(policy phrase /Widget Act/)',
    );
    expect(hitOf('legal', 'my lawyer', policy(['Widget Act']))).toBeDefined();
    expect(hitOf('legal', 'my lawyer', policy(['Widget Act'], true))).toBeUndefined();
    expect(hitOf('legal', 'this breaks the Widget Act', policy(['Widget Act'], true))).toBeDefined();
  });
});
