import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_CHART_HEIGHT, DIGEST_CHART_WIDTH } from '../../adapters/chart/render-digest-chart.js';
import { isoWeekContaining, weekBefore } from '../../src/domain/digest/period.js';
import { instantAtLocalTime, localDateOf } from '../../src/domain/sla-clock.js';
import { readPng } from '../support/core/read-png.js';
import { eventually } from '../support/story/eventually.js';
import type { PlatformDriver, StoryThread } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The weekly digest for team leads, on Slack and on Teams: posted once on Monday 09:00 (policy
 * timezone) with last week's figures, an example thread and the chart; never twice across
 * restarts; a run missed while Escalator was down is caught up; a lead can ask for the full report.
 */
describe.each([
  ['Slack', 'slack' as const, (w: StoryWorld) => new SlackDriver(w)],
  ['Teams', 'teams' as const, (w: StoryWorld) => new TeamsDriver(w)],
])('%s: the weekly digest', (_name, layout, makeDriver) => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  let leads: string;
  /** 09:00 on the Monday after the week the story happens in: when "0 9 * * mon" fires. */
  let nextMonday9: number;
  let thisWeek: string;

  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy(layout));
    chat = makeDriver(world);
    await chat.prepare();
    leads = chat.channel('leads');
    const tz = world.policy.timezone;
    const week = isoWeekContaining(world.clock.now(), tz);
    thisWeek = week.label;
    nextMonday9 = instantAtLocalTime(localDateOf(week.to, tz), '09:00', tz).getTime();
  });
  afterEach(async () => {
    await world.stop();
  });

  /** An escalation claimed after 10 minutes and resolved (knowledge gap) an hour in, rated 5; and one left open. */
  async function aWeekOfEscalations(): Promise<StoryThread> {
    const { specialist, customer } = chat.people;
    const resolved = await chat.customerPosts(
      'Order A-1042 was charged twice, $1,250. Please fix this today.',
    );
    expect(await chat.escalateWithForm(resolved, { reason: 'Refund rules', why: 'knowledge_gap' })).toEqual(
      {},
    );
    const card = await chat.waitForCard(chat.channel('l2'));
    world.clock.advance(10 * MINUTE);
    await chat.click(card, 'claim', specialist);
    await chat.waitForCardText(card, `Claimed by ${specialist.shownAs}`);
    world.clock.advance(50 * MINUTE);
    await chat.click(card, 'resolve', specialist, {
      note: 'Refunded the duplicate.',
      rootCause: 'knowledge_gap',
    });
    await chat.waitForCardText(card, `Resolved by ${specialist.shownAs}`);
    await chat.csatPrompt(resolved);
    await chat.rateCsat(resolved, customer, 5);

    const open = await chat.customerPosts('Login page shows error E-503 since this morning');
    expect(await chat.escalateWithForm(open, { reason: 'Needs engineering' })).toEqual({});
    await chat.waitForCard(chat.channel('l2'), [card]);
    return resolved;
  }

  it('posts last week on Monday 09:00 with its figures, an example thread and the chart, once across a restart', async () => {
    const example = await aWeekOfEscalations();

    world.clock.set(new Date(nextMonday9 - MINUTE));
    await world.digestTick();
    expect(chat.digestsPosted(leads)).toBe(0);

    world.clock.set(new Date(nextMonday9));
    await world.digestTick();
    const digest = await chat.digestOf(leads);
    for (const expected of [
      `Escalation digest · ${thisWeek}`,
      '2 escalations',
      'from 2 new issues',
      '(▲ 2)', // the week before had none
      'Knowledge gap: 1 (100%)',
      'Time to claim (median)',
      '10m',
      '1h',
      '5.0 / 5',
      '1 answers (100%)',
      'L2 Tech',
      layout === 'slack' ? `/escalation-digest ${thisWeek}` : `@Escalator digest ${thisWeek}`,
    ]) {
      expect(digest.text).toContain(expected);
    }
    // The example of the top root cause links to its thread.
    expect(digest.text).toContain(
      layout === 'slack' ? `p${example.rootId.replace('.', '')}` : example.rootId,
    );
    const png = readPng(digest.png);
    expect([png.width, png.height]).toEqual([DIGEST_CHART_WIDTH, DIGEST_CHART_HEIGHT]);

    // A restart in the middle of the schedule (the start catches up missed runs) and a later run
    // the same morning send nothing again.
    await world.app.stop();
    await world.boot();
    world.clock.advance(HOUR);
    await world.digestTick();
    expect(chat.digestsPosted(leads)).toBe(1);

    // The next Monday brings the next week, compared with this one.
    world.clock.set(new Date(nextMonday9 + 7 * DAY));
    await world.digestTick();
    await eventually(() => chat.digestsPosted(leads) === 2, 'the second weekly digest');
    const next = weekBefore(
      isoWeekContaining(world.clock.now(), world.policy.timezone),
      world.policy.timezone,
    );
    expect(await world.store.digests.find(next.label, 'all')).toMatchObject({ channels: [leads] });
  });

  it('catches up a run missed while Escalator was down, exactly once', async () => {
    await aWeekOfEscalations();
    await world.app.stop();
    world.clock.set(new Date(nextMonday9 + 2.5 * HOUR));
    await world.boot(); // the start runs the digest job once
    await world.app.dispatcher.kick();
    const digest = await chat.digestOf(leads);
    expect(digest.text).toContain(`Escalation digest · ${thisWeek}`);

    await world.app.stop();
    await world.boot();
    await world.digestTick();
    expect(chat.digestsPosted(leads)).toBe(1);
  });

  it('answers a lead on demand with the full report, and says what to fix in a bad request', async () => {
    await aWeekOfEscalations();
    const lead = chat.people.otherSpecialist;

    const report = await chat.askForDigest(lead, 'this week');
    for (const expected of [
      `Escalation digest · ${thisWeek}`,
      'By level',
      'L2 Tech',
      'By trigger',
      'Manual',
      'Root causes',
    ]) {
      expect(report).toContain(expected);
    }
    const tech = await chat.askForDigest(lead, `${thisWeek} tech`);
    expect(tech).toContain('path tech');
    expect(tech).toContain('2 escalations');
    const billing = await chat.askForDigest(lead, `${thisWeek} management`);
    expect(billing).toContain('0 escalations');

    const confused = await chat.askForDigest(lead, 'next year');
    expect(confused).toContain('is neither a week nor a path');
    expect(confused).toContain('Paths: tech, management, vendors');
    expect(await chat.askForDigest(lead, '2026-W60')).toContain('2026-W60 is not a week of that year');
    // Asking is a read: nothing was posted to the leads channel.
    expect(chat.digestsPosted(leads)).toBe(0);
  });
});

/** How the Slack digest survives a broken upload: retried whole, or sent without its picture. */
describe('Slack: delivering the digest', () => {
  let world: StoryWorld;
  let chat: SlackDriver;
  let mondayAfter: Date;

  beforeEach(async () => {
    world = await StoryWorld.start(storyPolicy('slack'));
    chat = new SlackDriver(world);
    const thread = await chat.customerPosts('Order A-1042 was charged twice.');
    expect(await chat.escalateWithForm(thread, { reason: 'Refund rules' })).toEqual({});
    await chat.waitForCard(chat.channel('l2'));
    const tz = world.policy.timezone;
    const week = isoWeekContaining(world.clock.now(), tz);
    mondayAfter = instantAtLocalTime(localDateOf(week.to, tz), '09:30', tz);
  });
  afterEach(async () => {
    await world.stop();
  });

  it('retries a failed chart upload without posting half a digest', async () => {
    world.slackApi.failNext('files.upload', { status: 503 });
    world.clock.set(mondayAfter);
    await world.digestTick();
    // The upload failed, so nothing was shared yet: no message without its chart.
    expect(chat.digestsPosted('slack:C0LEADS')).toBe(0);
    expect(world.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0LEADS')).toEqual(
      [],
    );

    world.clock.advance(10 * MINUTE); // past the outbox backoff
    await world.app.dispatcher.kick();
    await eventually(() => chat.digestsPosted('slack:C0LEADS') === 1, 'the retried digest');
    const shared = world.slackApi.files.filter((f) => f.completed);
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({ channel: 'C0LEADS' });
    expect(readPng(shared[0]!.bytes!).width).toBe(DIGEST_CHART_WIDTH);
  });

  it('posts the figures without the chart when the app lacks files:write, and says how to fix it', async () => {
    world.slackApi.failNext('files.getUploadURLExternal', {
      error: 'missing_scope',
      extra: { needed: 'files:write' },
    });
    world.clock.set(mondayAfter);
    await world.digestTick();
    const post = await world.slackApi.waitFor('chat.postMessage', (args) => args.channel === 'C0LEADS');
    const text = JSON.stringify(post.args.blocks);
    expect(text).toContain('Escalation digest');
    expect(text).toContain('add the files:write scope to the Slack app');
    expect(chat.digestsPosted('slack:C0LEADS')).toBe(0);
  });
});
