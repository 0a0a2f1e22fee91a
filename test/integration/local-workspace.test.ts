import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../adapters/local/message-view.js';
import { erasePerson } from '../../src/app/erase-person.js';
import {
  ALEX,
  CASEY,
  JORDAN,
  L2,
  LEADS,
  LocalWorld,
  openEvents,
  RILEY,
  SAM,
  SUPPORT,
} from '../support/local/local-world.js';

const worlds: LocalWorld[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.stop();
});

async function start(mountedAt: '/' | '/local' = '/'): Promise<LocalWorld> {
  const world = await new LocalWorld(mountedAt).boot();
  worlds.push(world);
  return world;
}

describe('the local workspace, with no Slack and no Teams credentials', () => {
  it('describes the simulated channels: support first, then the levels, then the digest', async () => {
    const world = await start();
    const workspace = (await world.get('/local/api/workspace')).json();
    expect(workspace.channels.map((c: { id: string }) => c.id)).toEqual([
      SUPPORT,
      'slack:C0L2',
      'slack:C0L3',
      LEADS,
      'slack:C0HEAD',
    ]);
    expect(workspace.channels[0]).toMatchObject({ kind: 'support', path: 'tech' });
    expect(workspace.channels[1]).toMatchObject({
      name: 'L2 Tech',
      kind: 'escalation',
      path: 'tech',
      level: 1,
    });
    expect(workspace.people).toContainEqual(
      expect.objectContaining({ id: CASEY, name: 'Casey Customer', role: 'customer' }),
    );
    expect(workspace.people).toContainEqual(
      expect.objectContaining({ id: SAM, name: 'Sam Specialist', role: 'agent' }),
    );
    expect(workspace.rootCauses).toContainEqual({ id: 'system_issue', label: 'System issue' });
    expect(workspace.paths.map((p: { name: string }) => p.name)).toEqual(['tech', 'management', 'vendors']);
  });

  it('a customer asking for a manager gets a card to the team lead; claim, resolve, notes and a CSAT rating follow', async () => {
    const world = await start();
    const asked = await world.say(CASEY, SUPPORT, 'My invoice is wrong again. Can I speak to your manager?');
    expect(asked.status).toBe(200);
    const root = asked.body.message as MessageView;
    expect(root).toMatchObject({
      channel: SUPPORT,
      threadId: null,
      kind: 'text',
      author: { name: 'Casey Customer', role: 'customer' },
    });

    await world.tick();
    const [card] = await world.messages(LEADS);
    expect(card?.kind).toBe('card');
    expect(card?.card?.title).toMatch(/#1/);
    expect(card?.card?.actions.map((a) => a.id)).toContain('claim');
    // The link on the card opens the customer's thread here, not on slack.com.
    expect(card?.card?.links[0]?.url).toBe(`/local/threads/${encodeURIComponent(SUPPORT)}/${root.id}`);
    const escalationId = card!.card!.actions[0]!.escalationId;

    expect(
      await world.act({ messageId: card!.id, escalationId, action: 'claim', personId: RILEY }),
    ).toMatchObject({
      status: 200,
      body: { done: true, status: 'claimed' },
    });
    const second = await world.act({ messageId: card!.id, escalationId, action: 'claim', personId: SAM });
    expect(second.body.done).toBe(false);
    expect(second.body.reply).toMatch(/already claimed by Riley Lead/);

    const [claimed] = await world.messages(LEADS);
    expect(claimed?.card?.status).toMatch(/Riley Lead/);

    const noCause = await world.act({
      escalationId,
      action: 'resolve',
      personId: RILEY,
      inputs: { note: 'Refunded' },
    });
    expect(noCause.body).toMatchObject({ done: false, reply: expect.stringMatching(/root cause/i) });
    const resolved = await world.act({
      escalationId,
      action: 'resolve',
      personId: RILEY,
      inputs: { note: 'Refunded the double charge', rootCause: 'system_issue' },
    });
    expect(resolved.body).toEqual({ done: true, status: 'resolved' });

    const thread = await world.messages(SUPPORT, root.id);
    const notes = thread.filter((m) => m.kind === 'note').map((m) => m.text);
    expect(notes).toEqual([
      expect.stringMatching(/Escalated to \*Team lead\* as #1/),
      expect.stringMatching(/Riley Lead \(Team lead\) claimed escalation #1/),
      expect.stringMatching(/resolved by Riley Lead: Refunded the double charge/),
    ]);
    const prompt = thread.find((m) => m.kind === 'csat');
    expect(prompt?.csat).toEqual({ escalationId, number: 1 });

    const rated = await world.post('/local/api/csat', { escalationId, score: 4, personId: CASEY });
    expect(rated.body).toEqual({ done: true, reply: expect.stringMatching(/Casey Customer rated 4\/5/) });
    const again = await world.post('/local/api/csat', { escalationId, score: 1, personId: JORDAN });
    expect(again.body.done).toBe(false);
    expect((await world.messages(SUPPORT, root.id)).find((m) => m.kind === 'csat')?.csat?.score).toBe(4);
    expect(await world.app.ctx.store.csat.forEscalation(escalationId)).toMatchObject({
      score: 4,
      respondent: CASEY,
    });
    expect((await world.messages(SUPPORT)).find((m) => m.id === root.id)?.replyCount).toBe(thread.length - 1);
  });

  it('/escalate in a thread makes a card; commands are answered privately and never posted', async () => {
    const world = await start();
    const root = (await world.say(CASEY, SUPPORT, 'The export button does nothing since this morning.')).body
      .message;
    await world.say(ALEX, SUPPORT, 'Looking into it now.', root.id);

    const escalated = await world.say(ALEX, SUPPORT, '/escalate P2 export broken for this customer', root.id);
    expect(escalated.body.reply).toMatchObject({
      kind: 'ephemeral',
      visibleTo: ALEX,
      text: expect.stringMatching(/Escalated to L2 Tech as #1 \(P2\)\. The card is in #L2 Tech/),
    });
    await world.deliver();
    const [card] = await world.messages(L2);
    expect(card?.card?.title).toMatch(/#1/);
    expect(card?.card?.status).toBeDefined();

    // The reply is Alex's alone, and the command itself is not in the thread.
    const asAlex = await world.messages(SUPPORT, root.id, ALEX);
    const asCasey = await world.messages(SUPPORT, root.id, CASEY);
    expect(asAlex.filter((m) => m.kind === 'ephemeral')).toHaveLength(1);
    expect(asCasey.filter((m) => m.kind === 'ephemeral')).toHaveLength(0);
    expect(asAlex.some((m) => m.text?.includes('/escalate'))).toBe(false);

    const again = await world.say(ALEX, SUPPORT, '@Escalator escalate still broken', root.id);
    expect(again.body.reply.text).toMatch(/already escalated as #1 \(L2 Tech, waiting to be claimed\)/);

    const bad = await world.say(ALEX, SUPPORT, '/escalte now', root.id);
    expect(bad.body.reply.text).toMatch(
      /does not know "\/escalte"[\s\S]*\/escalate \[to <path>\] \[P1-P4\] <reason>/,
    );
    const noReason = await world.say(ALEX, SUPPORT, '/escalate', root.id);
    expect(noReason.body.reply.text).toMatch(/Say why you are escalating/);
    const outside = await world.say(ALEX, SUPPORT, '/escalate refund please');
    expect(outside.body.reply.text).toMatch(/inside the customer's thread/);
  });

  it('a retried POST with the same clientId stores one message and tracks it once', async () => {
    const world = await start();
    const first = await world.say(JORDAN, SUPPORT, 'Where is my parcel?', undefined, 'same-id');
    const second = await world.say(JORDAN, SUPPORT, 'Where is my parcel?', undefined, 'same-id');
    expect(second.body.message.id).toBe(first.body.message.id);
    expect(await world.messages(SUPPORT)).toHaveLength(1);
    const issue = await world.app.ctx.store.issues.findByThread(SUPPORT, first.body.message.id);
    expect(issue?.messageCount).toBe(1);
    expect(issue?.customerId).toBe(JORDAN);

    const command = await world.say(ALEX, SUPPORT, '/escalation-digest next year', undefined, 'cmd-1');
    const repeated = await world.say(ALEX, SUPPORT, '/escalation-digest next year', undefined, 'cmd-1');
    expect(repeated.body.reply.id).toBe(command.body.reply.id);
    expect(
      (await world.messages(SUPPORT, undefined, ALEX)).filter((m) => m.kind === 'ephemeral'),
    ).toHaveLength(1);
  });

  it('/escalation-digest answers with the digest card, its chart drawn', async () => {
    const world = await start();
    const answer = await world.say(RILEY, LEADS, '/escalation-digest this week');
    expect(answer.body.reply.card.title).toMatch(/digest/i);
    expect(answer.body.reply.card.chartPng).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(answer.body.reply.card).not.toHaveProperty('chart');
    const wrong = await world.say(RILEY, LEADS, '/escalation-digest someday');
    expect(wrong.body.reply.text).toMatch(/"someday" is neither a week nor a path/);
  });

  it('announces a new card on the event stream', async () => {
    const world = await start();
    const { events } = await openEvents(world.app.url);
    const root = (await world.say(CASEY, SUPPORT, 'Can I speak to your manager please?')).body.message;
    await world.tick();
    const [card] = await world.messages(LEADS);
    await expect.poll(() => events).toContainEqual({ channel: LEADS, threadId: null, id: card!.id });
    expect(events).toContainEqual({ channel: SUPPORT, threadId: null, id: root.id });
  });

  it('stop() ends the open event streams instead of waiting for the browsers to leave', async () => {
    const world = await start();
    const { response } = await openEvents(world.app.url);
    const ended = new Promise<void>((resolve) => response.once('end', resolve));
    await world.app.stop();
    await ended;
    expect(response.complete).toBe(true);
  });

  it('bounce back needs a reason; escalate further opens the next level', async () => {
    const world = await start();
    const root = (await world.say(CASEY, SUPPORT, 'Checkout fails with error E42.')).body.message;
    await world.say(ALEX, SUPPORT, '/escalate checkout broken', root.id);
    await world.deliver();
    const [card] = await world.messages(L2);
    const escalationId = card!.card!.actions[0]!.escalationId;
    const bounce = await world.act({ escalationId, action: 'bounce', personId: SAM });
    expect(bounce.body).toMatchObject({
      done: false,
      reply: expect.stringMatching(/Say why you are bouncing/),
    });
    const further = await world.act({
      escalationId,
      action: 'escalate_further',
      personId: SAM,
      inputs: { reason: 'needs a code fix' },
    });
    expect(further.body).toEqual({ done: true, status: 'superseded' });
    const [l3] = await world.messages('slack:C0L3');
    expect(l3?.card?.title).toMatch(/#2/);
    const notes = (await world.messages(SUPPORT, root.id)).filter((m) => m.kind === 'note');
    expect(notes.at(-1)?.text).toMatch(/escalated further to \*L3 Engineering\* as #2 by Sam Specialist/);
  });

  it('the weekly digest is posted to its simulated channel with its chart', async () => {
    const world = await start();
    await world.say(CASEY, SUPPORT, 'The app crashes when I upload a photo.');
    world.clock.set('2026-03-08T22:30:00.000Z'); // Monday 09:30 in Sydney: the digest is due
    await world.app.digest.tick();
    await world.deliver();
    const digest = (await world.messages(LEADS)).find((m) => m.kind === 'card');
    expect(digest?.card?.title).toMatch(/2026-W10/);
    expect(digest?.card?.chartPng).toMatch(/^data:image\/png;base64,/);
  });

  it('keeps the workspace history across a restart', async () => {
    const world = await start();
    const root = (await world.say(CASEY, SUPPORT, 'I want to speak to a manager.')).body.message;
    await world.tick();
    await world.app.stop();
    await world.boot();
    expect((await world.messages(SUPPORT)).map((m) => m.id)).toEqual([root.id]);
    expect(await world.messages(LEADS)).toHaveLength(1);
    // The issue is still tracked: a reply continues it.
    await world.say(ALEX, SUPPORT, 'On it.', root.id);
    expect((await world.app.ctx.store.issues.findByThread(SUPPORT, root.id))?.messageCount).toBe(2);
  });

  it("follows the policy's retention: messages older than 90 days are deleted, recent ones stay", async () => {
    const world = await start();
    const old = (await world.say(CASEY, SUPPORT, 'My card number ends 4242, can I speak to a manager?')).body
      .message;
    world.clock.advance(91 * 24 * 60 * 60_000);
    const recent = (await world.say(JORDAN, SUPPORT, 'Where is my parcel?')).body.message;
    await world.app.retention.tick();
    expect((await world.messages(SUPPORT)).map((m) => m.id)).toEqual([recent.id]);
    const query = new URLSearchParams({ channel: SUPPORT, thread: old.id });
    expect((await world.get(`/local/api/messages?${query}`)).status).toBe(404);
  });

  it('erasing a customer removes what they wrote in the workspace; other threads stay', async () => {
    const world = await start();
    const root = (await world.say(CASEY, SUPPORT, 'I am Casey, my order A-77 never came.')).body.message;
    await world.say(ALEX, SUPPORT, 'Sorry to hear that, checking now.', root.id);
    const other = (await world.say(JORDAN, SUPPORT, 'Where is my parcel?')).body.message;
    await erasePerson(world.app.ctx.store, { personId: CASEY, now: world.clock.now() });
    expect((await world.messages(SUPPORT)).map((m) => m.id)).toEqual([other.id]);
    const query = new URLSearchParams({ channel: SUPPORT, thread: root.id });
    expect((await world.get(`/local/api/messages?${query}`)).status).toBe(404);
  });

  it('serves the page at / and /local, and a thread address opens the same page', async () => {
    const world = await start();
    for (const path of ['/', '/local', `/local/threads/${encodeURIComponent(SUPPORT)}/lm_x`]) {
      const page = await world.get(path);
      expect(page.status).toBe(200);
      expect(page.type).toMatch(/text\/html/);
      expect(page.text).toContain('data-testid="persona-select"');
    }
    const script = await world.get('/local/app.js');
    expect(script.type).toMatch(/javascript/);
    expect((await world.get('/local/nothing-here')).status).toBe(404);
    expect((await world.get('/healthz')).status).toBe(200);
  });

  it('beside real platforms (/local) the front page is not the workspace', async () => {
    const world = await start('/local');
    expect((await world.get('/')).status).toBe(404);
    expect((await world.get('/local')).status).toBe(200);
  });

  it('refuses requests that do not come from this machine', async () => {
    const world = await start();
    const proxied = await world.get('/local/api/workspace', { 'x-forwarded-for': '203.0.113.9' });
    expect(proxied.status).toBe(403);
    expect(proxied.text).toMatch(/DASHBOARD_TOKEN/);
    // A site that resolves its own name to 127.0.0.1 is refused too.
    // (fetch will not send another Host, so this one goes through node:http.)
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        `${world.app.url}/local/api/workspace`,
        { headers: { host: 'evil.example:3000' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
  });

  it('explains bad requests', async () => {
    const world = await start();
    const notJson = await fetch(`${world.app.url}/local/api/messages`, { method: 'POST', body: 'hello' });
    expect(notJson.status).toBe(415);
    expect((await notJson.json()).error).toMatch(/Content-Type: application\/json/);
    const nowhere = await world.say(CASEY, 'slack:C0NOWHERE', 'hi');
    expect(nowhere).toMatchObject({
      status: 404,
      body: { error: expect.stringMatching(/no channel "slack:C0NOWHERE"/) },
    });
    const nobody = await world.say('local:U0NOBODY', SUPPORT, 'hi');
    expect(nobody).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/authorId.*use one of/) },
    });
    const empty = await world.say(CASEY, SUPPORT, '   ');
    expect(empty).toMatchObject({ status: 400, body: { error: expect.stringMatching(/Give text/) } });
    const noThread = await world.say(CASEY, SUPPORT, 'hi', 'lm_missing');
    expect(noThread.status).toBe(404);
    const action = await world.post('/local/api/actions', {
      escalationId: 'esc_x',
      action: 'smash',
      personId: SAM,
    });
    expect(action).toMatchObject({ status: 400, body: { error: expect.stringMatching(/claim, resolve/) } });
    const score = await world.post('/local/api/csat', { escalationId: 'esc_x', score: 7, personId: CASEY });
    expect(score).toMatchObject({ status: 400, body: { error: expect.stringMatching(/1 \(poor\) to 5/) } });
    expect((await world.get('/local/api/messages')).status).toBe(400);
    expect((await world.get('/local/api/nope')).status).toBe(404);
  });
});
