import { describe, expect, it } from 'vitest';
import type { Triggers } from '../../../src/domain/policy.js';
import { MANAGER_REQUEST_PHRASES } from '../../../src/domain/triggers/index.js';
import { hitOf } from './helpers.js';

describe('manager_request with the built-in phrases', () => {
  it.each([
    'Can I speak to your manager',
    'can i speak to your manager?',
    'I want to talk to a supervisor right now',
    'Get me your manager.',
    'Put me through to someone senior please',
    'I demand to speak with the person in charge',
    'Manager please!',
    'Please escalate this to your supervisor',
    'Have your manager call me today',
    "I'd like to speak to someone more senior",
    'I’d like to talk to your boss', // typographic apostrophe
    'Who is your manager?',
    'I need to speak to a manager about this',
    'can i talk to ur boss',
    'I want to speak to the general manager',
    'I want this escalated. Transfer me to a supervisor',
    'Escalate my complaint to management',
    'SPEAK TO YOUR MANAGER NOW',
    'Speak. To. A. Manager. Please.',
    'can i speek to ur manger',
    'Could you put me in touch with your team lead?',
    'can u get ur boss to call me',
    'Is there a manager I can speak to?',
    'please get a manager involved',
    'Can someone higher up please take a look?',
    'who do I speak to above you?',
    "Can I have your manager's contact details?",
    'Could I get a team leader to ring me back?',
    // a negation elsewhere in the sentence, or a rhetorical one, is not a negated ask
    "Why don't you just get me your manager",
    'If this is not fixed today I want to speak to your manager',
    'No, I want to speak to your manager',
    "I don't know what else to do, let me speak to your manager",
    "I wouldn't mind talking to a supervisor",
    'Hey <@U0AGENT> can I speak to your manager?',
  ])('fires on %j', (text) => {
    const hit = hitOf('manager_request', text);
    expect(hit).toBeDefined();
    expect(hit?.summary).toMatch(/^Customer asked for a manager: ".+"$/);
    expect(hit?.matched.length).toBeGreaterThan(0);
    expect(hit?.details[0]).toMatch(/^Matched ".+" \(default phrase\)$/);
  });

  it.each([
    // negation
    'No need for a manager, just fix it',
    "I don't want to speak to a manager",
    'I do not want to talk to your supervisor',
    "I'm not asking for a supervisor",
    'I never asked to speak to your manager',
    "I don't think I need to speak to a manager",
    'Speaking to a manager is not necessary, just refund me',
    // other senses of "manager"
    'My account manager said it was fine',
    'npm is my package manager',
    'The manager app keeps crashing',
    'Can you reset the password manager integration?',
    "I'm the manager here and I need the invoice",
    'I spoke to your manager yesterday and she said it was fixed',
    'Our office manager will pay the bill',
    'Please give me manager access to the workspace',
    'Someone in charge of our billing asked me to update the card',
    'I had a call with your account manager last week, all good',
    'Is there a manager role in the permissions screen?',
    'Our team lead wants the report by Friday',
    // quoted and pasted text
    '> can I speak to your manager\nSorry, wrong chat, that was from another ticket',
    'The bot replied:\n```\nspeak to your manager\n```',
    'On Mon, 3 Jun 2026 at 10:00, Ann <ann@example.com> wrote:\n> I want to speak to your manager',
    // plain support messages
    'Hi, how do I add a new user to our workspace?',
    'Thanks, that worked!',
  ])('does not fire on %j', (text) => {
    expect(hitOf('manager_request', text)).toBeUndefined();
  });

  it('quotes the clause with the ask in the summary and lists every match', () => {
    const hit = hitOf(
      'manager_request',
      'This is the third time I ask. Can I speak to your manager? Or your supervisor!',
    );
    expect(hit?.summary).toBe('Customer asked for a manager: "Can I speak to your manager"');
    expect(hit?.matched).toContain('speak to your manager');
  });
});

describe('manager_request phrases from the policy', () => {
  const withPhrases = (phrases: string[], replaceDefaults?: boolean): Triggers => ({
    managerRequest: {
      path: 'management',
      phrases,
      ...(replaceDefaults !== undefined ? { replaceDefaults } : {}),
    },
  });

  it('uses the defaults when the policy only names the trigger', () => {
    expect(MANAGER_REQUEST_PHRASES.length).toBeGreaterThan(5);
    expect(hitOf('manager_request', 'Can I speak to your manager', withPhrases([]))).toBeDefined();
  });

  it('extends the defaults with policy phrases', () => {
    const triggers = withPhrases(['head honcho']);
    const hit = hitOf('manager_request', 'Fetch the head honcho', triggers);
    expect(hit?.details).toEqual(['Matched "head honcho" (policy phrase /head honcho/)']);
    expect(hitOf('manager_request', 'Can I speak to your manager', triggers)).toBeDefined();
  });

  it('replaces the defaults with replaceDefaults: true', () => {
    const triggers = withPhrases(['head honcho'], true);
    expect(hitOf('manager_request', 'Fetch the head honcho', triggers)).toBeDefined();
    expect(hitOf('manager_request', 'Can I speak to your manager', triggers)).toBeUndefined();
  });

  it('matches policy phrases case-insensitively, as regular expressions, with word boundaries', () => {
    const triggers = withPhrases(['speak to (a|your) manager', 'supervisor'], true);
    expect(hitOf('manager_request', 'SPEAK TO YOUR MANAGER', triggers)?.matched).toEqual([
      'SPEAK TO YOUR MANAGER',
    ]);
    expect(hitOf('manager_request', 'I want a supervisor', triggers)?.matched).toEqual(['supervisor']);
    expect(hitOf('manager_request', 'the supervisors group', triggers)).toBeUndefined();
    expect(hitOf('manager_request', 'supervisord crashed', triggers)).toBeUndefined();
  });

  it('applies negation and the other senses of "manager" to policy phrases too', () => {
    const triggers = withPhrases(['manager', 'supervisor'], true);
    expect(hitOf('manager_request', 'I want a manager', triggers)).toBeDefined();
    for (const text of [
      'no need for a manager',
      'not asking for a supervisor',
      'my account manager said',
      'my package manager is broken',
      'the manager app crashes',
    ]) {
      expect(hitOf('manager_request', text, triggers), text).toBeUndefined();
    }
  });

  it('does not run when the policy does not name it', () => {
    expect(hitOf('manager_request', 'Can I speak to your manager', {})).toBeUndefined();
  });
});
