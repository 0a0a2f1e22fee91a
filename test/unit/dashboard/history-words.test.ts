import { describe, expect, it } from 'vitest';
import { actionLabel } from '../../../src/app/dashboard/escalation-history.js';
import { mentionedIn, namesOf } from '../../../src/app/dashboard/people-names.js';
import { SYSTEM_ACTOR } from '../../../src/domain/transitions.js';

describe('actionLabel', () => {
  it.each([
    ['open', 'created'],
    ['claim', 'claimed'],
    ['resolve', 'resolved'],
    ['bounce', 'bounced back'],
    ['escalate_further', 'escalated further'],
    ['auto_escalate', 'auto-escalated (unclaimed)'],
    ['withdraw', 'withdrawn'],
    ['dismiss', 'closed as not an escalation'],
    ['remind', 'reminder sent'],
    ['raise_priority', 'priority raised (overdue)'],
    ['refused_claim', 'refused: not allowed to claim'],
    ['refused_bounce', 'refused: not allowed to bounce back'],
    ['evidence:legal', 'more evidence (Legal / compliance)'],
    ['evidence:high_value:raise_priority', 'more evidence (High value), priority raised'],
    ['systemic:join', 'another thread joined the cluster'],
    ['something_new', 'something new'],
  ])('%s → %s', (action, label) => {
    expect(actionLabel(action)).toBe(label);
  });
});

describe('namesOf', () => {
  it('names people in one read, Escalator itself as "Escalator", unknown people by id, and mentions in text', async () => {
    const asked: string[][] = [];
    const names = await namesOf(
      {
        async names(ids) {
          asked.push(ids);
          return new Map([['slack:U0ALICE', 'Alice <Admin>']]);
        },
      },
      ['slack:U0ALICE', SYSTEM_ACTOR, null, 'teams:29:x', 'slack:U0ALICE'],
    );
    expect(asked).toEqual([['slack:U0ALICE', 'teams:29:x']]);
    expect(names('slack:U0ALICE')).toEqual({ id: 'slack:U0ALICE', name: 'Alice <Admin>' });
    expect(names(SYSTEM_ACTOR).name).toBe('Escalator');
    expect(names('teams:29:x').name).toBe('teams:29:x');
    expect(names.inText('Escalated by hand by <@slack:U0ALICE>.')).toBe(
      'Escalated by hand by Alice <Admin>.',
    );
    expect(names.inText(null)).toBeNull();
    expect(mentionedIn('<@slack:U1> and <@teams:29:y>', null)).toEqual(['slack:U1', 'teams:29:y']);
  });
});
