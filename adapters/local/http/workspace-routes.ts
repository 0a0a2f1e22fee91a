import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { definedPriorities, ROOT_CAUSE_LABELS, ROOT_CAUSES } from '../../../src/domain/policy.js';
import type { Logger } from '../../../src/ports/logger.js';
import { privateAccess } from '../../../src/server/private-access.js';
import { actOnCard, rateEscalation } from '../act-on-card.js';
import { chooseSuggestion } from '../before-escalating.js';
import { pageParam, viewConversation } from '../conversation-view.js';
import { PERSONAS, personaOf } from '../personas.js';
import { postMessage } from '../post-message.js';
import type { Workspace } from '../workspace.js';
import { BadRequest, optionalString, readJsonObject, requiredString, sendJson } from './json-io.js';
import { isPageFile, sendPageFile } from './static-page.js';

export interface RouteOptions {
  /** `/`: the page is also the front page; `/local`: only under `/local`. */
  mountedAt: '/' | '/local';
  /** Without it only this machine may use the workspace (see `privateAccess`). */
  dashboardToken?: string;
  log: Logger;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The local workspace over HTTP: the page at `/local` (and `/` when mounted there), a thread at
 * `/local/threads/<channel>/<thread>`, and the JSON API under `/local/api/`. Every route is behind
 * `privateAccess`: it acts as anyone, so only this machine (or a holder of DASHBOARD_TOKEN) may use it.
 */
export function workspaceRoutes(ws: Workspace, options: RouteOptions): Record<string, RequestListener> {
  const listener = privateAccess((req, res) => {
    handle(ws, options, req, res).catch((error: Error) => {
      if (error instanceof BadRequest) {
        if (!res.headersSent) sendJson(res, error.status, { error: error.message });
        return;
      }
      options.log.error({ path: req.url, error: error.message }, 'local workspace request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'Escalator failed to answer; its log says why.' });
      else res.end();
    });
  }, options.dashboardToken);
  return options.mountedAt === '/' ? { '/': listener, '/local': listener } : { '/local': listener };
}

async function handle(ws: Workspace, options: RouteOptions, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://local');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (options.dashboardToken === undefined && !fromLoopbackName(req)) {
    // A site that points its own name at 127.0.0.1 (DNS rebinding) must not reach the API.
    throw new BadRequest('Open the local workspace as http://localhost:<port>/local.', 403);
  }
  if (path.startsWith('/local/api/')) return api(ws, method, path.slice('/local/api/'.length), url, req, res);
  if (method !== 'GET' && method !== 'HEAD')
    throw new BadRequest(`${method} is not allowed here: use GET.`, 405);
  const page =
    (options.mountedAt === '/' && path === '/') ||
    path === '/local' ||
    path === '/local/' ||
    path.startsWith('/local/threads/');
  if (page) return sendPageFile(res, 'index.html');
  const file = path.startsWith('/local/') ? path.slice('/local/'.length) : '';
  if (isPageFile(file)) return sendPageFile(res, file);
  throw new BadRequest(`Nothing at ${path}. The local workspace is at /local.`, 404);
}

async function api(
  ws: Workspace,
  method: string,
  route: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const expect = (wanted: 'GET' | 'POST') => {
    if (method !== wanted) throw new BadRequest(`Use ${wanted} for /local/api/${route}.`, 405);
  };
  switch (route) {
    case 'workspace':
      expect('GET');
      return sendJson(res, 200, describe(ws));
    case 'events':
      expect('GET');
      return ws.feed.attach(req, res);
    case 'messages': {
      if (method === 'POST') {
        const body = await readJsonObject(req);
        const outcome = await postMessage(ws, {
          channel: requiredString(body, 'channel', 'the id of a channel from GET /local/api/workspace'),
          threadId: optionalString(body, 'threadId'),
          authorId: requiredString(body, 'authorId', 'the id of a persona from GET /local/api/workspace'),
          text: requiredString(body, 'text', 'what the persona says'),
          clientId: requiredString(
            body,
            'clientId',
            'a new random id for each message (a retry sends the same)',
          ),
        });
        if ('reply' in outcome) {
          const [reply] = await ws.view([outcome.reply]);
          return sendJson(res, 200, { reply });
        }
        const [message] = await ws.view([outcome.message]);
        return sendJson(res, 200, { message });
      }
      expect('GET');
      return sendJson(res, 200, { messages: await listMessages(ws, url) });
    }
    case 'actions': {
      expect('POST');
      const body = await readJsonObject(req);
      const inputs = body.inputs;
      if (inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) {
        throw new BadRequest(
          'inputs must be an object: {"note": …, "rootCause": …, "answer": …, "reason": …}.',
        );
      }
      const given = (inputs ?? {}) as Record<string, unknown>;
      const outcome = await actOnCard(ws, {
        messageId: optionalString(body, 'messageId'),
        escalationId: requiredString(body, 'escalationId', 'the escalation the button belongs to'),
        action: requiredString(
          body,
          'action',
          'claim, resolve, bounce, escalate_further or not_an_escalation',
        ),
        personId: requiredString(body, 'personId', 'the id of the persona who clicks'),
        inputs: {
          note: optionalString(given, 'note'),
          rootCause: optionalString(given, 'rootCause'),
          answer: optionalString(given, 'answer'),
          reason: optionalString(given, 'reason'),
        },
      });
      return sendJson(res, 200, outcome);
    }
    case 'csat': {
      expect('POST');
      const body = await readJsonObject(req);
      const outcome = await rateEscalation(ws, {
        escalationId: requiredString(body, 'escalationId', 'the escalation the prompt asks about'),
        score: body.score,
        personId: requiredString(body, 'personId', 'the id of the persona who rates'),
      });
      return sendJson(res, 200, outcome);
    }
    case 'transcript': {
      expect('GET');
      const escalationId = url.searchParams.get('escalation');
      if (!escalationId) {
        throw new BadRequest(
          'Give ?escalation=<id>: the escalation of the card (its conversation.escalationId).',
        );
      }
      const view = await viewConversation(ws, {
        escalationId,
        page: pageParam(url.searchParams.get('page')),
      });
      return sendJson(res, 200, view);
    }
    case 'suggestions': {
      expect('POST');
      const body = await readJsonObject(req);
      const choice = requiredString(body, 'choice', 'solved or escalate_anyway');
      if (choice !== 'solved' && choice !== 'escalate_anyway') {
        throw new BadRequest(`choice "${choice}" is neither solved nor escalate_anyway.`);
      }
      const entryId = optionalString(body, 'entryId');
      if (choice === 'solved' && !entryId) {
        throw new BadRequest('Give entryId with choice solved: the past escalation that solved it.');
      }
      const outcome = await chooseSuggestion(ws, {
        messageId: requiredString(
          body,
          'messageId',
          'the id of the private reply that offered the suggestions',
        ),
        personId: requiredString(body, 'personId', 'the id of the persona who chooses'),
        choice,
        ...(entryId ? { entryId } : {}),
      });
      return sendJson(res, 200, outcome);
    }
    default:
      throw new BadRequest(
        `Nothing at /local/api/${route}: the API has workspace, messages, actions, transcript, suggestions, csat and events.`,
        404,
      );
  }
}

/** `GET /local/api/workspace`: everything the page needs to draw itself. */
function describe(ws: Workspace) {
  const { policy } = ws.ctx;
  return {
    channels: ws.channels,
    people: PERSONAS.map(({ id, name, role, title }) => ({ id, name, role, title })),
    paths: Object.entries(policy.paths).map(([name, path]) => ({
      name,
      type: path.type,
      levels: path.levels.map((l) => ({ name: l.name, ...(l.channel ? { channel: l.channel } : {}) })),
    })),
    priorities: definedPriorities(policy),
    rootCauses: ROOT_CAUSES.map((id) => ({ id, label: ROOT_CAUSE_LABELS[id] })),
  };
}

async function listMessages(ws: Workspace, url: URL) {
  const channel = url.searchParams.get('channel');
  if (!channel) throw new BadRequest('Give ?channel=<id>: a channel from GET /local/api/workspace.');
  if (!ws.channel(channel))
    throw new BadRequest(`There is no channel "${channel}" in the local workspace.`, 404);
  const viewer = url.searchParams.get('as') ?? undefined;
  if (viewer !== undefined && !personaOf(viewer)) {
    throw new BadRequest(
      `as="${viewer}" is nobody here: use one of ${PERSONAS.map((p) => p.id).join(', ')}.`,
    );
  }
  const thread = url.searchParams.get('thread');
  if (thread === null) return ws.view(await ws.messages.listRoots(channel, viewer));
  const messages = await ws.messages.listThread(channel, thread, viewer);
  if (messages.length === 0) throw new BadRequest(`There is no thread "${thread}" in ${channel}.`, 404);
  return ws.view(messages);
}

/** The Host the browser used names this machine (not a site's own name resolved to it). */
function fromLoopbackName(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  return host === '' || LOOPBACK_HOSTS.has(host);
}
