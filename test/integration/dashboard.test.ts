import { Resvg } from '@resvg/resvg-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardReport } from '../../src/app/dashboard/dashboard-report.js';
import type { EscalationHistory } from '../../src/app/dashboard/escalation-history.js';
import type { OpenEscalationRow, OpenEscalations } from '../../src/app/dashboard/list-open-escalations.js';
import { buildDigestReport } from '../../src/app/digest/build-report.js';
import { isoWeekContaining, weekBefore } from '../../src/domain/digest/period.js';
import { ACCESS_COOKIE } from '../../src/server/private-access.js';
import { browserMissing, launchChromium, screenshot } from '../support/browser/chromium.js';
import type { Person, PlatformDriver, StoryCard } from '../support/story/platform-driver.js';
import { SlackDriver } from '../support/story/slack-driver.js';
import { storyPolicy } from '../support/story/story-policy.js';
import { StoryWorld } from '../support/story/story-world.js';
import { TeamsDriver } from '../support/story/teams-driver.js';

const MINUTE = 60_000;

/** Slack cards show people as mentions; the dashboard shows the names Slack gave for them. */
const SLACK_NAMES: Record<string, string> = {
  U0ALICE: 'Alice Agent',
  U0BOB: 'Bob Specialist',
  U0CAROL: 'Carol Specialist',
};

function nameOf(chat: PlatformDriver, who: Person): string {
  return chat.platform === 'slack' ? SLACK_NAMES[who.id.replace('slack:', '')]! : who.shownAs;
}

type OpenAnswer = Omit<OpenEscalations, 'escalations'> & {
  escalations: Array<OpenEscalationRow & { threadUrl: string }>;
};
type HistoryAnswer = EscalationHistory & { escalation: { threadUrl: string | null } };
/** What the API answers a request it refuses. */
type Refusal = { error: string };

/** GET as the page does; `T` is the answer's shape as the use case declares it. */
async function getJson<T>(world: StoryWorld, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${world.app.url}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

async function startWorld(layout: 'slack' | 'teams', options: { dashboardToken?: string } = {}) {
  const world = await StoryWorld.start(storyPolicy(layout), options);
  for (const [id, name] of Object.entries(SLACK_NAMES)) {
    world.slackApi.addUser({ id, name: name.toLowerCase(), realName: name, displayName: name });
  }
  const chat: PlatformDriver = layout === 'slack' ? new SlackDriver(world) : new TeamsDriver(world);
  await chat.prepare();
  return { world, chat };
}

async function escalate(chat: PlatformDriver, text: string, seen: StoryCard[], priority = 'P2') {
  const thread = await chat.customerPosts(text);
  expect(await chat.escalateWithForm(thread, { reason: `Needs L2: ${text}`, priority })).toEqual({});
  const card = await chat.waitForCard(chat.channel('l2'), seen);
  seen.push(card);
  return { thread, card };
}

/**
 * The dashboard through the real stack: escalations made by people on Slack and on Teams, read back
 * over HTTP from `/dashboard/api/…` as the page reads them.
 */
describe.each([
  ['Slack', 'slack' as const],
  ['Teams', 'teams' as const],
])('%s: the dashboard', (_name, layout) => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  beforeEach(async () => {
    ({ world, chat } = await startWorld(layout));
  });
  afterEach(async () => {
    await world.stop();
  });

  it('lists open and claimed escalations with the deadline that runs, counting down to "overdue by"', async () => {
    const { specialist } = chat.people;
    const seen: StoryCard[] = [];
    const waiting = await escalate(chat, 'Login page shows error E-503 since this morning', seen);
    const claimed = await escalate(chat, 'Order A-1042 was charged twice, please refund', seen);
    await chat.click(claimed.card, 'claim', specialist);
    await chat.waitForCardText(claimed.card, `Claimed by ${specialist.shownAs}`);
    const done = await escalate(chat, 'Invoice 77 has the wrong VAT number', seen);
    await chat.click(done.card, 'resolve', specialist, { note: 'Fixed the VAT number.', rootCause: 'other' });
    await chat.waitForCardText(done.card, `Resolved by ${specialist.shownAs}`);

    const w = (await world.store.escalations.get(waiting.card.escalationId))!;
    const c = (await world.store.escalations.get(claimed.card.escalationId))!;
    const { status, body } = await getJson<OpenAnswer>(world, '/dashboard/api/open');
    expect(status).toBe(200);
    expect(body.now).toBe(world.clock.now().toISOString());
    const rows = body.escalations;
    expect(rows.map((r) => r.id).sort()).toEqual([w.id, c.id].sort()); // the resolved one is gone

    const open = rows.find((r) => r.id === w.id)!;
    expect(open).toMatchObject({
      number: w.number,
      title: 'Needs L2: Login page shows error E-503 since this morning',
      trigger: { kind: 'manual', label: 'Manual' },
      path: 'tech',
      level: { index: 0, name: 'L2 Tech' },
      priority: 'P2',
      status: 'open',
      claimedBy: null,
      createdBy: { id: chat.people.agent.id, name: nameOf(chat, chat.people.agent) },
      clock: { kind: 'claim', dueAt: w.ackDueAt!.toISOString(), overdue: false },
      thread: { channel: chat.channel('support') },
    });
    // Mentions in the evidence come out as names: a page has no native mentions.
    expect(open.evidence).toContain(`by ${nameOf(chat, chat.people.agent)}`);
    expect(open.clock!.remainingMs).toBe(w.ackDueAt!.getTime() - world.clock.now().getTime());
    expect(open.clock!.text).toMatch(/left$/);
    expect(open.threadUrl).toMatch(
      layout === 'slack'
        ? /^https:\/\/slack\.com\/archives\/C0SUPPORT\/p\d+$/
        : /^https:\/\/teams\.microsoft\.com\/l\/message\//,
    );

    const mine = rows.find((r) => r.id === c.id);
    expect(mine).toMatchObject({
      status: 'claimed',
      claimedBy: { id: specialist.id, name: nameOf(chat, specialist) },
      clock: { kind: 'resolve', dueAt: c.resolveDueAt!.toISOString(), overdue: false },
    });

    // 12 minutes past the claim deadline, the unclaimed one is overdue (the checker has not run).
    world.clock.set(new Date(w.ackDueAt!.getTime() + 12 * MINUTE));
    const later = (await getJson<OpenAnswer>(world, '/dashboard/api/open')).body.escalations;
    const overdue = later.find((r) => r.id === w.id)!;
    expect(overdue.clock).toMatchObject({ kind: 'claim', overdue: true, text: 'overdue by 12m' });
    expect(overdue.ageMs).toBe(world.clock.now().getTime() - w.createdAt.getTime());
    // The most urgent first: the overdue claim before the claimed one's resolve deadline.
    expect(later[0]!.id).toBe(w.id);
  });

  it("shows one escalation's history oldest first, with names and sources", async () => {
    const { specialist, agent } = chat.people;
    const { card } = await escalate(chat, 'Order A-1042 was charged twice, $1,250', []);
    await chat.click(card, 'claim', specialist);
    await chat.waitForCardText(card, `Claimed by ${specialist.shownAs}`);
    await chat.click(card, 'resolve', specialist, {
      note: 'Refunded the duplicate charge.',
      rootCause: 'authority_gap',
    });
    await chat.waitForCardText(card, `Resolved by ${specialist.shownAs}`);

    const { status, body } = await getJson<HistoryAnswer>(
      world,
      `/dashboard/api/escalations/${card.escalationId}`,
    );
    expect(status).toBe(200);
    expect(body.escalation).toMatchObject({
      id: card.escalationId,
      status: 'resolved',
      level: { name: 'L2 Tech' },
      claimedBy: { name: nameOf(chat, specialist) },
      resolvedBy: { name: nameOf(chat, specialist) },
      rootCause: { cause: 'authority_gap', label: 'Authority gap' },
      resolutionNote: 'Refunded the duplicate charge.',
      clock: null,
    });
    expect(body.events.map((e) => [e.action, e.what, e.who.id, e.who.name, e.source, e.detail])).toEqual([
      [
        'open',
        'created',
        agent.id,
        nameOf(chat, agent),
        layout,
        'Needs L2: Order A-1042 was charged twice, $1,250',
      ],
      ['claim', 'claimed', specialist.id, nameOf(chat, specialist), layout, null],
      [
        'resolve',
        'resolved',
        specialist.id,
        nameOf(chat, specialist),
        layout,
        'Authority gap: Refunded the duplicate charge.',
      ],
    ]);
    const times = body.events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(body.chain).toEqual([expect.objectContaining({ id: card.escalationId, relation: 'this' })]);
  });
});

describe('the dashboard on one Slack workspace', () => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  beforeEach(async () => {
    ({ world, chat } = await startWorld('slack'));
  });
  afterEach(async () => {
    await world.stop();
  });

  it('links the steps of an issue: escalated further, and auto-escalated by the checker', async () => {
    const { card: l2 } = await escalate(chat, 'The API returns error 502 on every call', []);
    await chat.click(l2, 'escalate_further', chat.people.specialist);
    const l3 = await chat.waitForCard(chat.channel('l3'));

    const first = (await getJson<HistoryAnswer>(world, `/dashboard/api/escalations/${l2.escalationId}`)).body;
    expect(first.chain.map((c) => [c.id, c.relation, c.status])).toEqual([
      [l2.escalationId, 'this', 'superseded'],
      [l3.escalationId, 'next', 'open'],
    ]);
    expect(first.events.map((e) => e.what)).toEqual(['created', 'escalated further']);
    const second = (await getJson<HistoryAnswer>(world, `/dashboard/api/escalations/${l3.escalationId}`))
      .body;
    expect(second.chain.map((c) => c.relation)).toEqual(['parent', 'this']);
    expect(second.escalation.level.name).toBe('L3 Engineering');

    // Unclaimed past L3's ackWithin: L3 is the top of the path, so the checker reminds instead.
    const e = (await world.store.escalations.get(l3.escalationId))!;
    await world.tick(e.ackDueAt!.getTime() - world.clock.now().getTime() + MINUTE);
    const after = (await getJson<HistoryAnswer>(world, `/dashboard/api/escalations/${l3.escalationId}`)).body;
    const checker = after.events.filter((x) => x.source === 'checker');
    expect(checker.length).toBeGreaterThan(0);
    expect(checker[0]!.who.name).toBe('Escalator');
  });

  it('gives the digest figures of a week exactly as the digest report builder computes them', async () => {
    const seen: StoryCard[] = [];
    const { card } = await escalate(chat, 'Order A-1042 was charged twice', seen);
    await chat.click(card, 'claim', chat.people.specialist);
    await chat.waitForCardText(card, 'Claimed by');
    world.clock.advance(20 * MINUTE);
    await chat.click(card, 'resolve', chat.people.specialist, {
      note: 'Refunded.',
      rootCause: 'knowledge_gap',
    });
    await chat.waitForCardText(card, 'Resolved by');
    await escalate(chat, 'Cannot log in since the upgrade', seen);

    const { timezone } = world.policy;
    const period = isoWeekContaining(world.clock.now(), timezone);
    const expected = await buildDigestReport(world.store, {
      period,
      previousPeriod: weekBefore(period, timezone),
      path: null,
      timeZone: timezone,
      now: world.clock.now(),
    });
    const json = <T>(value: T): T => JSON.parse(JSON.stringify(value));

    for (const asked of ['this+week', period.label]) {
      const { status, body } = await getJson<DashboardReport>(world, `/dashboard/api/digest?period=${asked}`);
      expect(status).toBe(200);
      expect(body.period.label).toBe(period.label);
      expect(body.previousPeriod.label).toBe(weekBefore(period, timezone).label);
      expect(body.metrics).toEqual(json({ current: expected.current, previous: expected.previous }));
      expect(body.chart).toEqual(json(expected.chart));
      expect(body.rootCauses).toEqual([
        expect.objectContaining({ cause: 'knowledge_gap', label: 'Knowledge gap', count: 1, share: 1 }),
      ]);
      expect(body.levels).toEqual([
        expect.objectContaining({ label: 'L2 Tech', resolved: 1, p50Ms: 20 * MINUTE, p90Ms: 20 * MINUTE }),
      ]);
    }
    const { body } = await getJson<DashboardReport>(world, `/dashboard/api/digest?period=${period.label}`);
    const figures = Object.fromEntries(body.figures.map((f) => [f.name, f]));
    expect(Object.keys(figures)).toEqual([
      'escalation-rate',
      'escalations',
      'time-to-claim',
      'time-to-resolve',
      'sla-compliance',
      'reescalation-rate',
      'bounce-rate',
      'csat',
    ]);
    expect(figures.escalations).toMatchObject({ value: '2', previous: '0', change: '▲ 2' });
    expect(figures['escalation-rate']?.value).toBe('100% of 2 issues');
    expect(figures['time-to-resolve']?.value).toBe('20m / p90 20m');

    // One path only: the same builder, limited to the path.
    const tech = (await getJson<DashboardReport>(world, `/dashboard/api/digest?period=this+week&path=tech`))
      .body;
    const techReport = await buildDigestReport(world.store, {
      period,
      previousPeriod: weekBefore(period, timezone),
      path: 'tech',
      timeZone: timezone,
      now: world.clock.now(),
    });
    expect(tech.path).toBe('tech');
    expect(tech.metrics.current).toEqual(json(techReport.current));
    const management = (
      await getJson<DashboardReport>(world, `/dashboard/api/digest?period=this+week+management`)
    ).body;
    expect(management.metrics.current.escalations).toBe(0);
  });

  it('serves the digest chart as an SVG a renderer can draw, and as a PNG', async () => {
    await escalate(chat, 'Order A-1042 was charged twice', []);
    const svg = await fetch(`${world.app.url}/dashboard/api/chart.svg?period=this+week`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    const text = await svg.text();
    expect(text).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text).toContain('Manual'); // the trigger's series in the legend
    const drawn = new Resvg(text).render();
    expect([drawn.width, drawn.height]).toEqual([720, 360]);

    const png = await fetch(`${world.app.url}/dashboard/api/chart.png?period=this+week`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('answers a period it cannot read with 400 and what to type', async () => {
    for (const [period, says] of [
      ['next+month', '"next month" is neither a week nor a path'],
      ['2026-W60', '2026-W60 is not a week of that year'],
      ['2999-W01', '2999-W01 has not started yet'],
      ['last+week+nowhere', '"nowhere" is neither a week nor a path'],
    ] as const) {
      for (const endpoint of ['digest', 'chart.svg']) {
        const { status, body } = await getJson<Refusal>(world, `/dashboard/api/${endpoint}?period=${period}`);
        expect(status).toBe(400);
        expect(body.error).toContain(says);
        expect(body.error).toContain('`last week`');
        expect(body.error).toContain('2026-W14');
      }
    }
  });

  it("serves the page, its script and style, on /dashboard and on an escalation's address", async () => {
    const { card } = await escalate(chat, 'Order A-1042 was charged twice', []);
    for (const path of ['/dashboard', '/dashboard/', `/dashboard/escalations/${card.escalationId}`]) {
      const page = await fetch(`${world.app.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      for (const testId of [
        'period-input',
        'period-apply',
        'chart-escalations-per-day',
        'chart-root-causes',
      ]) {
        expect(html).toContain(`data-testid="${testId}"`);
      }
      expect(html).toContain('src="/dashboard/dashboard.js"');
    }
    const script = await fetch(`${world.app.url}/dashboard/dashboard.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("const API = '/dashboard/api';");
    const style = await fetch(`${world.app.url}/dashboard/dashboard.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');

    const missing = await getJson<Refusal>(world, '/dashboard/api/escalations/esc_nothere');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toContain('esc_nothere');
    expect((await getJson<Refusal>(world, '/dashboard/api/nothing')).status).toBe(404);
    const post = await fetch(`${world.app.url}/dashboard/api/open`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('refuses a request forwarded from another machine when no token is set', async () => {
    const forwarded = await fetch(`${world.app.url}/dashboard/api/open`, {
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(forwarded.status).toBe(403);
    expect(await forwarded.text()).toContain('DASHBOARD_TOKEN');
    const page = await fetch(`${world.app.url}/dashboard`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(page.status).toBe(403);
    expect((await fetch(`${world.app.url}/dashboard/api/open`)).status).toBe(200);
  });
});

describe('the dashboard with DASHBOARD_TOKEN', () => {
  const TOKEN = 'dashboard-token-for-tests';
  let world: StoryWorld;
  beforeEach(async () => {
    ({ world } = await startWorld('slack', { dashboardToken: TOKEN }));
  });
  afterEach(async () => {
    await world.stop();
  });

  it('asks for the token, takes it as a bearer, or once in the address and then as a cookie', async () => {
    const url = `${world.app.url}/dashboard/api/open`;
    const without = await fetch(url);
    expect(without.status).toBe(401);
    expect(await without.text()).toContain('?token=');
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);

    const once = await fetch(`${world.app.url}/dashboard?period=last+week&token=${TOKEN}`, {
      redirect: 'manual',
    });
    expect(once.status).toBe(303);
    expect(once.headers.get('location')).toBe('/dashboard?period=last+week');
    const cookie = once.headers.get('set-cookie')!;
    expect(cookie).toContain(`${ACCESS_COOKIE}=`);
    expect(cookie).toContain('HttpOnly');
    const withCookie = await fetch(url, { headers: { cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
    expect(((await withCookie.json()) as OpenAnswer).escalations).toEqual([]);
    // The token counts from anywhere, forwarded or not.
    const forwarded = await fetch(url, {
      headers: { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '203.0.113.9' },
    });
    expect(forwarded.status).toBe(200);
  });
});

describe.skipIf(browserMissing)('the dashboard in a browser', () => {
  let world: StoryWorld;
  let chat: PlatformDriver;
  beforeEach(async () => {
    ({ world, chat } = await startWorld('slack'));
  });
  afterEach(async () => {
    await world.stop();
  });

  it('shows the rows with live countdowns, the history on a click, the figures and charts, and text as text', async () => {
    const seen: StoryCard[] = [];
    const hostile = '<img src=x data-pwned=1> Order A-1042 was charged twice';
    // P1 runs on the calendar clock: 30 minutes to claim, whatever the hour.
    const { card } = await escalate(chat, hostile, seen, 'P1');
    const other = await escalate(chat, 'Cannot log in since the upgrade', seen);
    await chat.click(other.card, 'claim', chat.people.specialist);
    await chat.waitForCardText(other.card, 'Claimed by');
    await chat.click(other.card, 'resolve', chat.people.specialist, {
      note: 'Reset SSO.',
      rootCause: 'system_issue',
    });
    await chat.waitForCardText(other.card, 'Resolved by');
    const e = (await world.store.escalations.get(card.escalationId))!;

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
      });
      // The page's own clock is driven by the test; the countdown follows the server's time.
      await page.clock.install({ time: new Date() });
      await page.goto(`${world.app.url}/dashboard`);

      const row = page.getByTestId('open-escalation');
      await row.first().waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.first().textContent()).toContain(`Needs L2: ${hostile}`);
      expect(await page.locator('[data-pwned]').count()).toBe(0);
      const clock = row.first().getByTestId('sla-clock');
      const remaining = e.ackDueAt!.getTime() - world.clock.now().getTime();
      expect(await clock.textContent()).toMatch(/^\d+m \d\ds left$/);
      const before = await clock.textContent();
      await page.clock.runFor(2000);
      expect(await clock.textContent()).not.toBe(before); // counting down without a reload

      // Past the deadline on the server: the next poll turns the clock red.
      world.clock.advance(remaining + 12 * MINUTE);
      await page.clock.runFor(11_000);
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="sla-clock"]')?.textContent?.startsWith('overdue by 12m'),
      );
      expect(await clock.getAttribute('class')).toContain('overdue');

      const figure = page.getByTestId('figure-escalations');
      await figure.waitFor();
      expect(await figure.textContent()).toContain('2');
      expect(await page.getByTestId('chart-root-causes').textContent()).toContain('System issue');
      expect(await page.getByTestId('chart-level-resolve').textContent()).toContain('L2 Tech');
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('[data-testid="chart-escalations-per-day"] img');
        return img?.complete && img.naturalWidth > 0;
      });

      await row.first().click();
      await page.getByTestId('history-event').first().waitFor();
      expect(page.url()).toBe(`${world.app.url}/dashboard/escalations/${card.escalationId}?period=this+week`);
      expect(await page.getByTestId('history-event').count()).toBe(1);
      expect(await page.getByTestId('history-event').first().textContent()).toContain('Alice Agent');

      await screenshot(page, 'dashboard');
      expect(problems).toEqual([]);

      await page.getByTestId('period-input').fill('next month');
      await page.getByTestId('period-apply').click();
      await page.getByText('is neither a week nor a path').waitFor();
    } finally {
      await browser.close();
    }
  });
});
