import { describe, expect, it } from 'vitest';
import { roleOf } from '../../../src/domain/issue.js';
import { examplePolicy } from '../../support/core/test-context.js';

// The example policy: staff are workspace T0HOME plus the listed user slack:U0LEAD.
const policy = examplePolicy();

describe('roleOf', () => {
  it.each([
    ['someone from the home workspace', { id: 'slack:U0AGENT', teamId: 'T0HOME' }, 'staff'],
    ['a listed staff member from another workspace', { id: 'slack:U0LEAD', teamId: 'T0OTHER' }, 'staff'],
    ['a listed staff member with no team', { id: 'slack:U0LEAD' }, 'staff'],
    ['a Slack Connect guest', { id: 'slack:UCUST1', teamId: 'T0CUSTOMER' }, 'customer'],
    ['someone with no team who is not listed', { id: 'slack:UCUST1' }, 'customer'],
    ['a user whose id looks like a team id', { id: 'slack:T0HOME' }, 'customer'],
  ] as const)('%s is %s', (_who, author, role) => {
    expect(roleOf(author, policy)).toBe(role);
  });
});
