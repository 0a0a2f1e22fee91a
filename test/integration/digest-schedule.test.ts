import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { sendDueDigest } from '../../src/app/digest/send-digest.js';
import { DigestJob } from '../../src/jobs/digest-schedule.js';
import { silentLogger } from '../../src/ports/logger.js';
import { openEscalated } from '../support/core/fixtures.js';
import { readOutbox } from '../support/core/outbox-rows.js';
import { createTestContext, type TestContext } from '../support/core/test-context.js';
import { eventually } from '../support/story/eventually.js';

// The example policy: Australia/Sydney, digest "0 9 * * mon" to slack:C0LEADS.
const WEDNESDAY = '2026-11-25T01:00:00Z'; // Wed 25 Nov 12:00 in Sydney, week 2026-W48
const MONDAY_0901 = '2026-11-29T22:01:00Z'; // Mon 30 Nov 09:01 in Sydney

describe('the digest schedule', () => {
  let t: TestContext;
  afterEach(async () => {
    await t.cleanup();
  });

  it('sends nothing for a week before Escalator watched any thread', async () => {
    t = await createTestContext({ start: MONDAY_0901 });
    expect(await sendDueDigest(t.ctx)).toEqual({ sent: false, why: 'not_watching_yet' });
    await openEscalated(t.ctx); // watching from now on: this week's digest will come next Monday
    expect(await sendDueDigest(t.ctx)).toEqual({ sent: false, why: 'not_watching_yet' });
    expect((await readOutbox(t.dbUrl)).filter((r) => r.effect.kind === 'post_digest')).toEqual([]);
  });

  it('sends a week once when two runs overlap (a restart catching up while cron fires)', async () => {
    t = await createTestContext({ start: WEDNESDAY });
    await openEscalated(t.ctx);
    t.clock.set(MONDAY_0901);
    // Both read "not sent yet" before either writes; the digests row's unique key decides.
    const outcomes = await Promise.all([sendDueDigest(t.ctx), sendDueDigest(t.ctx)]);
    expect(outcomes.filter((o) => o.sent)).toEqual([
      { sent: true, period: '2026-W48', channels: ['slack:C0LEADS'] },
    ]);
    expect(outcomes.filter((o) => !o.sent)).toEqual([{ sent: false, why: 'already_sent' }]);
    const posts = (await readOutbox(t.dbUrl)).filter((r) => r.effect.kind === 'post_digest');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.orderKey).toBe('digest:2026-W48:slack:C0LEADS');
    expect(await sendDueDigest(t.ctx)).toEqual({ sent: false, why: 'already_sent' });
  });

  it('runs on a real cron schedule in the policy timezone', async () => {
    t = await createTestContext({ start: WEDNESDAY });
    await openEscalated(t.ctx);
    t.clock.set(MONDAY_0901);
    // Every second, so the test does not wait for Monday 09:00: what matters is that node-cron
    // calls the job and the job asks the clock and the digests table what is due.
    const ctx: AppContext = {
      ...t.ctx,
      policy: { ...t.policy, digest: { schedule: '* * * * * *', channels: ['slack:C0LEADS'] } },
    };
    const job = new DigestJob(ctx, silentLogger);
    job.start();
    try {
      await eventually(
        async () => (await readOutbox(t.dbUrl)).some((r) => r.effect.kind === 'post_digest'),
        'the scheduled digest run',
      );
    } finally {
      await job.stop();
    }
    expect(await t.store.digests.find('2026-W48', 'all')).toMatchObject({ channels: ['slack:C0LEADS'] });
  });
});
