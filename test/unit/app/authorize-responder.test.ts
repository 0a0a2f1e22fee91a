import { afterEach, describe, expect, it } from 'vitest';
import { bounceEscalation, claimEscalation } from '../../../src/app/act-on-escalation.js';
import { authorizeResponder } from '../../../src/app/authorize-responder.js';
import { CachedDirectory } from '../../../src/app/cached-directory.js';
import { dismissEscalation } from '../../../src/app/dismiss-escalation.js';
import type { Policy } from '../../../src/domain/policy.js';
import { SYSTEM_ACTOR } from '../../../src/domain/transitions.js';
import type { DirectoryPort } from '../../../src/ports/directory-port.js';
import { expectRefused } from '../../support/core/errors.js';
import { openEscalated, people } from '../../support/core/fixtures.js';
import { readOutbox } from '../../support/core/outbox-rows.js';
import { createTestContext, examplePolicy, type TestContext } from '../../support/core/test-context.js';

let t: TestContext;
afterEach(() => t.cleanup());

const spec = { actor: people.specialist.id, source: 'slack' } as const;
const engineer = { actor: people.engineer.id, source: 'slack' } as const;

/** The example policy with `responders` on L2 Tech. */
function withL2Responders(responders: string[] | undefined): Policy {
  const policy = examplePolicy();
  const tech = policy.paths.tech!;
  tech.levels[0] = { ...tech.levels[0]!, responders };
  return policy;
}

/** A Slack directory answering from `members`; a listed id mapped to 'fail' fails to read. */
function slackDirectory(members: Record<string, string[] | 'fail'>) {
  const reads: string[] = [];
  const read = async (id: string) => {
    reads.push(id);
    const list = members[id];
    if (list === 'fail') throw new Error('Slack answered HTTP 500');
    return new Set(list ?? []);
  };
  const port: DirectoryPort = { channelMembers: read, groupMembers: read };
  t.ctx.directory = new CachedDirectory({ slack: port }, t.clock);
  return reads;
}

async function auditOf(id: string) {
  return (await t.store.events.listForEscalation(id)).map((e) => [e.action, e.actor, e.toStatus, e.detail]);
}

describe('who may act at a level', () => {
  it('by default the members of the level channel; anyone else is refused, audited, and nothing else changes', async () => {
    t = await createTestContext();
    const { escalation } = await openEscalated(t.ctx);
    slackDirectory({ 'slack:C0L2': [people.specialist.id] });
    const outboxBefore = (await readOutbox(t.dbUrl)).length;

    const refused = await expectRefused(claimEscalation(t.ctx, escalation.id, engineer), 'not_allowed');
    expect(refused.message).toBe(
      'Only members of <#slack:C0L2|the L2 Tech channel> can claim escalation #1.',
    );
    await expectRefused(bounceEscalation(t.ctx, escalation.id, engineer, { reason: 'no' }), 'not_allowed');

    expect(await t.store.escalations.get(escalation.id)).toMatchObject({ status: 'open', version: 1 });
    expect(await readOutbox(t.dbUrl)).toHaveLength(outboxBefore);
    expect((await auditOf(escalation.id)).slice(1)).toEqual([
      ['refused_claim', people.engineer.id, 'open', 'not a member of slack:C0L2'],
      ['refused_bounce', people.engineer.id, 'open', 'not a member of slack:C0L2'],
    ]);
    expect((await claimEscalation(t.ctx, escalation.id, spec)).status).toBe('claimed');
  });

  it('"Not an escalation" is checked like the other actions', async () => {
    t = await createTestContext();
    const { escalation } = await openEscalated(t.ctx);
    slackDirectory({ 'slack:C0L2': [] });
    const refused = await expectRefused(dismissEscalation(t.ctx, escalation.id, engineer), 'not_allowed');
    expect(refused.message).toContain('can close escalation #1 as not an escalation');
  });

  it('a responders list replaces channel membership: people and members of groups, nobody else', async () => {
    t = await createTestContext({ policy: withL2Responders(['slack:U0SPEC', 'slack:S0ONCALL']) });
    const { escalation } = await openEscalated(t.ctx);
    const reads = slackDirectory({
      'slack:C0L2': [people.engineer.id],
      'slack:S0ONCALL': ['slack:U0ONCALL'],
    });

    const refused = await expectRefused(claimEscalation(t.ctx, escalation.id, engineer), 'not_allowed');
    expect(refused.message).toBe(
      'Only the responders of L2 Tech can claim escalation #1; the escalation policy lists who they are.',
    );
    await authorizeResponder(t.ctx, escalation.id, { actor: 'slack:U0ONCALL', source: 'slack' }, 'claim');
    await authorizeResponder(t.ctx, escalation.id, spec, 'claim');
    expect(reads).toEqual(['slack:S0ONCALL']); // the channel was never asked
  });

  it('the policy in force decides, not the one the escalation was opened under', async () => {
    t = await createTestContext({ policy: withL2Responders(['slack:U0SPEC']) });
    const { escalation } = await openEscalated(t.ctx);
    slackDirectory({});
    t.ctx.policy = withL2Responders(['slack:U0ENG']); // a restart with an edited policy
    await expectRefused(claimEscalation(t.ctx, escalation.id, spec), 'not_allowed');
    expect((await claimEscalation(t.ctx, escalation.id, engineer)).claimedBy).toBe(people.engineer.id);
  });

  it('a member list that cannot be read refuses with "try again" and says why in the audit', async () => {
    t = await createTestContext({ policy: withL2Responders(['slack:S0ONCALL']) });
    const { escalation } = await openEscalated(t.ctx);
    slackDirectory({ 'slack:S0ONCALL': 'fail' });
    const refused = await expectRefused(claimEscalation(t.ctx, escalation.id, spec), 'not_allowed');
    expect(refused.message).toContain('Try again in a moment');
    expect((await auditOf(escalation.id)).at(-1)?.[3]).toBe(
      'membership lookup failed: slack:S0ONCALL: Slack answered HTTP 500',
    );
  });

  it('Teams people match however the Entra object id was written in the policy', async () => {
    t = await createTestContext({ policy: withL2Responders(['teams:00000000-0000-4000-8000-0000000000B1']) });
    const { escalation } = await openEscalated(t.ctx);
    slackDirectory({});
    const who = { actor: 'teams:00000000-0000-4000-8000-0000000000b1', source: 'teams' } as const;
    await authorizeResponder(t.ctx, escalation.id, who, 'claim');
  });

  it('a level with neither channel nor responders lets nobody act from chat', async () => {
    t = await createTestContext();
    const { escalation } = await openEscalated(t.ctx, { path: 'vendors' });
    slackDirectory({});
    const refused = await expectRefused(claimEscalation(t.ctx, escalation.id, spec), 'not_allowed');
    expect(refused.message).toContain('Payments vendor has no channel');
  });

  it('the checker acts by the policy itself and is never looked up', async () => {
    t = await createTestContext();
    const { escalation } = await openEscalated(t.ctx);
    const reads = slackDirectory({});
    await authorizeResponder(
      t.ctx,
      escalation.id,
      { actor: SYSTEM_ACTOR, source: 'checker' },
      'auto_escalate',
    );
    expect(reads).toEqual([]);
  });

  it('without a directory (a core wired to no platform) channel membership is not checked, responders are', async () => {
    t = await createTestContext({ policy: withL2Responders(['slack:U0SPEC']) });
    const { escalation } = await openEscalated(t.ctx);
    await expectRefused(claimEscalation(t.ctx, escalation.id, engineer), 'not_allowed');
    t.ctx.policy = examplePolicy();
    expect((await claimEscalation(t.ctx, escalation.id, engineer)).status).toBe('claimed');
  });
});
